import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

const f = (format: string, ...args: unknown[]) => call('sprintf', format, args);

test('basic verbs', () => {
  assert.equal(f('%s is %d years', 'bob', 42), 'bob is 42 years');
  assert.equal(f('%v|%v|%v', 'x', 7, 2.5), 'x|7|2.5');
  assert.equal(f('%.2f', 3.14159), '3.14');
  assert.equal(f('%x %X %o %b', 255, 255, 8, 5), 'ff FF 10 101');
  assert.equal(f('%q', 'a"b\n'), '"a\\"b\\n"');
  assert.equal(f('100%%'), '100%');
  assert.equal(f('%e', 123456.789), '1.234568e+05');
});

test('width, flags and precision', () => {
  assert.equal(f('[%5d|%-5d|%05d]', 42, 42, -42), '[   42|42   |-0042]');
  assert.equal(f('%+d', 5), '+5');
  assert.equal(f('%08.3f', -3.14159), '-003.142');
  assert.equal(f('%#x', 255), '0xff');
  assert.equal(f('%.3s', 'héllo'), 'hél');
  assert.equal(f('%6s|%-6s|', 'ab', 'ab'), '    ab|ab    |');
});

test('numbers are Go ints or float64s: %v of floats is %g', () => {
  assert.equal(f('%v', 1234567.5), '1.2345675e+06');
  assert.equal(f('%v', 0.00001), '1e-05');
  assert.equal(f('%v', 100), '100');
  assert.equal(f('%v', 1e100), '1e+100');
  // Big integers print exactly (OPA passes them as *big.Int).
  assert.equal(f('%s', 123456789123456789123n), '123456789123456789123');
  assert.equal(f('%d', 1208925819614629174706175n), '1208925819614629174706175');
});

test('composite values print in Rego syntax; booleans and null as text', () => {
  assert.equal(f('%v', [1, 'a', { b: null, a: true }]), '[1, "a", {"a": true, "b": null}]');
  assert.equal(f('%s', { k: [] }), '{"k": []}');
  assert.equal(f('%v %v', true, null), 'true null');
  // OPA hands booleans over as strings, so Go complains about %t.
  assert.equal(f('%t', true), '%!t(string=true)');
});

test('Go complaints: wrong verb, missing and extra arguments', () => {
  assert.equal(f('%s', 5), '%!s(int=5)');
  assert.equal(f('%d', 1.5), '%!d(float64=1.5)');
  assert.equal(f('%d', 'x'), '%!d(string=x)');
  assert.equal(f('%d %d', 1), '1 %!d(MISSING)');
  assert.equal(f('%d', 1, 'x'), '1%!(EXTRA string=x)');
  assert.equal(f('abc%'), 'abc%!(NOVERB)');
});

test('type errors', () => {
  fails('sprintf', [1, []], 'eval_type_error');
  fails('sprintf', ['%s', 'notarray'], 'eval_type_error');
  fails('sprintf', ['%999999999d', [1]], 'eval_builtin_error', /width/);
});
