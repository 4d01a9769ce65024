// Test helper: one policy evaluated through both back ends (Wasm via the host loader, and the IR
// interpreter), so a regression test checks the planner and the code generator at once.
import assert from 'node:assert/strict';
import { compile } from '../compile';
import { compileModules } from '../compiler';
import { loadPolicy } from '../host';
import { parseModule } from '../syntax';
import { Interpreter } from './interpret';
import { fromJSON, toJS } from './interp-values';

/** The value of `entrypoint` from Wasm only (for builtins the interpreter lacks). */
export async function evalWasm(text: string, input: unknown, entrypoint = 't/r', data: unknown = {}): Promise<unknown> {
  const out = await compile({ modules: [{ file: 'p.rego', text }], entrypoints: [entrypoint] });
  assert.deepEqual(out.errors, []);
  const policy = await loadPolicy(out.wasm!, { data });
  return (policy.evaluate(input, entrypoint).result as Array<{ result: unknown }>)[0]?.result;
}

/** The value of `entrypoint` (undefined when undefined) from Wasm and from the interpreter. */
export async function evalBoth(text: string, input: unknown, entrypoint = 't/r', data: unknown = {}): Promise<{ wasm: unknown; ir: unknown }> {
  const out = await compile({ modules: [{ file: 'p.rego', text }], entrypoints: [entrypoint] });
  assert.deepEqual(out.errors, []);
  const policy = await loadPolicy(out.wasm!, { data });
  const rs = policy.evaluate(input, entrypoint).result as Array<{ result: unknown }>;
  const { module } = parseModule('p.rego', text);
  const { policy: ir } = compileModules([module!], { entrypoints: [entrypoint] });
  const res = new Interpreter(ir!).run(entrypoint, input === undefined ? undefined : fromJSON(input), fromJSON(data));
  return { wasm: rs[0]?.result, ir: res.length ? (toJS(res[0]) as { result: unknown }).result : undefined };
}
