// `with` replacing user functions and builtins (OPA semantics): by a value, by another
// function or builtin; in effect inside the expression, including rules called from it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileModules } from '../compiler';
import { parseModule } from '../syntax';
import { Interpreter } from './interpret';
import { fromJSON, RObject, toJS, type Value } from './interp-values';

function run(text: string, input?: unknown, data: unknown = {}): unknown {
  const { module, errors: pe } = parseModule('m.rego', text);
  assert.ok(module, JSON.stringify(pe));
  const { policy, errors } = compileModules([module], { entrypoints: ['t/r'] });
  assert.deepEqual(errors, []);
  const rs = new Interpreter(policy!).run('t/r', input === undefined ? undefined : fromJSON(input), fromJSON(data));
  return rs.length ? toJS((rs[0] as RObject).get('result') as Value) : undefined;
}

describe('with on functions', () => {
  test('a builtin replaced by a value, seen by rules called from the expression', () => {
    const text = `package t
now := time.now_ns()
expired if now > input.exp
default fresh := false
fresh if not expired
r := [a, b, c] if {
  a := expired with time.now_ns as 10 with input.exp as 5
  b := fresh with time.now_ns as 1 with input.exp as 5
  c := now > 1000000
}
`;
    assert.deepEqual(run(text, { exp: 0 }), [true, true, true]);
  });

  test('a value replacement for a deep call; other calls unaffected; mock does not leak', () => {
    const text = `package t
f(x) := x + 1
g(x) := f(x) * 2
h := g(1)
r := [a, b, c, d] if {
  a := h with f as 10
  b := h
  c := f(1) with f as input.v
  d := f(1)
}
`;
    assert.deepEqual(run(text, { v: 'mocked' }), [20, 4, 'mocked', 2]);
  });

  test('a user function replaced by another function, and by a builtin', () => {
    const text = `package t
f(x) := x + 1
hundred(x) := x * 100
g(x) := f(x)
r := [a, b, c] if {
  a := g(3) with f as hundred
  b := g(-3) with f as abs
  c := f(1) with data.t.f as hundred
}
`;
    assert.deepEqual(run(text), [300, 3, 100]);
  });

  test('a builtin replaced by a user function or another builtin', () => {
    const text = `package t
mycount(x) := 42
names := [upper(n) | some n in input]
r := [a, b, n] if {
  a := count([1]) with count as mycount
  b := names with upper as lower
  n := count(input) with count as mycount
}
`;
    assert.deepEqual(run(text, ['A', 'b']), [42, ['a', 'b'], 42]);
  });

  test('the output-argument form and a local variable as the value', () => {
    const text = `package t
f(x) := x
r := [y, z] if {
  v := input.v
  f(1, y) with f as v
  z := f(2)
}
`;
    assert.deepEqual(run(text, { v: 7 }), [7, 2]);
  });

  test('mocks combine with data and input overrides and nest', () => {
    const text = `package t
limit := 10
stamp := time.now_ns()
check if {
  input.n < limit
  stamp == 5
}
inner := v if {
  v := check with time.now_ns as 5
}
r := [a, b] if {
  a := check with data.t.limit as 100 with input.n as 50 with time.now_ns as 5
  b := inner with input.n as 1
}
`;
    assert.deepEqual(run(text, { n: 1000 }), [true, true]);
  });

  test('io.jwt.decode replaced by a value in a helper (typical unit test)', () => {
    const text = `package t
claims := payload if {
  [_, payload, _] := io.jwt.decode(input.token)
}
admin if claims.role == "admin"
r := x if {
  x := admin with io.jwt.decode as [{}, {"role": "admin"}, ""] with input.token as "t"
}
`;
    assert.equal(run(text, {}), true);
  });

  test('replacement inside a comprehension and negation', () => {
    const text = `package t
f(x) := x
r := [xs, ok] if {
  xs := [f(i) | some i in [1, 2]] with f as 0
  ok := true
  not f(1) == 1 with f as 2
}
`;
    assert.deepEqual(run(text), [[0, 0], true]);
  });
});
