// Types for the compile-time checker: a set of the seven Rego value kinds as a bitmask.
// `any` is every bit, so a term of unknown type never looks like a mismatch; an argument is
// reported only when no kind it may have is accepted (mask intersection is empty).
import type { TypeSpec } from '../../builtins/types';

export const KINDS = ['null', 'boolean', 'number', 'string', 'array', 'object', 'set'] as const;
export type Kind = (typeof KINDS)[number];
export type Ty = number;

export const bit = (k: Kind): Ty => 1 << KINDS.indexOf(k);
export const ANY: Ty = (1 << KINDS.length) - 1;
export const NONE: Ty = 0;

export function fromSpec(spec: TypeSpec): Ty {
  if (spec === 'any') return ANY;
  if (typeof spec === 'object') return spec.anyOf.reduce((m, s) => m | fromSpec(s), NONE);
  return bit(spec);
}

const SHOW: Record<Kind, string> = {
  null: 'null',
  boolean: 'boolean',
  number: 'number',
  string: 'string',
  array: 'array[any]',
  object: 'object[any: any]',
  set: 'set[any]',
};

/** OPA-like spelling: `number`, `any<number, string>`, `any`. */
export function showTy(t: Ty): string {
  if (t === ANY || t === NONE) return 'any';
  const names = KINDS.filter((k) => t & bit(k)).map((k) => SHOW[k]);
  return names.length === 1 ? names[0] : `any<${names.join(', ')}>`;
}
