// Small stand-ins for the Rego toolchain used by unit tests: a "module" is the JSON after
// `# result:` in the Rego text; `# compile-error` fails compilation; `# throw` / `# slow` misbehave.
import type { LoadedPolicy, PolicyCompiler, PolicyHost } from './ports';

export const fakeCompiler: PolicyCompiler = {
  compile({ modules }) {
    const text = modules.map((m) => m.text).join('\n');
    if (text.includes('# compile-error')) {
      return { errors: [{ code: 'rego_parse_error', message: 'unexpected token', file: modules[0].file, line: 1, col: 1 }] };
    }
    return { wasm: new TextEncoder().encode(text), errors: [] };
  },
};

export const fakeHost: PolicyHost = {
  async load(wasm, data): Promise<LoadedPolicy> {
    const text = new TextDecoder().decode(wasm);
    const m = /# result: (.*)/.exec(text);
    const result = m ? JSON.parse(m[1]) : undefined;
    return {
      evaluate(input, _entrypoint, { nowNs }) {
        if (text.includes('# throw')) throw new Error('boom');
        if (text.includes('# slow')) {
          const end = Date.now() + 30;
          while (Date.now() < end);
        }
        if (text.includes('# echo')) return { result: [{ result: { decision: 'allow', obligations: { input, data } } }], pinned: { now_ns: nowNs } };
        return { result: result === undefined ? [] : [{ result }], pinned: { now_ns: nowNs } };
      },
    };
  },
};
