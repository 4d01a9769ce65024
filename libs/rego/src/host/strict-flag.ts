// Strict builtin errors for the builtins that run inside the Wasm runtime: Arbiter modules
// export a setter the host calls before each evaluation (1 = a builtin error aborts evaluation
// through opa_abort with OPA's code and message, 0 = the call is undefined, OPA's default).
// Modules built elsewhere (`opa build`) lack it; setting is then a no-op.

export const STRICT_SET_EXPORT = 'arbiter_set_strict_builtin_errors';

/** Sets the mode on an instance's exports; false when the module has no such export. */
export function setStrictBuiltinErrors(instanceExports: Record<string, unknown>, on: boolean): boolean {
  const set = instanceExports[STRICT_SET_EXPORT];
  if (typeof set !== 'function') return false;
  (set as (on: number) => void)(on ? 1 : 0);
  return true;
}
