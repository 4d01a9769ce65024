// Ad-hoc queries end to end through Arbiter's compiler and the opa-wasm host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateQuery } from './evaluate-query';

const modules = [{ file: 'p.rego', text: 'package p\n\nq := {"a": 1, "b": 2}\n\nlimit := data.cfg.limit\n' }];
const data = { cfg: { limit: 3 }, xs: [1, 2] };

async function bindings(query: string, input?: unknown) {
  const out = await evaluateQuery({ query, modules, data, input });
  if (!out.ok) throw new Error(out.errors.map((e) => `${e.line}:${e.col} ${e.code} ${e.message}`).join('; '));
  return out.bindings;
}

test('queries evaluate to binding sets', async () => {
  assert.deepEqual(await bindings('x := data.p.limit; y := x + 1'), [{ x: 3, y: 4 }]);
  assert.deepEqual(await bindings('data.p.q[k] = v'), [
    { k: 'a', v: 1 },
    { k: 'b', v: 2 },
  ]);
  assert.deepEqual(await bindings('data.p.q.a = 1'), [{}]);
  assert.deepEqual(await bindings('data.p.q.a = 2'), []);
  assert.deepEqual(await bindings('data.p.limit'), [{ result: 3 }]);
  assert.deepEqual(await bindings('input.n > 1', { n: 0 }), [{ result: false }]);
  assert.deepEqual(await bindings('[x | x := data.xs[_]; x > 1]'), [{ result: [2] }]);
  assert.deepEqual(await bindings('1 / 0'), []);
  assert.deepEqual(await bindings('input.n with input as {"n": 4}'), [{ result: 4 }]);
  assert.deepEqual(await bindings('data.p.limit with data.cfg.limit as 9'), [{ result: 9 }]);
});

test('compile errors point into the query', async () => {
  const out = await evaluateQuery({ query: 'x := 1\ny := nope', modules, data, queryFile: '<q>' });
  assert.equal(out.ok, false);
  if (out.ok) return;
  assert.equal(out.errors[0].file, '<q>');
  assert.equal(out.errors[0].line, 2);
});
