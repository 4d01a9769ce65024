// The planner's intermediate representation: a small imperative language between Rego and Wasm.
//
// Execution model (the same as OPA's planner IR):
// - A Block runs its statements in order. A statement that is *undefined* (a failed
//   `equal`, a missing `dot` key, a builtin that returns undefined, a `not` whose block
//   completed, …) ends the block at once; execution continues after the block.
// - `block` runs each inner block in turn, whether or not the previous one completed.
// - `break` leaves `index + 1` enclosing blocks (`index` 0 ends the current block, like an
//   undefined statement; 1 also ends its parent block; …). `scan`, `not` and `with` bodies
//   count as blocks.
// - Values live in numbered locals. A local is *undefined* until assigned; `reset` makes it
//   undefined again. Locals 0 and 1 of every function and plan are `input` and `data`.
// - Every Rego value is immutable once built, except a value being built by make_* followed
//   by *_append/*_insert/*_add before anyone else reads it. A value still being built may be
//   reached through `dot` and extended in place: rules like `p.q[r].s := v` build nested
//   objects by `dot`-ing into the object under construction and inserting into the result, so
//   `dot` must yield the nested value itself, not a copy.

export type Local = number;

/** Locals 0 and 1 hold input and data in every plan and function. */
export const INPUT: Local = 0;
export const DATA: Local = 1;

export type Operand =
  | { kind: 'local'; local: Local }
  | { kind: 'bool'; value: boolean }
  /** An index into Policy.strings. */
  | { kind: 'string'; index: number };

/** Where a statement came from, for runtime error messages (`file:line:col`). */
export interface SourceLoc {
  file: string;
  line: number;
  col: number;
}

export type Stmt =
  | { op: 'block'; blocks: Block[] }
  | { op: 'break'; index: number }
  /**
   * Calls a planned function (`func` is a Func.name) or a builtin (`builtin: true`, `func` is
   * the builtin's Rego name, e.g. "count", "array.concat"). Undefined if the result is.
   * `internal.print` gets one array argument holding one set per printed expression: {value},
   * or the empty set when the expression was undefined (printed as `<undefined>`).
   */
  | { op: 'call'; func: string; builtin?: boolean; args: Operand[]; result: Local; loc?: SourceLoc }
  /** target = source[key]; undefined if source has no such key/index/element. */
  | { op: 'dot'; source: Operand; key: Operand; target: Local }
  | { op: 'equal'; a: Operand; b: Operand }
  | { op: 'not_equal'; a: Operand; b: Operand }
  | { op: 'is_array'; source: Operand }
  | { op: 'is_object'; source: Operand }
  | { op: 'is_set'; source: Operand }
  | { op: 'is_defined'; source: Local }
  | { op: 'is_undefined'; source: Local }
  /** target = number of elements of an array, object, set or (in code points) string. */
  | { op: 'len'; source: Operand; target: Local }
  | { op: 'make_null'; target: Local }
  | { op: 'make_bool'; value: boolean; target: Local }
  /** A number from its Rego source text (Policy.strings[raw]); exact for integers. */
  | { op: 'make_number'; raw: number; target: Local }
  | { op: 'make_number_int'; value: number; target: Local }
  | { op: 'make_string'; index: number; target: Local }
  | { op: 'make_array'; capacity: number; target: Local }
  | { op: 'make_object'; target: Local }
  | { op: 'make_set'; target: Local }
  /** Copies the operand as is: an undefined source local makes target undefined (used to save
   * and restore a possibly undefined input around `with`). */
  | { op: 'assign'; source: Operand; target: Local }
  /**
   * Complete-rule and function results: assign if target is undefined; if it holds an equal
   * value do nothing; otherwise abort with eval_conflict_error.
   */
  | { op: 'assign_once'; source: Operand; target: Local; loc?: SourceLoc }
  | { op: 'reset'; target: Local }
  | { op: 'array_append'; array: Local; value: Operand }
  | { op: 'object_insert'; object: Local; key: Operand; value: Operand }
  /** Partial-object rules: a key bound twice to different values is eval_conflict_error. */
  | { op: 'object_insert_once'; object: Local; key: Operand; value: Operand; loc?: SourceLoc }
  /** target = deep merge of a and b (objects); undefined if they conflict. */
  | { op: 'object_merge'; a: Operand; b: Operand; target: Local }
  | { op: 'set_add'; set: Local; value: Operand }
  /**
   * For each element of source (array: index/value; object: key/value in key order; set:
   * element/element in order), assign key and value then run block. Undefined source or a
   * scalar: zero iterations. The statement itself always completes.
   */
  | { op: 'scan'; source: Local; key: Local; value: Local; block: Block }
  /** Undefined if `block` completes; completes if `block` was left by an undefined statement. */
  | { op: 'not'; block: Block }
  /**
   * Runs block with `local` replaced by a copy of itself in which `path` (indexes into
   * Policy.strings; empty = replace the whole value) is upserted with value; restores after.
   * With an empty path, an undefined `value` local makes `local` undefined inside the block
   * (restoring an undefined input for the rest of a body: OPA's "undo").
   */
  | { op: 'with'; local: Local; path: number[]; value: Operand; block: Block }
  /** Functions: the value returned when the function body finishes. */
  | { op: 'return'; source: Local }
  /** Plans: adds a value (usually `{"result": …}` or a bindings object) to the result set. */
  | { op: 'result_add'; value: Local }
  | { op: 'nop' };

export interface Block {
  stmts: Stmt[];
}

export interface Func {
  /** Unique name, e.g. "g0.data.mcp.decision" for a rule or "g0.data.lib.f" for a function. */
  name: string;
  /** The rule's path (["mcp","decision"]) for diagnostics and caching. */
  path: string[];
  /**
   * 'function' for a Rego function (takes arguments), 'rule' for a rule or a merged data node.
   * Not derivable from params: Funcs planned under `with` mocks take extra slot params.
   */
  kind: 'rule' | 'function';
  /** Parameters; params[0] is input and params[1] is data. */
  params: Local[];
  /** Local that holds the result when the body finishes; undefined result = undefined. */
  returnLocal: Local;
  blocks: Block[];
  /** Number of locals used (all locals are < this). */
  localCount: number;
  /**
   * A rule without arguments whose value depends only on (input, data): the code generator may
   * cache it for the rest of one evaluation while called with the evaluation's own input and data.
   */
  cacheable: boolean;
}

export interface Plan {
  /** Entrypoint name, slash-separated: "mcp/decision". */
  name: string;
  blocks: Block[];
  localCount: number;
}

export interface BuiltinRef {
  /** Rego name, e.g. "count" or "regex.match". */
  name: string;
  arity: number;
}

export interface Policy {
  /** Constant strings referenced by index (make_string, with paths, make_number raws, operands). */
  strings: string[];
  /** Every builtin any `call` names. */
  builtins: BuiltinRef[];
  funcs: Func[];
  /** One plan per entrypoint, in entrypoint id order (id = index). */
  plans: Plan[];
}
