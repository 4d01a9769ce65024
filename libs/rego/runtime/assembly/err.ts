// Builtin errors of the runtime builtins. OPA's default mode makes a failing builtin call
// undefined; with strict builtin errors (set by the host through the exported setter before
// an evaluation) the call aborts evaluation through opa_abort with OPA's code and message,
// e.g. "eval_builtin_error: div: divide by zero". Every helper returns 0 (undefined) when
// not strict, so builtins write `return typeErr(…)`.

import { opa_abort } from './mem';
import { T_NULL, T_BOOL, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, tag } from './value';
import { newWriter, wascii, wbyte, wfinish } from './writer';
import { writeValue } from './json';

let strict: bool = false;

/** ABI extension: 1 = strict builtin errors for the next evaluations, 0 = OPA's default. */
export function arbiter_set_strict_builtin_errors(on: i32): void {
  strict = on != 0;
}

export function isStrict(): bool {
  return strict;
}

function typeName(w: usize, v: usize): void {
  const t = tag(v);
  if (t == T_NULL) wascii(w, "null");
  else if (t == T_BOOL) wascii(w, "boolean");
  else if (t == T_NUMBER) wascii(w, "number");
  else if (t == T_STRING) wascii(w, "string");
  else if (t == T_ARRAY) wascii(w, "array");
  else if (t == T_OBJECT) wascii(w, "object");
  else wascii(w, "set");
}

function start(code: string, name: string): usize {
  const w = newWriter(96);
  wascii(w, code);
  wascii(w, ": ");
  wascii(w, name);
  wascii(w, ": ");
  return w;
}

function raise(w: usize): usize {
  opa_abort(wfinish(w));
  unreachable();
  return 0;
}

function operand(w: usize, pos: i32): void {
  wascii(w, "operand ");
  wbyte(w, <u8>(48 + pos));
  wascii(w, " must be ");
}

/** eval_builtin_error "<name>: <msg>". */
export function builtinErr(name: string, msg: string): usize {
  if (!strict) return 0;
  const w = start("eval_builtin_error", name);
  wascii(w, msg);
  return raise(w);
}

/**
 * For messages built piecewise: a writer holding "eval_builtin_error: <name>: " (0 when not
 * strict); finish with raiseErr.
 */
export function builtinErrWriter(name: string): usize {
  return strict ? start("eval_builtin_error", name) : 0;
}

export function raiseErr(w: usize): usize {
  return raise(w);
}

/** eval_builtin_error "<name>: <prefix><value as JSON><suffix>" (e.g. a quoted bad input). */
export function builtinErrValue(name: string, prefix: string, v: usize, suffix: string): usize {
  if (!strict) return 0;
  const w = start("eval_builtin_error", name);
  wascii(w, prefix);
  writeValue(w, v, false);
  wascii(w, suffix);
  return raise(w);
}

/**
 * eval_type_error "<name>: operand <pos> must be <want> but got <type>"; `want` is OPA's
 * wording ("number", "one of {set, array}"). An undefined operand (0) is no error.
 */
export function typeErr(name: string, pos: i32, want: string, got: usize): usize {
  if (!strict || got == 0) return 0;
  const w = start("eval_type_error", name);
  operand(w, pos);
  wascii(w, want);
  wascii(w, " but got ");
  typeName(w, got);
  return raise(w);
}

/** eval_type_error "<name>: operand <pos> must be <coll> of <want>s but got <coll> containing <type>". */
export function elemErr(name: string, pos: i32, coll: usize, want: string, got: usize): usize {
  if (!strict) return 0;
  const w = start("eval_type_error", name);
  operand(w, pos);
  typeName(w, coll);
  wascii(w, " of ");
  wascii(w, want);
  wascii(w, "s but got ");
  typeName(w, coll);
  wascii(w, " containing ");
  typeName(w, got);
  return raise(w);
}

/** OPA's IntOperand errors: not a number, or a number that is not an integer. */
export function intOperandErr(name: string, pos: i32, v: usize): usize {
  if (!strict || v == 0) return 0;
  if (tag(v) != T_NUMBER) return typeErr(name, pos, "number", v);
  const w = start("eval_type_error", name);
  operand(w, pos);
  wascii(w, "integer number but got floating-point number");
  return raise(w);
}

/** A raw eval_type_error "<name>: <msg>". */
export function typeErrMsg(name: string, msg: string): usize {
  if (!strict) return 0;
  const w = start("eval_type_error", name);
  wascii(w, msg);
  return raise(w);
}
