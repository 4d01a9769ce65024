import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

const m = (p: string, d: unknown, s: string) => call('glob.match', p, d, s);

test('default delimiter "." ([]), * stays within a segment, ** crosses', () => {
  assert.equal(m('*.github.com', [], 'api.github.com'), true);
  assert.equal(m('*.github.com', [], 'api.cdn.github.com'), false);
  assert.equal(m('api.**.com', [], 'api.cdn.github.com'), true);
  assert.equal(m('api.**.com', [], 'api.github.com'), true);
  assert.equal(m('*:github:com', [':'], 'api:github:com'), true);
});

test('null delimiters: no segments at all', () => {
  assert.equal(m('*hub.com', null, 'api.cdn.github.com'), true);
  assert.equal(m('*.com', null, 'a.b.com'), true);
});

test('?, classes, negated classes, ranges, alternatives and escapes', () => {
  assert.equal(m('?at', [], 'cat'), true);
  assert.equal(m('?at', [], '.at'), false);
  assert.equal(m('[ch]at', [], 'hat'), true);
  assert.equal(m('[!ch]at', [], 'bat'), true);
  assert.equal(m('[!ch]at', [], 'cat'), false);
  assert.equal(m('[a-c]at', [], 'bat'), true);
  assert.equal(m('{api,www}.example.com', [], 'www.example.com'), true);
  assert.equal(m('{api,www}.example.com', [], 'ftp.example.com'), false);
  assert.equal(m('{a*,b?}', [], 'bx'), true);
  assert.equal(m('\\*.com', [], '*.com'), true);
  assert.equal(m('\\*.com', [], 'x.com'), false);
  assert.equal(m('a(b)+', [], 'a(b)+'), true); // regex metacharacters are literal
  assert.equal(m('', [], ''), true);
  assert.equal(m('', [], 'x'), false);
});

test('Unicode is matched by code point', () => {
  assert.equal(m('?.de', [], 'ü.de'), true);
  assert.equal(m('*', ['/'], '😀😀'), true);
});

test('invalid globs and wrong types are errors', () => {
  fails('glob.match', ['[abc', [], 'a'], 'eval_builtin_error');
  fails('glob.match', ['{a,b', [], 'a'], 'eval_builtin_error');
  fails('glob.match', ['a', 'x', 'a'], 'eval_type_error');
  fails('glob.match', ['a', [1], 'a'], 'eval_type_error');
});

test('no backtracking blow-up', () => {
  const p = '*a'.repeat(30) + 'b';
  assert.equal(m(p, null, 'a'.repeat(5000)), false);
});

test('glob.quote_meta escapes glob metacharacters', () => {
  assert.equal(call('glob.quote_meta', '*.github.com'), '\\*.github.com');
  assert.equal(call('glob.quote_meta', '[a]{b}?'), '\\[a\\]\\{b\\}\\?');
  assert.equal(m(call('glob.quote_meta', '*{x}') as string, [], '*{x}'), true);
});
