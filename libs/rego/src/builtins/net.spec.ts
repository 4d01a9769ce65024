import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, compileErrors, evalRule, fails } from './test-helpers';

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

test('net.cidr_merge joins adjacent and overlapping blocks into the fewest CIDRs', () => {
  assert.deepEqual(call('net.cidr_merge', ['192.0.128.0/24', '192.0.129.0/24']), ['192.0.128.0/23']);
  // Not aligned for a /23: stays two blocks.
  assert.deepEqual(call('net.cidr_merge', ['192.0.129.0/24', '192.0.130.0/24']), ['192.0.129.0/24', '192.0.130.0/24']);
  // Contained blocks disappear; bare addresses are /32 (IPv4) or /128 (IPv6).
  assert.deepEqual(call('net.cidr_merge', ['10.0.0.0/8', '10.1.0.0/16', '10.2.3.4']), ['10.0.0.0/8']);
  assert.deepEqual(call('net.cidr_merge', ['10.0.0.1', '10.0.0.0', '10.0.0.2']), ['10.0.0.0/31', '10.0.0.2/32']);
  assert.deepEqual(call('net.cidr_merge', ['10.0.0.0', '10.0.0.0']), ['10.0.0.0/32']);
  // Host bits are masked off, as Go's ParseCIDR does.
  assert.deepEqual(call('net.cidr_merge', ['192.168.1.77/24']), ['192.168.1.0/24']);
  // A range that needs several blocks: .1 – .6.
  assert.deepEqual(call('net.cidr_merge', ['10.0.0.1', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6']), ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
  assert.deepEqual(call('net.cidr_merge', ['0.0.0.0/1', '128.0.0.0/1']), ['0.0.0.0/0']);
  assert.deepEqual(call('net.cidr_merge', []), []);
});

test('net.cidr_merge handles IPv6 and keeps the families apart', () => {
  assert.deepEqual(call('net.cidr_merge', ['2001:db8::/33', '2001:db8:8000::/33']), ['2001:db8::/32']);
  assert.deepEqual(call('net.cidr_merge', ['::1', '::', '::/0']), ['::/0']);
  assert.deepEqual(call('net.cidr_merge', ['::', '0.0.0.0', '::1', '0.0.0.1']), ['0.0.0.0/31', '::/127']);
  assert.deepEqual(call('net.cidr_merge', ['::ffff:10.0.0.1', '10.0.0.0']), ['10.0.0.0/31']); // IPv4-mapped → IPv4
});

test('net.cidr_merge errors', () => {
  fails('net.cidr_merge', [['10.0.0.0/33']], 'eval_builtin_error', /not valid/);
  fails('net.cidr_merge', [['not-an-ip']], 'eval_builtin_error', /not valid/);
  fails('net.cidr_merge', [[1]], 'eval_type_error');
  fails('net.cidr_merge', ['10.0.0.0/8'], 'eval_type_error');
});

test('net.cidr_contains_matches keys: strings by value, arrays by index, objects by key', () => {
  assert.deepEqual(call('net.cidr_contains_matches', '1.1.1.0/24', '1.1.1.128'), [['1.1.1.0/24', '1.1.1.128']]);
  assert.deepEqual(call('net.cidr_contains_matches', ['1.1.1.0/24', '1.1.2.0/24'], '1.1.1.128'), [[0, '1.1.1.128']]);
  assert.deepEqual(call('net.cidr_contains_matches', { x: '1.1.1.0/24', y: '1.1.2.0/24' }, '1.1.1.128'), [['x', '1.1.1.128']]);
  // Tuples: the first element is the CIDR/IP, the rest is the caller's payload.
  assert.deepEqual(
    call('net.cidr_contains_matches', [['1.1.0.0/16', 'foo'], '1.1.2.0/24'], ['1.1.1.128', ['1.1.254.254', 'bar']]),
    [[0, 0], [0, 1]],
  );
  assert.deepEqual(call('net.cidr_contains_matches', [['1.1.0.0/16', 'x']], { y: ['1.1.1.128', 'foo'], z: ['2.2.2.2', 'bar'] }), [[0, 'y']]);
  // CIDRs as the second operand, IPv6, no matches.
  assert.deepEqual(call('net.cidr_contains_matches', ['10.0.0.0/8', '2001:db8::/32'], ['10.1.0.0/16', '2001:db8:1::1', '11.0.0.0/8']), [[0, 0], [1, 1]]);
  assert.deepEqual(call('net.cidr_contains_matches', '10.0.0.0/8', '11.0.0.1'), []);
  assert.deepEqual(call('net.cidr_contains_matches', [], ['not-checked']), []); // no pair, nothing parsed
});

test('net.cidr_contains_matches errors', () => {
  fails('net.cidr_contains_matches', ['10.0.0.1', '10.0.0.1'], 'eval_builtin_error'); // first side must be CIDRs
  fails('net.cidr_contains_matches', ['10.0.0.0/8', 'bogus'], 'eval_builtin_error');
  fails('net.cidr_contains_matches', [[[]], '10.0.0.1'], 'eval_builtin_error', /at least one element/);
  fails('net.cidr_contains_matches', [[5], '10.0.0.1'], 'eval_type_error');
  fails('net.cidr_contains_matches', [[[5]], '10.0.0.1'], 'eval_type_error');
  fails('net.cidr_contains_matches', [5, '10.0.0.1'], 'eval_type_error');
});

test('net.cidr_merge and net.cidr_contains_matches through a compiled policy', async () => {
  assert.deepEqual(await evalRule('net.cidr_merge({"10.0.0.0/25", "10.0.0.128/25", "::1"})'), ['10.0.0.0/24', '::1/128']);
  assert.deepEqual(await evalRule('net.cidr_merge(input.addrs)', { addrs: ['10.0.0.1', '10.0.0.0'] }), ['10.0.0.0/31']);
  assert.deepEqual(await evalRule('net.cidr_contains_matches(["10.0.0.0/8"], {"a": "10.1.1.1", "b": "11.1.1.1"})'), [[0, 'a']]);
  assert.equal(await evalRule('net.cidr_merge(["bogus"])'), undefined);
  // A set would be keyed by index on the host (sets cross as arrays): rejected at compile time.
  assert.match((await compileErrors('net.cidr_contains_matches({"10.0.0.0/8"}, "10.1.1.1")')).join('\n'), /rego_type_error/);
});
