import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

test('units.parse: decimal and binary SI units, m vs M case-sensitive', () => {
  assert.equal(call('units.parse', '10K'), 10000);
  assert.equal(call('units.parse', '10k'), 10000);
  assert.equal(call('units.parse', '1Ki'), 1024);
  assert.equal(call('units.parse', '1500m'), 1.5);
  assert.equal(call('units.parse', '2M'), 2000000);
  assert.equal(call('units.parse', '1Mi'), 1048576);
  assert.equal(call('units.parse', '1e-3K'), 1);
  assert.equal(call('units.parse', '2.5e6M'), 2500000000000);
  assert.equal(call('units.parse', '0.5'), 0.5);
  assert.equal(call('units.parse', '"3G"'), 3000000000);
  assert.equal(call('units.parse', '10Ei'), 11529215046068469760n);
  fails('units.parse', ['10 K'], 'eval_builtin_error', /spaces/);
  fails('units.parse', ['K'], 'eval_builtin_error');
  fails('units.parse', ['10X'], 'eval_builtin_error');
  fails('units.parse', [10], 'eval_type_error');
});

test('units.parse_bytes: integer bytes, case-insensitive, optional B', () => {
  assert.equal(call('units.parse_bytes', '10KB'), 10000);
  assert.equal(call('units.parse_bytes', '10kb'), 10000);
  assert.equal(call('units.parse_bytes', '1KiB'), 1024);
  assert.equal(call('units.parse_bytes', '1Mi'), 1048576);
  assert.equal(call('units.parse_bytes', '4mb'), 4000000);
  assert.equal(call('units.parse_bytes', '1.5K'), 1500);
  assert.equal(call('units.parse_bytes', '1.1'), 1);
  assert.equal(call('units.parse_bytes', '100'), 100);
  assert.equal(call('units.parse_bytes', '8EiB'), 9223372036854775808n);
  fails('units.parse_bytes', ['10 KB'], 'eval_builtin_error');
  fails('units.parse_bytes', ['10XB'], 'eval_builtin_error');
  fails('units.parse_bytes', [''], 'eval_builtin_error');
});
