// The conformance runner's `--loader opa-wasm`: Arbiter's compiler, but each module evaluated
// by plain @open-policy-agent/opa-wasm (its own loadPolicy, LoadedPolicy and ABI fast path)
// with Arbiter's host builtins as customBuiltins — the path a third party takes.
import { compile } from '../compile';
import { opaWasmCustomBuiltins } from '../host/opa-wasm-builtins';
import { setStrictBuiltinErrors } from '../host/strict-flag';
import { EvalContext, withEvalContext } from '../builtins/context';
import type { Toolchain, LoadedPolicy } from '../testing/toolchain';

interface PlainPolicy {
  evaluate(input: unknown, entrypoint: string | number): unknown;
  setData(data: unknown): void;
  wasmInstance: { exports: Record<string, unknown> };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const opaWasm = require('@open-policy-agent/opa-wasm') as {
  loadPolicy(wasm: Uint8Array, memory: undefined, customBuiltins: Record<string, unknown>): Promise<PlainPolicy>;
};

/**
 * opa-wasm takes JS values (it JSON.stringify's them) or JSON text as an ArrayBuffer. Values
 * are passed as they are, except those opa-wasm would mishandle: falsy inputs (it treats them
 * as "no input") and bigints (JSON.stringify throws) go as JSON text.
 */
function plainArg(v: unknown): unknown {
  if (v === undefined || (v && !containsBigInt(v))) return v;
  return new TextEncoder().encode(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x))).buffer;
}

function containsBigInt(v: unknown): boolean {
  if (typeof v === 'bigint') return true;
  if (v === null || typeof v !== 'object') return false;
  return Object.values(v).some(containsBigInt);
}

async function load(wasm: Uint8Array, opts?: { data?: unknown }): Promise<LoadedPolicy> {
  let strict = false;
  let prints: string[] = [];
  const builtins = opaWasmCustomBuiltins({ strictBuiltinErrors: () => strict, onPrint: (line) => prints.push(line) });
  const policy = await opaWasm.loadPolicy(wasm, undefined, builtins);
  policy.setData(plainArg(opts?.data ?? {}));
  return {
    setData: (data) => policy.setData(plainArg(data ?? {})),
    evaluate(input, entrypoint, o) {
      strict = o?.strictBuiltinErrors ?? false;
      // Strict mode for the runtime's own builtins: the module's exported flag (absent = no-op).
      setStrictBuiltinErrors(policy.wasmInstance.exports, strict);
      prints = [];
      const run = () => policy.evaluate(plainArg(input), entrypoint);
      try {
        const result = o?.nowNs !== undefined ? withEvalContext(new EvalContext({ nowNs: o.nowNs }), run) : run();
        return { result, prints };
      } finally {
        strict = false;
        setStrictBuiltinErrors(policy.wasmInstance.exports, false);
      }
    },
  };
}

export const toolchain: Toolchain = { compile, loadPolicy: load };
