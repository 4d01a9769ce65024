import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

test('concat joins arrays and sets of strings; non-strings are type errors', () => {
  assert.equal(call('concat', ', ', ['a', 'b', 'c']), 'a, b, c');
  assert.equal(call('concat', '-', []), '');
  fails('concat', [',', ['a', 1]], 'eval_type_error');
  fails('concat', [1, ['a']], 'eval_type_error');
});

test('indexof / indexof_n count code points, not UTF-16 units', () => {
  assert.equal(call('indexof', '😀héllo', 'l'), 3);
  assert.equal(call('indexof', 'abc', 'z'), -1);
  assert.deepEqual(call('indexof_n', '😀a😀a', 'a'), [1, 3]);
  assert.deepEqual(call('indexof_n', 'aaa', 'aa'), [0, 1]);
  fails('indexof', ['abc', ''], 'eval_builtin_error', /empty search/);
});

test('substring works on code points, negative length means to the end', () => {
  assert.equal(call('substring', '😀héllo', 1, 3), 'hél');
  assert.equal(call('substring', 'abc', 1, -1), 'bc');
  assert.equal(call('substring', 'abc', 5, 1), '');
  fails('substring', ['abc', -1, 1], 'eval_builtin_error', /negative offset/);
  fails('substring', ['abc', 1.5, 1], 'eval_type_error');
});

test('split and replace follow Go, including empty separators', () => {
  assert.deepEqual(call('split', 'a,b,,c', ','), ['a', 'b', '', 'c']);
  assert.deepEqual(call('split', 'h😀é', ''), ['h', '😀', 'é']);
  assert.deepEqual(call('split', '', ','), ['']);
  assert.equal(call('replace', 'aaa', 'a', 'b'), 'bbb');
  assert.equal(call('replace', 'ab', '', '-'), '-a-b-');
  assert.equal(call('replace', '', '', '-'), '-');
});

test('strings.replace_n replaces left to right, first matching pattern in key order', () => {
  assert.equal(call('strings.replace_n', { a: '1', b: '2' }, 'abcab'), '12c12');
  // Go's Replacer: an earlier pair (keys are in sorted order) beats a longer later one.
  assert.equal(call('strings.replace_n', { ab: 'X', a: 'Y' }, 'abab'), 'YbYb');
  assert.equal(call('strings.replace_n', { ab: 'X', b: 'Y' }, 'abb'), 'XY');
  fails('strings.replace_n', [{ a: 1 }, 'a'], 'eval_type_error');
});

test('trim family uses cutsets of code points and Go whitespace', () => {
  assert.equal(call('trim', '  xx  ', ' '), 'xx');
  assert.equal(call('trim', '😀ab😀', '😀'), 'ab');
  assert.equal(call('trim_left', 'aabba', 'a'), 'bba');
  assert.equal(call('trim_right', 'aabba', 'a'), 'aabb');
  assert.equal(call('trim_prefix', 'prefix-x', 'prefix-'), 'x');
  assert.equal(call('trim_prefix', 'x', 'y'), 'x');
  assert.equal(call('trim_suffix', 'a.rego', '.rego'), 'a');
  assert.equal(call('trim_space', '\t\n hi \u00a0\u0085'), 'hi');
  // U+FEFF is not Go whitespace.
  assert.equal(call('trim_space', '\ufeffhi'), '\ufeffhi');
});

test('lower/upper/startswith/endswith/contains', () => {
  assert.equal(call('lower', 'ÀBC'), 'àbc');
  assert.equal(call('upper', 'straße'), 'STRASSE');
  assert.equal(call('startswith', 'abc', 'ab'), true);
  assert.equal(call('endswith', 'abc', 'ab'), false);
  assert.equal(call('contains', 'abc', ''), true);
  fails('contains', ['abc', null], 'eval_type_error');
});

test('format_int truncates toward zero and supports bases 2, 8, 10, 16', () => {
  assert.equal(call('format_int', 255, 16), 'ff');
  assert.equal(call('format_int', -3.7, 10), '-3');
  assert.equal(call('format_int', 5, 2), '101');
  assert.equal(call('format_int', 123456789012345678901234567890n, 10), '123456789012345678901234567890');
  fails('format_int', [5, 3], 'eval_builtin_error');
});

test('strings.reverse, any_prefix_match, any_suffix_match, count', () => {
  assert.equal(call('strings.reverse', 'a😀b'), 'b😀a');
  assert.equal(call('strings.any_prefix_match', ['a/b', 'c/d'], 'c/'), true);
  assert.equal(call('strings.any_prefix_match', 'x', ['a', 'b']), false);
  assert.equal(call('strings.any_suffix_match', ['a/b/c', 'e/f'], ['/c', '/z']), true);
  assert.equal(call('strings.any_suffix_match', [], ['a']), false);
  fails('strings.any_prefix_match', [[1], 'a'], 'eval_type_error');
  assert.equal(call('strings.count', 'cheese', 'e'), 3);
  assert.equal(call('strings.count', 'aaaa', 'aa'), 2);
  assert.equal(call('strings.count', 'h😀', ''), 3);
});
