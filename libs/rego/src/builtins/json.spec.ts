import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

test('json.marshal: compact, sorted keys, Go HTML escaping, exact big integers', () => {
  assert.equal(call('json.marshal', { b: 1, a: [true, null, 'x'] }), '{"a":[true,null,"x"],"b":1}');
  assert.equal(call('json.marshal', '<a&b>'), '"\\u003ca\\u0026b\\u003e"');
  assert.equal(call('json.marshal', 1700000000000000123n), '1700000000000000123');
  assert.equal(call('json.marshal', 'é😀'), '"é😀"');
});

test('json.unmarshal / is_valid', () => {
  assert.deepEqual(call('json.unmarshal', '{"a":[1,2.5,"x"]}'), { a: [1, 2.5, 'x'] });
  assert.equal(call('json.unmarshal', '12345678901234567890'), 12345678901234567890n);
  assert.equal(call('json.unmarshal', 'null'), null);
  fails('json.unmarshal', ['{'], 'eval_builtin_error');
  fails('json.unmarshal', [5], 'eval_type_error');
  assert.equal(call('json.is_valid', '[1]'), true);
  assert.equal(call('json.is_valid', '[1'), false);
  assert.equal(call('json.is_valid', 1), false);
});

test('json.filter keeps only the listed paths', () => {
  const doc = { a: { b: 1, c: 2 }, d: [10, 20, 30], e: 'x' };
  assert.deepEqual(call('json.filter', doc, ['a/b', 'e']), { a: { b: 1 }, e: 'x' });
  assert.deepEqual(call('json.filter', doc, [['d', 2], '/a/c']), { a: { c: 2 }, d: [30] });
  assert.deepEqual(call('json.filter', doc, ['a']), { a: { b: 1, c: 2 } });
  assert.deepEqual(call('json.filter', doc, ['missing/x']), {});
  fails('json.filter', [[1], ['a']], 'eval_type_error');
});

test('json.remove drops the listed paths', () => {
  const doc = { a: { b: 1, c: 2 }, d: [10, 20, 30] };
  assert.deepEqual(call('json.remove', doc, ['a/b', 'd/0']), { a: { c: 2 }, d: [20, 30] });
  assert.deepEqual(call('json.remove', doc, ['zzz']), doc);
});

test('json.patch applies RFC 6902 operations without mutating its input', () => {
  const doc = { a: 1, list: [1, 2] };
  const out = call('json.patch', doc, [
    { op: 'add', path: '/b', value: { c: 3 } },
    { op: 'replace', path: '/a', value: 9 },
    { op: 'add', path: '/list/-', value: 3 },
    { op: 'remove', path: '/list/0' },
    { op: 'copy', from: '/b', path: '/copy' },
    { op: 'move', from: '/copy/c', path: '/moved' },
    { op: 'test', path: '/moved', value: 3 },
  ]);
  assert.deepEqual(out, { a: 9, b: { c: 3 }, list: [2, 3], copy: {}, moved: 3 });
  assert.deepEqual(doc, { a: 1, list: [1, 2] });
  fails('json.patch', [doc, [{ op: 'test', path: '/a', value: 2 }]], 'eval_builtin_error');
  fails('json.patch', [doc, [{ op: 'remove', path: '/nope' }]], 'eval_builtin_error');
  fails('json.patch', [doc, [{ op: 'frobnicate', path: '/a' }]], 'eval_builtin_error');
  assert.deepEqual(call('json.patch', doc, [{ op: 'replace', path: '', value: 5 }]), 5);
});
