import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

test('object.filter and object.remove take arrays, sets or objects of keys', () => {
  const o = { a: 1, b: 2, c: 3 };
  assert.deepEqual(call('object.filter', o, ['a', 'c', 'zz']), { a: 1, c: 3 });
  assert.deepEqual(call('object.filter', o, { b: true }), { b: 2 });
  assert.deepEqual(call('object.remove', o, ['a']), { b: 2, c: 3 });
  fails('object.filter', [[1], ['a']], 'eval_type_error');
  fails('object.filter', [o, 'a'], 'eval_type_error');
});

test('object.union / union_n merge recursively, later wins', () => {
  assert.deepEqual(call('object.union', { a: { b: 1, c: 2 }, d: 1 }, { a: { b: 9 }, d: { x: 1 } }), { a: { b: 9, c: 2 }, d: { x: 1 } });
  assert.deepEqual(call('object.union_n', [{ a: 1 }, { b: 2 }, { a: 3 }]), { a: 3, b: 2 });
  assert.deepEqual(call('object.union_n', []), {});
  fails('object.union_n', [[{ a: 1 }, 5]], 'eval_type_error');
});

test('object.subset: recursive for objects, contiguous for arrays', () => {
  assert.equal(call('object.subset', { a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } }), true);
  assert.equal(call('object.subset', { a: 1 }, { a: 2 }), false);
  assert.equal(call('object.subset', { a: 1 }, { b: 1 }), false);
  assert.equal(call('object.subset', { a: 1 }, {}), true);
  assert.equal(call('object.subset', [1, 2, 3, 4], [2, 3]), true);
  assert.equal(call('object.subset', [1, 2, 3, 4], [2, 4]), false);
  fails('object.subset', [{ a: 1 }, [1]], 'eval_type_error');
  fails('object.subset', ['x', {}], 'eval_type_error');
});

test('object.get follows a path and falls back to the default', () => {
  assert.equal(call('object.get', { a: { b: [5, 6] } }, ['a', 'b', 1], 0), 6);
  assert.equal(call('object.get', { a: 1 }, 'a', 0), 1);
  assert.equal(call('object.get', { a: 1 }, 'z', 'dflt'), 'dflt');
  assert.deepEqual(call('object.get', { a: 1 }, [], 0), { a: 1 });
});

test('walk yields [path, value] pairs, pre-order', () => {
  assert.deepEqual(call('walk', { b: [7], a: 1 }), [
    [[], { b: [7], a: 1 }],
    [['a'], 1],
    [['b'], [7]],
    [['b', 0], 7],
  ]);
  assert.deepEqual(call('walk', 'x'), [[[], 'x']]);
});

test('graph.reachable', () => {
  const g = { a: ['b'], b: ['c'], c: ['a'], d: ['e'], e: [] };
  assert.deepEqual(call('graph.reachable', g, ['a']), ['a', 'b', 'c']);
  assert.deepEqual(call('graph.reachable', g, ['d']), ['d', 'e']);
  assert.deepEqual(call('graph.reachable', g, []), []);
  assert.deepEqual(call('graph.reachable', g, ['zz']), []);
  fails('graph.reachable', [g, 'a'], 'eval_type_error');
});
