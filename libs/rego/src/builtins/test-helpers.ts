// Shared helpers for the builtin specs.
import assert from 'node:assert/strict';
import { HOST_BUILTINS } from './index';
import { BuiltinError } from './types';

export function call(name: string, ...args: unknown[]): unknown {
  const fn = HOST_BUILTINS[name];
  assert.ok(fn, `no host builtin ${name}`);
  return fn(...args);
}

/** The call fails with BuiltinError (→ undefined in Rego), optionally with the given code. */
export function fails(name: string, args: unknown[], code?: 'eval_type_error' | 'eval_builtin_error', message?: RegExp): void {
  assert.throws(
    () => call(name, ...args),
    (e: unknown) => {
      assert.ok(e instanceof BuiltinError, `expected BuiltinError, got ${String(e)}`);
      if (code) assert.equal(e.code, code);
      if (message) assert.match(e.message, message);
      return true;
    },
  );
}

/**
 * Compiles `rule := <expr>` in a tiny policy and evaluates it through the real host loader:
 * checks the catalog signature (type checker), the code generator and the JSON bridge.
 * Returns the rule's value, or undefined when the rule is undefined (e.g. a builtin error).
 */
export async function evalRule(expr: string, input: unknown = {}): Promise<unknown> {
  const { compile } = await import('../index');
  const { loadPolicy } = await import('../host/index');
  const r = await compile({ modules: [{ file: 'p.rego', text: `package p\nimport rego.v1\nr := ${expr}\n` }], entrypoints: ['p'] });
  assert.deepEqual(r.errors, []);
  const policy = await loadPolicy(r.wasm!);
  const out = policy.evaluate(input, 'p').result as Array<{ result: Record<string, unknown> }>;
  return out[0]?.result.r;
}

/** The compile errors of `rule := <expr>` (empty when it type-checks). */
export async function compileErrors(expr: string): Promise<string[]> {
  const { compile } = await import('../index');
  const r = await compile({ modules: [{ file: 'p.rego', text: `package p\nimport rego.v1\nr := ${expr}\n` }], entrypoints: ['p'] });
  return r.errors.map((e) => `${e.code}: ${e.message}`);
}
