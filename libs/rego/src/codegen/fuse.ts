// Builtin calls that only decide whether a body goes on. The planner turns `is_string(x)`,
// `a < b` or `x in s` in a rule body into a call whose boolean result the next statement tests
// (`not_equal r, false`: undefined or false ends the block). Emitted as written, that is a call
// returning a boolean value and a generic comparison of it with `false` (three more calls in
// the runtime). When nothing else reads the result, the pair becomes one test: a tag check
// inline, or one runtime call returning an i32.
import type { Operand, Stmt } from '../planner/ir';
import { lookupBuiltin } from '../builtins/catalog';

/** Value tags (runtime/assembly/value.ts). */
const TYPE_TAGS: Readonly<Record<string, number>> = {
  is_null: 1,
  is_boolean: 2,
  is_number: 3,
  is_string: 4,
  is_array: 5,
  is_object: 6,
  is_set: 7,
};

export type Order = 'lt' | 'lte' | 'gt' | 'gte';

const ORDERS: ReadonlySet<string> = new Set<Order>(['lt', 'lte', 'gt', 'gte']);

/**
 * What a fused pair tests; every kind fails (ends the block) when an operand is undefined, as
 * the runtime builtin would have returned undefined then.
 */
export type FusedTest =
  /** is_<type>(arg): the value's tag. */
  | { kind: 'type'; arg: Operand; tag: number }
  /** lt/lte/gt/gte(a, b): OPA's total order (the runtime builtins compare any two values). */
  | { kind: 'order'; a: Operand; b: Operand; order: Order }
  /** equal(a, b) / neq(a, b). */
  | { kind: 'equal'; a: Operand; b: Operand; negate: boolean }
  /** internal.member_2(x, coll): `x in coll`. */
  | { kind: 'member'; x: Operand; coll: Operand };

function isFalse(o: Operand): boolean {
  return o.kind === 'bool' && !o.value;
}

/**
 * The test that `call` followed by `next` amounts to, when they fuse: `call` is one of the
 * runtime's predicate builtins (they never fail, so strict builtin errors cannot tell), `next`
 * is `not_equal result, false` (either way round), and that test is the only read of the result
 * in the function (`reads`: read counts per local).
 */
export function fusedTest(call: Stmt, next: Stmt | undefined, reads: ReadonlyMap<number, number>): FusedTest | undefined {
  if (call.op !== 'call' || !call.builtin || !next || next.op !== 'not_equal') return undefined;
  const r = call.result;
  const tests = (o: Operand) => o.kind === 'local' && o.local === r;
  if (!((tests(next.a) && isFalse(next.b)) || (tests(next.b) && isFalse(next.a)))) return undefined;
  if (reads.get(r) !== 1) return undefined;
  if (lookupBuiltin(call.func)?.impl !== 'runtime') return undefined;
  const args = call.args;
  const name = call.func;
  if (name in TYPE_TAGS && args.length === 1) return { kind: 'type', arg: args[0], tag: TYPE_TAGS[name] };
  if (args.length !== 2) return undefined;
  const [a, b] = args;
  if (ORDERS.has(name)) return { kind: 'order', a, b, order: name as Order };
  if (name === 'equal' || name === 'neq') return { kind: 'equal', a, b, negate: name === 'neq' };
  if (name === 'internal.member_2') return { kind: 'member', x: a, coll: b };
  return undefined;
}
