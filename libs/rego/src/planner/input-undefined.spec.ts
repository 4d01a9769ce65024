// Bare `input` without an input document is undefined, so every expression using it is too
// (a composite holding it must not be built with a hole).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../index';
import { loadPolicy } from '../host/index';

test('bare input is undefined without an input document; input.x and not input behave', async () => {
  const text = `package p
obj := {"in": input, "k": 1}
arr := [input]
whole := input
path := input.a
none if not input
`;
  const eps = ['p/obj', 'p/arr', 'p/whole', 'p/path', 'p/none'];
  const r = await compile({ modules: [{ file: 'p.rego', text }], entrypoints: eps });
  assert.deepEqual(r.errors, []);
  const policy = await loadPolicy(r.wasm!);
  for (const ep of eps.slice(0, 4)) assert.deepEqual(policy.evaluate(undefined, ep).result, [], ep);
  assert.deepEqual(policy.evaluate(undefined, 'p/none').result, [{ result: true }]);
  assert.deepEqual(policy.evaluate({ a: 2 }, 'p/obj').result, [{ result: { in: { a: 2 }, k: 1 } }]);
  assert.deepEqual(policy.evaluate({ a: 2 }, 'p/arr').result, [{ result: [{ a: 2 }] }]);
  assert.deepEqual(policy.evaluate({ a: 2 }, 'p/path').result, [{ result: 2 }]);
  assert.deepEqual(policy.evaluate({ a: 2 }, 'p/none').result, []);
});
