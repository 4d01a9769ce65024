import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

test('hashes are hex digests of the UTF-8 bytes', () => {
  assert.equal(call('crypto.sha256', ''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(call('crypto.sha256', 'abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(call('crypto.md5', 'abc'), '900150983cd24fb0d6963f7d28e17f72');
  assert.equal(call('crypto.sha1', 'abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  fails('crypto.sha256', [1], 'eval_type_error');
});

test('HMACs (RFC 4231 test case 2) and constant-time equality', () => {
  assert.equal(call('crypto.hmac.sha256', 'what do ya want for nothing?', 'Jefe'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  assert.equal(call('crypto.hmac.equal', 'abc', 'abc'), true);
  assert.equal(call('crypto.hmac.equal', 'abc', 'abd'), false);
  assert.equal(call('crypto.hmac.equal', 'abc', 'abcd'), false);
  fails('crypto.hmac.sha256', ['x', 1], 'eval_type_error');
});
