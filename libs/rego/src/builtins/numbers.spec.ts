import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

test('numbers.range is inclusive and may descend', () => {
  assert.deepEqual(call('numbers.range', 1, 4), [1, 2, 3, 4]);
  assert.deepEqual(call('numbers.range', 2, -1), [2, 1, 0, -1]);
  assert.deepEqual(call('numbers.range', 3, 3), [3]);
  fails('numbers.range', [1.5, 3], 'eval_type_error');
  fails('numbers.range', [0, 1e9], 'eval_builtin_error', /limit/);
});

test('numbers.range_step', () => {
  assert.deepEqual(call('numbers.range_step', 0, 10, 3), [0, 3, 6, 9]);
  assert.deepEqual(call('numbers.range_step', 10, 0, 5), [10, 5, 0]);
  fails('numbers.range_step', [0, 10, 0], 'eval_builtin_error', /positive/);
  fails('numbers.range_step', [0, 10, -1], 'eval_builtin_error');
});

test('bits on exact integers', () => {
  assert.equal(call('bits.or', 5, 3), 7);
  assert.equal(call('bits.and', 5, 3), 1);
  assert.equal(call('bits.xor', 5, 3), 6);
  assert.equal(call('bits.negate', 5), -6);
  assert.equal(call('bits.lsh', 1, 62), 4611686018427387904n);
  assert.equal(call('bits.rsh', 4611686018427387904n, 60), 4);
  fails('bits.or', [1.5, 1], 'eval_type_error');
  fails('bits.lsh', [1, -1], 'eval_builtin_error');
});

test('array.concat / slice / reverse', () => {
  assert.deepEqual(call('array.concat', [1], [2, 3]), [1, 2, 3]);
  assert.deepEqual(call('array.slice', [1, 2, 3, 4], 1, 3), [2, 3]);
  assert.deepEqual(call('array.slice', [1, 2, 3], -5, 99), [1, 2, 3]);
  assert.deepEqual(call('array.slice', [1, 2, 3], 2, 1), []);
  assert.deepEqual(call('array.reverse', [1, 'a', null]), [null, 'a', 1]);
  assert.deepEqual(call('array.reverse', []), []);
  fails('array.reverse', ['abc'], 'eval_type_error');
});
