import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArbiterError } from '@arbiter/contracts';
import { decodeUtf8Body, duplicateKey, openingBrackets, parseJsonBody, rawJsonDepth } from './json-body';

test('depth counts nesting outside strings only', () => {
  assert.equal(rawJsonDepth('1', 10), 0);
  assert.equal(rawJsonDepth('{"a":[1,{"b":2}]}', 10), 3);
  assert.equal(rawJsonDepth('{"a":"[[[[{{{{\\"[["}', 10), 1);
  assert.equal(rawJsonDepth('['.repeat(100_000), 5), 6, 'stops early');
});

test('parse errors are typed', () => {
  const code = (f: () => unknown) => {
    try {
      f();
      return null;
    } catch (e) {
      return e instanceof ArbiterError ? e.code : 'other';
    }
  };
  assert.equal(code(() => parseJsonBody('', 5)), 'invalid_json');
  assert.equal(code(() => parseJsonBody('{"a":', 5)), 'invalid_json');
  assert.equal(code(() => parseJsonBody('[[[[[[1]]]]]]', 5)), 'body_too_deep');
  assert.deepEqual(parseJsonBody('{"a":[1]}', 5), { a: [1] });
});

test('the bracket count bounds the depth, so shallow bodies skip the scan', () => {
  assert.equal(openingBrackets('{"a":[1,{"b":"[{"}]}', 10), 5);
  assert.equal(openingBrackets('['.repeat(100), 3), 4, 'stops past the limit');
  // Many brackets but shallow: the count says "maybe", the scan says no.
  assert.deepEqual(parseJsonBody('[[1],[2],[3],[4],[5],[6]]', 2), [[1], [2], [3], [4], [5], [6]]);
  // Brackets inside strings only: within the count, never deep.
  assert.deepEqual(parseJsonBody('{"a":"[[[[[[[["}', 2), { a: '[[[[[[[[' });
  assert.throws(() => parseJsonBody('[[[1]]]', 2), (e: unknown) => e instanceof ArbiterError && e.code === 'body_too_deep');
});

test('duplicate keys are found in any object, escapes decoded, strings skipped', () => {
  assert.equal(duplicateKey('{"a":1,"b":{"a":2}}'), null, 'the same key in different objects is fine');
  assert.equal(duplicateKey('{"tool":{"name":"x"},"tool":{"name":"y"}}'), 'tool');
  assert.equal(duplicateKey('{"tool":{"name":"x","name":"y"}}'), 'name');
  assert.equal(duplicateKey('{"a":[{"k":1},{"k":2}],"b":[{"k":1,"k":2}]}'), 'k');
  assert.equal(duplicateKey('{"n\\u0061me":1,"name":2}'), 'name');
  assert.equal(duplicateKey('{"a":"\\"a\\":1,\\"a\\":2","b":"x\\\\","a2":1}'), null, 'keys inside strings are text');
  assert.equal(duplicateKey('{"a\\"b":1,"a\\"b":2}'), 'a"b', 'a key with an escaped quote');
  assert.equal(duplicateKey('{"x":{"k":1,"j":2},"y":{"k":1,"j":2},"k":{"k":{"k":0}},"j":[{"j":1},{"j":1}]}'), null, 'each object has its own keys');
  assert.equal(duplicateKey('{"x":{"k":1},"x2":3,"x":4}'), 'x', 'after a closed inner object');
  assert.equal(duplicateKey('{"ab":1,"a":2,"b":3,"abc":4,"ab" :5}'), 'ab', 'same length, prefixes, space before the colon');
  const keys17 = Array.from({ length: 17 }, (_, i) => `"k${i}":${i}`).join(',');
  assert.equal(duplicateKey(`{${keys17}}`), null);
  assert.equal(duplicateKey(`{${keys17},"k3":0}`), 'k3');
  assert.equal(duplicateKey(`{"k0":0,${keys17}}`), 'k0');
  const many = `{${Array.from({ length: 5000 }, (_, i) => `"k${i}":${i}`).join(',')}}`;
  assert.equal(duplicateKey(many), null);
  assert.equal(duplicateKey(many.replace('}', ',"k4999":0}')), 'k4999', 'large objects use the Set path');
});

test('parseJsonBody refuses duplicate keys; decodeUtf8Body refuses invalid UTF-8', () => {
  assert.throws(() => parseJsonBody('{"a":1,"a":2}', 8), (e: unknown) => e instanceof ArbiterError && e.code === 'invalid_json');
  assert.equal(decodeUtf8Body(Buffer.from('{"é":1}')), '{"é":1}');
  assert.throws(() => decodeUtf8Body(Buffer.from([0x7b, 0xff, 0x7d])), (e: unknown) => e instanceof ArbiterError && e.code === 'invalid_json');
});
