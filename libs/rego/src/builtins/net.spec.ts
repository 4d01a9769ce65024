import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

test('net.cidr_contains with addresses and CIDRs, IPv4 and IPv6', () => {
  assert.equal(call('net.cidr_contains', '10.0.0.0/8', '10.1.2.3'), true);
  assert.equal(call('net.cidr_contains', '10.0.0.0/8', '11.0.0.1'), false);
  assert.equal(call('net.cidr_contains', '10.0.0.0/8', '10.1.0.0/16'), true);
  assert.equal(call('net.cidr_contains', '10.1.0.0/16', '10.0.0.0/8'), false);
  assert.equal(call('net.cidr_contains', '0.0.0.0/0', '255.255.255.255'), true);
  assert.equal(call('net.cidr_contains', '2001:db8::/32', '2001:db8:1::1'), true);
  assert.equal(call('net.cidr_contains', '2001:db8::/32', '2001:db9::1'), false);
  assert.equal(call('net.cidr_contains', '10.0.0.0/8', '::1'), false); // families never mix
  assert.equal(call('net.cidr_contains', '1.2.3.0/24', '::ffff:1.2.3.4'), true);
  // Host bits in the network are masked off, as Go's ParseCIDR does.
  assert.equal(call('net.cidr_contains', '10.1.2.3/8', '10.200.0.1'), true);
});

test('invalid input is an error', () => {
  fails('net.cidr_contains', ['10.0.0.0', '10.0.0.1'], 'eval_builtin_error');
  fails('net.cidr_contains', ['10.0.0.0/33', '10.0.0.1'], 'eval_builtin_error');
  fails('net.cidr_contains', ['10.0.0.0/8', 'not-an-ip'], 'eval_builtin_error');
  fails('net.cidr_contains', ['010.0.0.0/8', '10.0.0.1'], 'eval_builtin_error');
  fails('net.cidr_contains', [1, '10.0.0.1'], 'eval_type_error');
});

test('net.cidr_intersects', () => {
  assert.equal(call('net.cidr_intersects', '192.168.0.0/16', '192.168.1.0/24'), true);
  assert.equal(call('net.cidr_intersects', '192.168.1.0/24', '192.168.0.0/16'), true);
  assert.equal(call('net.cidr_intersects', '192.168.1.0/24', '192.168.2.0/24'), false);
  assert.equal(call('net.cidr_intersects', 'fd00::/8', 'fd12::/16'), true);
  fails('net.cidr_intersects', ['192.168.1.1', '192.168.0.0/16'], 'eval_builtin_error');
});

test('net.cidr_is_valid', () => {
  assert.equal(call('net.cidr_is_valid', '10.0.0.0/8'), true);
  assert.equal(call('net.cidr_is_valid', '::/0'), true);
  assert.equal(call('net.cidr_is_valid', '10.0.0.0'), false);
  assert.equal(call('net.cidr_is_valid', '10.0.0.0/x'), false);
  assert.equal(call('net.cidr_is_valid', 'fe80::1%eth0/64'), false);
  assert.equal(call('net.cidr_is_valid', 42), false);
});

test('net.cidr_expand lists every address (bounded)', () => {
  assert.deepEqual(call('net.cidr_expand', '192.168.1.4/30'), ['192.168.1.4', '192.168.1.5', '192.168.1.6', '192.168.1.7']);
  assert.deepEqual(call('net.cidr_expand', '10.0.0.1/32'), ['10.0.0.1']);
  assert.deepEqual(call('net.cidr_expand', '2001:db8::/127'), ['2001:db8::', '2001:db8::1']);
  fails('net.cidr_expand', ['10.0.0.0/8'], 'eval_builtin_error', /at most/);
});
