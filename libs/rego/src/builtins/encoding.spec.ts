import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

test('base64 round-trips UTF-8 and is strict', () => {
  assert.equal(call('base64.encode', 'héllo'), 'aMOpbGxv');
  assert.equal(call('base64.decode', 'aMOpbGxv'), 'héllo');
  assert.equal(call('base64.encode', ''), '');
  assert.equal(call('base64.decode', 'YQ=='), 'a');
  fails('base64.decode', ['YQ'], 'eval_builtin_error'); // std encoding requires padding
  fails('base64.decode', ['a$=='], 'eval_builtin_error');
  assert.equal(call('base64.is_valid', 'YQ=='), true);
  assert.equal(call('base64.is_valid', 'YQ='), false);
  assert.equal(call('base64.is_valid', 'YW\nJj'), true); // Go skips newlines
});

test('base64url with and without padding', () => {
  assert.equal(call('base64url.encode', '??>'), 'Pz8-');
  assert.equal(call('base64url.encode', 'a'), 'YQ==');
  assert.equal(call('base64url.encode_no_pad', 'a'), 'YQ');
  assert.equal(call('base64url.decode', 'YQ'), 'a');
  assert.equal(call('base64url.decode', 'YQ=='), 'a');
  assert.equal(call('base64url.decode', 'Pz8-'), '??>');
  fails('base64url.decode', ['Y'], 'eval_builtin_error');
  fails('base64url.decode', ['Pz8+'], 'eval_builtin_error');
});

test('hex', () => {
  assert.equal(call('hex.encode', 'Hi😀'), '4869f09f9880');
  assert.equal(call('hex.decode', '4869f09f9880'), 'Hi😀');
  fails('hex.decode', ['abc'], 'eval_builtin_error', /odd length/);
  fails('hex.decode', ['zz'], 'eval_builtin_error', /invalid byte/);
});

test('urlquery encode/decode like Go QueryEscape/QueryUnescape', () => {
  assert.equal(call('urlquery.encode', 'a b&c=d/é~'), 'a+b%26c%3Dd%2F%C3%A9~');
  assert.equal(call('urlquery.decode', 'a+b%26c%3Dd%2F%C3%A9~'), 'a b&c=d/é~');
  fails('urlquery.decode', ['%zz'], 'eval_builtin_error');
  fails('urlquery.decode', ['abc%'], 'eval_builtin_error');
});

test('urlquery objects: sorted keys, repeated values', () => {
  assert.equal(call('urlquery.encode_object', { b: 'x y', a: ['1', '2'] }), 'a=1&a=2&b=x+y');
  assert.equal(call('urlquery.encode_object', {}), '');
  fails('urlquery.encode_object', [{ a: 1 }], 'eval_type_error');
  assert.deepEqual(call('urlquery.decode_object', 'a=1&a=2&b=x+y&c'), { a: ['1', '2'], b: ['x y'], c: [''] });
  assert.deepEqual(call('urlquery.decode_object', ''), {});
  fails('urlquery.decode_object', ['a=%'], 'eval_builtin_error');
});
