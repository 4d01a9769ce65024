// `with` modifiers that replace a function: found by the resolve stage, read by the planner.
// Keyed by the modifier's location (stable across the stages' AST copies).
import type { Location } from '../syntax/ast';

/** What a replaced function becomes inside the `with` expression. */
export type FuncReplacement =
  /** Every call returns the `with` value (evaluated where the `with` is). */
  | { kind: 'value' }
  /** Calls go to this builtin instead. */
  | { kind: 'builtin'; name: string }
  /** Calls go to this user function (path without `data`) instead. */
  | { kind: 'function'; path: string[] };

export interface FuncMock {
  /** The replaced function: a builtin name ("time.now_ns") or "data.<path>" for a user function. */
  target: string;
  replacement: FuncReplacement;
}

export function withKey(loc: Location): string {
  return `${loc.file}:${loc.offset}`;
}
