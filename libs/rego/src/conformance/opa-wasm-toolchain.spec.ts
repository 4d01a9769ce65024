import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toolchain } from './opa-wasm-toolchain';

async function load(text: string, entrypoint: string) {
  const out = await toolchain.compile({ modules: [{ file: 'p.rego', text }], entrypoints: [entrypoint] });
  assert.deepEqual(out.errors, []);
  return toolchain.loadPolicy(out.wasm!, { data: { k: 'v' } });
}

test('opa-wasm loader: falsy inputs reach the policy (opa-wasm alone would drop them)', async () => {
  const p = await load('package p\nx := {"in": input, "k": data.k}\n', 'p/x');
  for (const input of [false, 0, '', null, { a: 1 }]) {
    const out = await p.evaluate(input, 'p/x');
    assert.deepEqual(out.result, [{ result: { in: input, k: 'v' } }], JSON.stringify(input));
  }
  assert.deepEqual((await p.evaluate(undefined, 'p/x')).result, []);
});

test('opa-wasm loader: strict builtin errors per evaluation, for runtime and host builtins', async () => {
  const p = await load('package p\nd := [1 / input.z, regex.match(input.re, "x")]\n', 'p/d');
  const bad = { z: 0, re: 'x' };
  assert.deepEqual((await p.evaluate(bad, 'p/d')).result, []);
  assert.throws(() => p.evaluate(bad, 'p/d', { strictBuiltinErrors: true }), (e: unknown) => String(e) === 'eval_builtin_error: div: divide by zero');
  const badRe = { z: 1, re: '(' };
  assert.throws(() => p.evaluate(badRe, 'p/d', { strictBuiltinErrors: true }), /eval_builtin_error: regex\.match: /);
  // Back to default mode afterwards.
  assert.deepEqual((await p.evaluate(badRe, 'p/d')).result, []);
  assert.deepEqual((await p.evaluate({ z: 1, re: 'x' }, 'p/d')).result, [{ result: [1, true] }]);
});
