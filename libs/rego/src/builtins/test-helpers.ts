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
