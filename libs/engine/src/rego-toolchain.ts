// The real compiler (@arbiter/rego) and Wasm host (@arbiter/rego/host), adapted to the engine's ports.
import { compile } from '@arbiter/rego';
import { loadPolicy } from '@arbiter/rego/host';
import type { PolicyCompiler, PolicyHost } from './ports';

export function regoCompiler(): PolicyCompiler {
  return {
    async compile(req) {
      const out = await compile({ modules: req.modules, entrypoints: req.entrypoints });
      return { wasm: out.wasm, errors: out.errors };
    },
  };
}

export function regoHost(): PolicyHost {
  return {
    async load(wasm, data) {
      const policy = await loadPolicy(wasm, { data });
      return {
        evaluate(input, entrypoint, opts) {
          // JSON text goes straight into the module's memory (no intermediate buffer).
          const json = opts.inputJson;
          const ev = policy.evaluate(input, entrypoint, json === undefined ? { nowNs: opts.nowNs, fuel: opts.fuel } : { nowNs: opts.nowNs, fuel: opts.fuel, inputJson: json });
          return { result: ev.result, pinned: ev.pinned as Record<string, unknown>, fuelUsed: ev.fuelUsed };
        },
      };
    },
  };
}
