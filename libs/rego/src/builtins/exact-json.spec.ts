import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExact, stringifyExact } from './exact-json';

test('integers beyond 2^53 survive a round trip exactly', () => {
  const text = '{"t":1700000000000000123,"neg":-9007199254740993,"small":42,"f":1.5,"e":1e300,"s":"x\\u00e9"}';
  const v = parseExact(text) as Record<string, unknown>;
  assert.equal(v.t, 1700000000000000123n);
  assert.equal(v.neg, -9007199254740993n);
  assert.equal(v.small, 42);
  assert.equal(v.f, 1.5);
  assert.equal(v.e, 1e300);
  assert.equal(v.s, 'xé');
  assert.equal(stringifyExact(v), '{"t":1700000000000000123,"neg":-9007199254740993,"small":42,"f":1.5,"e":1e+300,"s":"xé"}');
});

test('plain documents take the JSON.parse path and behave identically', () => {
  assert.deepEqual(parseExact('[1,{"a":null},true]'), [1, { a: null }, true]);
  assert.equal(stringifyExact({ a: [1] }), '{"a":[1]}');
});

test('malformed JSON is rejected by the exact parser too', () => {
  for (const bad of ['[12345678901234567890', '{"a":12345678901234567890,}', '12345678901234567890 x', '{"a" 12345678901234567890}']) {
    assert.throws(() => parseExact(bad), SyntaxError, bad);
  }
});

test('a string that looks like the internal bigint marker stays a string', () => {
  const tricky = { s: '\u0000big:123', n: 2n ** 64n };
  assert.deepEqual(JSON.parse(stringifyExact(tricky)), { s: '\u0000big:123', n: 18446744073709552000 });
  assert.match(stringifyExact(tricky), /"n":18446744073709551616/);
});

test('__proto__ keys are plain data', () => {
  const v = parseExact('{"__proto__":{"x":1},"n":12345678901234567890}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(v), ['__proto__', 'n']);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});
