import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArbiterError } from '@arbiter/contracts';
import { allKeysDuplicate, decodeUtf8Body, duplicateKey, parseJsonBody, rawJsonDepth } from './json-body';

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

test('depth is counted outside strings, escapes and long strings included', () => {
  assert.deepEqual(parseJsonBody('[[1],[2],[3],[4],[5],[6]]', 2), [[1], [2], [3], [4], [5], [6]]);
  assert.deepEqual(parseJsonBody('{"a":"[[[[[[[["}', 2), { a: '[[[[[[[[' });
  const long = `${'x'.repeat(40)}\\"[[[[\\\\`; // past the short-string scan: escaped quote, brackets, backslashes
  assert.deepEqual(parseJsonBody(`{"a":"${long}","b":[1]}`, 2), { a: JSON.parse(`"${long}"`), b: [1] });
  assert.throws(() => parseJsonBody('[[[1]]]', 2), (e: unknown) => e instanceof ArbiterError && e.code === 'body_too_deep');
  assert.throws(() => parseJsonBody(`{"a":"${long}","b":[[1]]}`, 2), (e: unknown) => e instanceof ArbiterError && e.code === 'body_too_deep');
  // Too deep wins over invalid JSON and over a duplicate key, as before the parse.
  assert.throws(() => parseJsonBody('{"a":1,"a":[[[', 2), (e: unknown) => e instanceof ArbiterError && e.code === 'body_too_deep');
  // A stray closing bracket lowers the count (as rawJsonDepth counts).
  assert.throws(() => parseJsonBody(']][[[[[', 2), (e: unknown) => e instanceof ArbiterError && e.code === 'body_too_deep');
  assert.throws(() => parseJsonBody(']]][[[[[', 2), (e: unknown) => e instanceof ArbiterError && e.code === 'invalid_json');
  assert.throws(() => parseJsonBody('["\\', 0), (e: unknown) => e instanceof ArbiterError && e.code === 'body_too_deep');
  assert.throws(() => parseJsonBody('"[[[', 0), (e: unknown) => e instanceof ArbiterError && e.code === 'invalid_json');
});

/** What parseJsonBody answers, from the reference pieces: rawJsonDepth, JSON.parse, allKeysDuplicate. */
function reference(text: string, maxDepth: number): unknown {
  if (text.length === 0) return 'invalid_json';
  if (rawJsonDepth(text, maxDepth) > maxDepth) return 'body_too_deep';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'invalid_json';
  }
  const dup = allKeysDuplicate(text);
  return dup === null ? { value } : `duplicate ${dup}`;
}

function outcome(text: string, maxDepth: number): unknown {
  try {
    return { value: parseJsonBody(text, maxDepth) };
  } catch (e) {
    if (!(e instanceof ArbiterError)) throw e;
    const m = /duplicate object key (.*)$/.exec(e.message);
    return m ? `duplicate ${JSON.parse(m[1]) as string}` : e.code;
  }
}

test('parseJsonBody answers as depth scan + JSON.parse + the general duplicate scan, on random valid and broken texts', () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const keyTexts = ['a', 'b', 'ab', 'n\\u0061me', 'name', 'a\\"b', 'k'.repeat(40), `${'k'.repeat(39)}\\n`, ''];
  const stringTexts = ['x', '\\"', '[{', '\\\\', '}]', `${'y'.repeat(50)}\\"[`, 'z'.repeat(70), '\\u0000', '"'.slice(1)];
  const ws = () => [' ', '', '\n', ''][rand(4)];
  const value = (depth: number): string => {
    const r = rand(depth > 4 ? 3 : 6);
    if (r === 0) return String(rand(100));
    if (r === 1) return `"${stringTexts[rand(stringTexts.length)]}"`;
    if (r === 2) return ['true', 'null', '-1.5e3'][rand(3)];
    if (r === 3) return `[${Array.from({ length: rand(4) }, () => ws() + value(depth + 1)).join(',')}]`;
    const n = rand(r === 5 ? 20 : 5); // sometimes past LINEAR_KEYS
    return `{${Array.from({ length: n }, () => `${ws()}"${r === 5 ? `k${rand(40)}` : keyTexts[rand(keyTexts.length)]}"${ws()}:${ws()}${value(depth + 1)}`).join(',')}}`;
  };
  const breakIt = (t: string): string => {
    const at = rand(t.length + 1);
    switch (rand(5)) {
      case 0:
        return t.slice(0, at);
      case 1:
        return t.slice(0, at) + ['"', '\\', '}', ']', '{', '['][rand(6)] + t.slice(at);
      case 2:
        return t.slice(0, at) + t.slice(at + 1);
      case 3:
        return ']]' + t;
      default:
        return t;
    }
  };
  let valid = 0;
  let dups = 0;
  for (let i = 0; i < 4000; i++) {
    const text = i % 3 === 2 ? breakIt(value(0)) : value(0);
    for (const maxDepth of [2, 64]) {
      const want = reference(text, maxDepth);
      assert.deepEqual(outcome(text, maxDepth), want, `${text} (maxDepth ${maxDepth})`);
      if (typeof want === 'object') valid++;
      if (typeof want === 'string' && want.startsWith('duplicate')) dups++;
    }
  }
  assert.ok(valid > 1000 && dups > 500, `a useful mix: ${valid} valid, ${dups} with duplicates`);
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
