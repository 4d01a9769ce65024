// Declarations of builtin functions: the compiler checks calls against them (arity, argument
// types → rego_type_error), the code generator picks where each one runs, and the host table
// holds the TypeScript implementations.

/** A simplified OPA type: enough to check arity and obvious type mismatches at compile time. */
export type TypeSpec =
  | 'any'
  | 'null'
  | 'boolean'
  | 'number'
  | 'string'
  | 'array'
  | 'object'
  | 'set'
  | { anyOf: TypeSpec[] };

export interface BuiltinDecl {
  /** Rego name: "count", "regex.match", "io.jwt.decode". Infix operators use OPA's names (plus, eq, …). */
  name: string;
  args: TypeSpec[];
  result: TypeSpec;
  /**
   * Where it runs: 'runtime' = inside the Wasm runtime (hot path); 'host' = a TypeScript
   * function called through the ABI's opa_builtinN imports.
   */
  impl: 'runtime' | 'host';
  /** time.now_ns, rand.intn, uuid.rfc4122…: values are recorded with the decision for replay. */
  nondeterministic?: boolean;
  /** Infix spelling, when the builtin has one (`+` for plus). */
  infix?: string;
}

/**
 * A host builtin: receives its arguments as JSON values (sets arrive as arrays, per the ABI's
 * JSON bridge) and returns a JSON value, or undefined for "undefined". Throwing BuiltinError
 * makes the call undefined (OPA's non-strict builtin errors).
 */
export type HostBuiltin = (...args: unknown[]) => unknown;

export class BuiltinError extends Error {
  constructor(
    readonly builtin: string,
    message: string,
    readonly code: 'eval_builtin_error' | 'eval_type_error' = 'eval_builtin_error',
  ) {
    super(`${builtin}: ${message}`);
  }
}
