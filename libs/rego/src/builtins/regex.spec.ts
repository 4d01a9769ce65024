import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';
import { regexCacheSize } from './regex';

test('regex.match is an unanchored RE2 search', () => {
  assert.equal(call('regex.match', 'b+', 'abbbc'), true);
  assert.equal(call('regex.match', '^b+$', 'abbbc'), false);
  assert.equal(call('regex.match', '(?i)HELLO', 'say hello'), true);
  assert.equal(call('regex.match', '^\\p{Greek}+$', 'αβγ'), true);
  assert.equal(call('regex.match', '^.$', '😀'), true);
  assert.equal(call('regex.match', '', ''), true);
});

test('RE2 rejects backreferences and lookarounds; invalid patterns are builtin errors', () => {
  fails('regex.match', ['(a', 'a'], 'eval_builtin_error', /missing closing/);
  fails('regex.match', ['(a)\\1', 'aa'], 'eval_builtin_error');
  fails('regex.match', ['(?=a)', 'a'], 'eval_builtin_error');
  fails('regex.match', [1, 'a'], 'eval_type_error');
  assert.equal(call('regex.is_valid', '(a'), false);
  assert.equal(call('regex.is_valid', 'a+'), true);
  assert.equal(call('regex.is_valid', 5), false);
});

test('regex.find_n returns up to n matches (-1 = all), Go empty-match rules', () => {
  assert.deepEqual(call('regex.find_n', 'a.', 'paranormal', -1), ['ar', 'an', 'al']);
  assert.deepEqual(call('regex.find_n', 'a.', 'paranormal', 2), ['ar', 'an']);
  assert.deepEqual(call('regex.find_n', 'a.', 'paranormal', 0), []);
  assert.deepEqual(call('regex.find_n', 'a*', 'baaac', -1), ['', 'aaa', '']);
  assert.deepEqual(call('regex.find_n', 'x*', '😀', -1), ['', '']);
});

test('regex.find_all_string_submatch_n: whole match then groups, "" for unmatched groups', () => {
  assert.deepEqual(call('regex.find_all_string_submatch_n', 'a(x*)b(y)?', '-axxb-ab-aby-', -1), [
    ['axxb', 'xx', ''],
    ['ab', '', ''],
    ['aby', '', 'y'],
  ]);
  assert.deepEqual(call('regex.find_all_string_submatch_n', '(\\w+)@(\\w+)', 'a@b c@d', 1), [['a@b', 'a', 'b']]);
});

test('regex.split follows Go Regexp.Split', () => {
  assert.deepEqual(call('regex.split', 'a', 'banana'), ['b', 'n', 'n', '']);
  assert.deepEqual(call('regex.split', ',\\s*', 'a, b,c'), ['a', 'b', 'c']);
  assert.deepEqual(call('regex.split', 'x', ''), ['']);
  assert.deepEqual(call('regex.split', '', 'abc'), ['a', 'b', 'c']);
  assert.deepEqual(call('regex.split', 'z*', 'abc'), ['a', 'b', 'c']);
});

test('regex.replace expands $1, ${name} and $$ like Go', () => {
  assert.equal(call('regex.replace', 'abc-def', '(\\w+)-(\\w+)', '$2-$1'), 'def-abc');
  assert.equal(call('regex.replace', 'abc', '(?P<x>b)', '[${x}]'), 'a[b]c');
  assert.equal(call('regex.replace', 'abc', 'b', '$$'), 'a$c');
  // "$1x" is the (missing) group named "1x": empty.
  assert.equal(call('regex.replace', 'abc', '(b)', '$1x'), 'ac');
  assert.equal(call('regex.replace', 'aaa', 'a*', '-'), '-');
  assert.equal(call('regex.replace', 'abc', 'x*', '-'), '-a-b-c-');
});

test('regex.template_match: literal text plus delimited regexes', () => {
  assert.equal(call('regex.template_match', 'urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}'), true);
  assert.equal(call('regex.template_match', 'urn:foo.bar:{[a-z]+}', 'urn:fooXbar:baz', '{', '}'), false);
  assert.equal(call('regex.template_match', 'urn:foo:<[0-9]{2}>', 'urn:foo:42', '<', '>'), true);
  fails('regex.template_match', ['urn:{.*', 'urn:x', '{', '}'], 'eval_builtin_error', /unbalanced/);
});

test('compiled patterns are cached in a bounded LRU', () => {
  for (let i = 0; i < 700; i++) call('regex.match', `x${i}`, 'x');
  assert.ok(regexCacheSize() <= 500);
});

test('catastrophic patterns run in linear time', () => {
  const s = 'a'.repeat(50_000) + 'b';
  const t0 = process.hrtime.bigint();
  assert.equal(call('regex.match', '^(a+)+$', s), false);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // Not a timing assertion on speed, a sanity bound: exponential backtracking would never finish.
  assert.ok(ms < 20_000, `took ${ms}ms`);
});
