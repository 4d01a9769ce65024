// Relation builtins (walk): called with an output argument they iterate, as in OPA.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evalWasm } from './eval-both';

const cases: Array<[string, string, unknown, unknown]> = [
  ['walk yields every [path, value] pair', 'r := [x | walk({"a": [1]}, x)]', {}, [[[], { a: [1] }], [['a'], [1]], [['a', 0], 1]]],
  ['walk output destructured', 'r := [p | walk(input, [p, v]); is_number(v)]', { a: [1, 'x'], b: { c: 2 } }, [['a', 0], ['b', 'c']]],
  ['walk finds a secret anywhere in the input', 'r if { walk(input, [_, v]); v == "s3cr3t" }', { a: [{ b: 's3cr3t' }] }, true],
  ['walk with no match', 'r if { walk(input, [_, v]); v == "s3cr3t" }', { a: [{ b: 'ok' }] }, undefined],
];

describe('relation builtins', () => {
  for (const [name, body, input, want] of cases) {
    test(name, async () => {
      // the IR interpreter has no walk: Wasm only
      assert.deepEqual(await evalWasm(`package t\n${body}\n`, input), want);
    });
  }
});

describe('rule paths with any characters', () => {
  test('a NUL in a rule key is fine in Wasm function names (binaryen used to abort)', async () => {
    assert.deepEqual(await evalWasm('package t\nr["\\u0000"] := 1\nr.a["\\\\"].b := 2\n', {}), { '\u0000': 1, a: { '\\': { b: 2 } } });
  });
});
