// `with` replacing functions, end to end through the Wasm back end: compile() → host loader.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compile } from '../compile';
import { loadPolicy } from '../host';

async function evalWasm(text: string, input: unknown): Promise<unknown> {
  const out = await compile({ modules: [{ file: 'p.rego', text }], entrypoints: ['t/r'] });
  assert.deepEqual(out.errors, []);
  const policy = await loadPolicy(out.wasm!);
  return policy.evaluate(input, 't/r').result;
}

describe('with on functions (Wasm)', () => {
  test('values, functions and builtins replaced in rules called from the expression', async () => {
    const text = `package t
f(x) := x + 1
hundred(x) := x * 100
g(x) := f(x) * 2
h := g(1)
now := time.now_ns()
expired if now > input.exp
claims := p if [_, p, _] := io.jwt.decode(input.token)
r := [a, b, c, d, e, k, m] if {
  a := h with f as 10
  b := h
  c := f(1) with f as input.v
  d := g(1) with f as hundred
  e := expired with time.now_ns as 10 with input.exp as 5
  k := claims.sub with io.jwt.decode as [{}, {"sub": "alice"}, ""] with input.token as "x"
  m := abs(-3) with abs as hundred
}
`;
    assert.deepEqual(await evalWasm(text, { v: 'mocked', exp: 0 }), [{ result: [20, 4, 'mocked', 200, true, 'alice', -300] }]);
  });
});
