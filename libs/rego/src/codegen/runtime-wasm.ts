// Locates the prebuilt runtime (libs/rego/runtime/build/runtime.wasm) and facts about it.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { WA } from './wasm-api';

const RELATIVE = path.join('libs', 'rego', 'runtime', 'build', 'runtime.wasm');

export class RuntimeMissingError extends Error {}

let cached: { bytes: Uint8Array; heapBase: number; exports: Map<string, number> } | undefined;

function locate(): string {
  const override = process.env.ARBITER_REGO_RUNTIME;
  if (override) return override;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, RELATIVE);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new RuntimeMissingError(`Rego runtime not built (${RELATIVE} missing): run \`npm run build:runtime\``);
}

/**
 * The runtime bytes, where its heap starts (the code generator places constants there) and
 * the parameter count of each exported function.
 */
export function runtimeWasm(): { bytes: Uint8Array; heapBase: number; exports: Map<string, number> } {
  if (cached) return cached;
  const bytes = new Uint8Array(fs.readFileSync(locate()));
  const mod = new WA.Module(bytes);
  const memory = new WA.Memory({ initial: 5 });
  const fail = () => {
    throw new Error('runtime called the host while probing');
  };
  const imports: Record<string, unknown> = { memory, opa_abort: fail, opa_println: fail };
  for (let i = 0; i <= 4; i++) imports[`opa_builtin${i}`] = fail;
  const inst = new WA.Instance(mod, { env: imports });
  const heapBase = (inst.exports.opa_heap_ptr_get as () => number)();
  const exports = new Map<string, number>();
  for (const [name, value] of Object.entries(inst.exports)) {
    if (typeof value === 'function') exports.set(name, (value as (...a: unknown[]) => unknown).length);
  }
  cached = { bytes, heapBase, exports };
  return cached;
}
