// Planner tests: compile small policies, run the IR with the interpreter, check the values.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileModules } from '../compiler';
import { parseModule } from '../syntax';
import { Interpreter } from './interpret';
import { fromJSON, RObject, toJS, type Value } from './interp-values';
import type { Policy } from './ir';

function compile(entrypoints: string[], ...texts: string[]): Policy {
  const modules = texts.map((t, i) => parseModule(`m${i}.rego`, t).module!);
  const { policy, errors } = compileModules(modules, { entrypoints });
  assert.deepEqual(errors, []);
  return policy!;
}

/** The entrypoint's value as plain JS, or undefined when it adds no result. */
function evalEp(policy: Policy, ep: string, input?: unknown, data: unknown = {}, interp = new Interpreter(policy)): unknown {
  const rs = interp.run(ep, input === undefined ? undefined : fromJSON(input), fromJSON(data));
  if (!rs.length) return undefined;
  return toJS((rs[0] as RObject).get('result') as Value);
}

describe('planner', () => {
  test('complete rule with default and else', () => {
    const p = compile(
      ['t/r'],
      `package t
default r := "none"
r := "big" if input.n > 10
else := "small" if input.n > 0
`,
    );
    assert.equal(evalEp(p, 't/r', { n: 11 }), 'big');
    assert.equal(evalEp(p, 't/r', { n: 3 }), 'small');
    assert.equal(evalEp(p, 't/r', { n: -1 }), 'none');
    assert.equal(evalEp(p, 't/r'), 'none');
  });

  test('partial set and object rules, iteration over input', () => {
    const p = compile(
      ['t'],
      `package t
names contains u.name if some u in input.users
by_id[u.id] := u.name if some u in input.users
admins contains name if {
  some i
  input.users[i].admin
  name := input.users[i].name
}
`,
    );
    const input = { users: [{ id: 'a', name: 'ann', admin: true }, { id: 'b', name: 'bob' }] };
    assert.deepEqual(evalEp(p, 't', input), { admins: ['ann'], by_id: { a: 'ann', b: 'bob' }, names: ['ann', 'bob'] });
  });

  test('conflicting complete values are a runtime conflict error', () => {
    const p = compile(['t/r'], 'package t\nr := x if some x in input\n');
    assert.equal(evalEp(p, 't/r', [1, 1]), 1);
    assert.throws(() => evalEp(p, 't/r', [1, 2]), (e: Error & { code?: string }) => e.code === 'eval_conflict_error');
  });

  test('functions: several definitions, patterns, default true', () => {
    const p = compile(
      ['t/r'],
      `package t
f(1) := "one"
f(x) := "many" if x > 1
g(x) if x == "ok"
r := [f(1), f(5), g("ok")]
`,
    );
    assert.deepEqual(evalEp(p, 't/r'), ['one', 'many', true]);
  });

  test('not, every, comprehensions', () => {
    const p = compile(
      ['t/r'],
      `package t
r := {"evens": evens, "all_pos": all_pos, "no_zero": no_zero}
evens := [x | some x in input; x % 2 == 0]
all_pos if every x in input { x > 0 }
default all_pos := false
no_zero if not 0 in input
default no_zero := false
`,
    );
    assert.deepEqual(evalEp(p, 't/r', [1, 2, 4]), { evens: [2, 4], all_pos: true, no_zero: true });
    assert.deepEqual(evalEp(p, 't/r', [0, 2]), { evens: [0, 2], all_pos: false, no_zero: false });
  });

  test('data refs merge base and virtual documents', () => {
    const p = compile(['a', 'a/q/x'], 'package a\np := 1\n', 'package a.q\nx := data.a.base + 1\n');
    assert.deepEqual(evalEp(p, 'a', undefined, { a: { base: 41, other: 'o' } }), { base: 41, other: 'o', p: 1, q: { x: 42 } });
    assert.equal(evalEp(p, 'a/q/x', undefined, { a: { base: 1 } }), 2);
  });

  test('iteration over virtual documents with a variable key', () => {
    const p = compile(['t/r'], 'package t\nr contains k if data.roles[k].admin\n', 'package roles\nalice := {"admin": true}\nbob := {"admin": false}\n');
    assert.deepEqual(evalEp(p, 't/r', undefined, { roles: { carol: { admin: true } } }), ['alice', 'carol']);
  });

  test('with input and with data on a rule', () => {
    const p = compile(
      ['t/r'],
      `package t
allow if input.user == "admin"
limit := 10
over if input.n > limit
r := [a, b, c, input.user] if {
  a := allow with input.user as "admin"
  b := over with input.n as 5 with data.t.limit as 1
  c := over with input.n as 5
}
`,
    );
    // c: limit is 10 again outside the with; input.user is restored after the withs
    assert.equal(evalEp(p, 't/r', { user: 'eve' }), undefined);
  });

  test('with data overrides the rule inside the expression only', () => {
    const p = compile(
      ['t/r'],
      `package t
limit := 10
over if input.n > limit
r := [b, limit, input.user] if {
  b := over with input.n as 5 with data.t.limit as 1
}
`,
    );
    assert.deepEqual(evalEp(p, 't/r', { user: 'eve' }), [true, 10, 'eve']);
  });

  test('print passes one array of sets; undefined prints <undefined>', () => {
    const p = compile(['t/r'], 'package t\nr if {\n  print("n", input.n, input.missing)\n}\n');
    const interp = new Interpreter(p);
    assert.equal(evalEp(p, 't/r', { n: 3 }, {}, interp), true);
    assert.deepEqual(interp.printed, ['n 3 <undefined>']);
  });

  test('funcs reading only input/data are cacheable; functions are not', () => {
    const p = compile(['t/r'], 'package t\nf(x) := x\nr := f(input)\n');
    const byPath = Object.fromEntries(p.funcs.map((f) => [f.path.join('.'), f.cacheable]));
    assert.deepEqual(byPath, { 't.r': true, 't.f': false });
  });
});
