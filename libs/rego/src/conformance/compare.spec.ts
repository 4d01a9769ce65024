import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindingsEqual, valueEqual, compareValues } from './compare';
import { inputTermToJson } from './input-term';

test('numbers compare by value, objects by keys regardless of order', () => {
  assert.ok(valueEqual(1, 1.0));
  assert.ok(valueEqual({ a: 1, b: [2] }, { b: [2], a: 1 }));
  assert.ok(!valueEqual({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(!valueEqual(1, '1'));
  assert.ok(!valueEqual(null, false));
});

test('a sorted expected list may be a set: any order of the same elements matches', () => {
  assert.ok(valueEqual(['a', 'b', 'c'], ['c', 'a', 'b']));
  assert.ok(valueEqual([1, [2], { k: 3 }], [{ k: 3 }, 1, [2]]));
});

test('an unsorted expected list is an array: order matters', () => {
  assert.ok(!valueEqual(['b', 'a'], ['a', 'b']));
  assert.ok(!valueEqual([1, 1], [1]));
  assert.ok(valueEqual(['b', 'a'], ['b', 'a']));
});

test('binding sets: ordered unless sort_bindings', () => {
  const want = [{ x: 1 }, { x: 2 }];
  assert.ok(bindingsEqual(want, [{ x: 1 }, { x: 2 }], false));
  assert.ok(!bindingsEqual(want, [{ x: 2 }, { x: 1 }], false));
  assert.ok(bindingsEqual(want, [{ x: 2 }, { x: 1 }], true));
  assert.ok(!bindingsEqual(want, [{ x: 2 }], true));
  assert.ok(!bindingsEqual([], [{}], true));
});

test('OPA value order: null < bool < number < string < array < object', () => {
  const xs = [{}, [], 'a', 1, true, null];
  assert.deepEqual([...xs].sort(compareValues), [null, true, 1, 'a', [], {}]);
  assert.ok(compareValues([1, 2], [1, 3]) < 0);
  assert.ok(compareValues({ a: 1 }, { a: 2 }) < 0);
});

test('input_term: ground JSON-like terms convert; sets and variables are skips', () => {
  assert.deepEqual(inputTermToJson('{"a": [1, 2.5, "x", null, true]}'), { ok: true, value: { a: [1, 2.5, 'x', null, true] } });
  assert.deepEqual(inputTermToJson('{}'), { ok: true, value: {} });
  const set = inputTermToJson('{"foo": {{1}}}');
  assert.equal(set.ok, false);
  assert.match((set as { reason: string }).reason, /set/);
  assert.equal(inputTermToJson('{"a": x}').ok, false);
  assert.equal(inputTermToJson('{"a": ').ok, false);
});
