// Which builtin calls fuse with the test of their result (fuse.ts).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Operand, Stmt } from '../planner/ir';
import { fusedTest } from './fuse';

const L = (local: number): Operand => ({ kind: 'local', local });
const F: Operand = { kind: 'bool', value: false };
const call = (func: string, args: Operand[], result = 5): Stmt => ({ op: 'call', func, builtin: true, args, result });
const test5: Stmt = { op: 'not_equal', a: L(5), b: F };
const once = new Map([[5, 1]]);

test('predicate builtins fuse with `not_equal result, false` when that is the only read', () => {
  assert.deepEqual(fusedTest(call('is_string', [L(3)]), test5, once), { kind: 'type', arg: L(3), tag: 4 });
  assert.deepEqual(fusedTest(call('is_null', [L(3)]), test5, once), { kind: 'type', arg: L(3), tag: 1 });
  assert.deepEqual(fusedTest(call('gte', [L(3), L(4)]), test5, once), { kind: 'order', a: L(3), b: L(4), order: 'gte' });
  assert.deepEqual(fusedTest(call('neq', [L(3), L(4)]), test5, once), { kind: 'equal', a: L(3), b: L(4), negate: true });
  assert.deepEqual(fusedTest(call('internal.member_2', [L(3), L(4)]), { op: 'not_equal', a: F, b: L(5) }, once), { kind: 'member', x: L(3), coll: L(4) });
});

test('anything else stays as written', () => {
  // The result is read again later.
  assert.equal(fusedTest(call('is_string', [L(3)]), test5, new Map([[5, 2]])), undefined);
  // The next statement tests another local, or against true, or is no test.
  assert.equal(fusedTest(call('is_string', [L(3)]), { op: 'not_equal', a: L(6), b: F }, once), undefined);
  assert.equal(fusedTest(call('is_string', [L(3)]), { op: 'not_equal', a: L(5), b: { kind: 'bool', value: true } }, once), undefined);
  assert.equal(fusedTest(call('is_string', [L(3)]), { op: 'equal', a: L(5), b: F }, once), undefined);
  assert.equal(fusedTest(call('is_string', [L(3)]), undefined, once), undefined);
  // Builtins that are not predicates of the runtime, and planned functions.
  assert.equal(fusedTest(call('count', [L(3)]), test5, once), undefined);
  assert.equal(fusedTest(call('regex.match', [L(3), L(4)]), test5, once), undefined);
  assert.equal(fusedTest({ op: 'call', func: 'g0.data.p.f', args: [L(0), L(1)], result: 5 }, test5, once), undefined);
});
