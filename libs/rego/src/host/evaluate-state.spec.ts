// The host keeps the module's fuel budget and strict flag set between evaluations and sets them
// again only when they change (each setter is a call into the module), and writes input JSON
// text straight into the module's memory. None of that may leak from one evaluation into the
// next or change what an evaluation sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../index';
import { loadPolicy, PolicyEvalError } from './index';

async function build(text: string, entrypoints: string[]): Promise<Uint8Array> {
  const r = await compile({ modules: [{ file: 'p.rego', text }], entrypoints });
  assert.deepEqual(r.errors, []);
  return r.wasm!;
}

const SRC = `package p
import rego.v1
n := count([x | some x in numbers.range(1, input.n)])
bad := regex.match("(", "x")
table := {k: true | some k in data.keys}
echo := input
`;

const exhausted = (e: unknown) => e instanceof PolicyEvalError && e.code === 'eval_fuel_exhausted';

test('fuel budgets change from one evaluation to the next, around setData too', async () => {
  const policy = await loadPolicy(await build(SRC, ['p/n']), { data: { keys: ['a'] } });
  const full = policy.evaluate({ n: 50 }, 'p/n', { fuel: 1000 });
  assert.deepEqual(full.result, [{ result: 50 }]);
  const used = full.fuelUsed!;
  assert.ok(used > 50);
  assert.throws(() => policy.evaluate({ n: 50 }, 'p/n', { fuel: used - 1 }), exhausted);
  assert.deepEqual(policy.evaluate({ n: 50 }, 'p/n', { fuel: used }).fuelUsed, used);
  // Unlimited (the default) after a tight budget, then the tight one again.
  assert.deepEqual(policy.evaluate({ n: 5000 }, 'p/n').result, [{ result: 5000 }]);
  assert.throws(() => policy.evaluate({ n: 50 }, 'p/n', { fuel: used - 1 }), exhausted);
  // setData precomputes with its own budget; the next evaluation's budget is its own again.
  policy.setData({ keys: ['a', 'b'] });
  assert.throws(() => policy.evaluate({ n: 50 }, 'p/n', { fuel: used - 1 }), exhausted);
  assert.equal(policy.evaluate({ n: 50 }, 'p/n', { fuel: used }).fuelUsed, used);
});

test('strict builtin errors hold for the one evaluation that asks for them', async () => {
  const policy = await loadPolicy(await build(SRC, ['p/bad']));
  const strictly = () => policy.evaluate({}, 'p/bad', { strictBuiltinErrors: true });
  assert.throws(strictly, (e: unknown) => e instanceof PolicyEvalError && e.code === 'eval_builtin_error');
  assert.deepEqual(policy.evaluate({}, 'p/bad').result, []);
  assert.deepEqual(policy.evaluate({}, 'p/bad').result, []);
  assert.throws(strictly);
  assert.throws(strictly);
  assert.deepEqual(policy.evaluate({}, 'p/bad').result, []);
});

test('input as JSON text or bytes is the same input; a string value stays a string', async () => {
  const policy = await loadPolicy(await build(SRC, ['p/echo']));
  const doc = { b: [1, 'é', { c: null }], a: 1700000000000000123n };
  const text = '{"b":[1,"é",{"c":null}],"a":1700000000000000123}';
  const asText = policy.evaluate(undefined, 'p/echo', { inputJson: text, exactNumbers: true }).result;
  const asBytes = policy.evaluate(undefined, 'p/echo', { inputJson: Buffer.from(text), exactNumbers: true }).result;
  assert.deepEqual(asText, [{ result: { a: 1700000000000000123n, b: doc.b } }]);
  assert.deepEqual(asBytes, asText);
  // inputJson wins over the value; a string value is a JSON string, not JSON text.
  assert.deepEqual(policy.evaluate({ x: 1 }, 'p/echo', { inputJson: '[2]' }).result, [{ result: [2] }]);
  assert.deepEqual(policy.evaluate('{"x":1}', 'p/echo').result, [{ result: '{"x":1}' }]);
  // Large text grows the module's memory first.
  const big = JSON.stringify({ s: 'x'.repeat(3_000_000) });
  assert.equal((policy.evaluate(undefined, 'p/echo', { inputJson: big }).result as Array<{ result: { s: string } }>)[0].result.s.length, 3_000_000);
  assert.deepEqual(policy.evaluate(undefined, 'p/echo', { inputJson: text }).result, [{ result: { a: 1700000000000000000, b: doc.b } }]);
});

test('numeric entrypoints are checked against the module', async () => {
  const policy = await loadPolicy(await build(SRC, ['p/n', 'p/echo']));
  assert.deepEqual(policy.evaluate({ n: 2 }, policy.entrypoints['p/n']).result, [{ result: 2 }]);
  assert.throws(() => policy.evaluate({}, 7), (e: unknown) => e instanceof PolicyEvalError && e.code === 'unknown_entrypoint');
});
