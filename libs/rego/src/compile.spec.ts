// compile() end to end: Rego source → Wasm → opa-wasm evaluate.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compile } from './compile';

async function build(text: string, entrypoints: string[], data?: unknown, builtins: Record<string, (...a: any[]) => unknown> = {}) {
  const out = await compile({ modules: [{ file: 'p.rego', text }], entrypoints });
  assert.deepEqual(out.errors, []);
  assert.ok(out.wasm);
  assert.deepEqual(out.entrypoints, entrypoints);
  const p = await loadPolicy(out.wasm, undefined, builtins);
  if (data !== undefined) p.setData(data as object);
  return p;
}

const RBAC = `package rbac
import rego.v1

default allow := false

allow if {
  some r in data.user_roles[input.user]
  some p in data.role_permissions[r]
  p.action == input.action
  p.type == input.type
}

roles := data.user_roles[input.user]
`;

const DATA = {
  user_roles: { alice: ['admin'], bob: ['viewer'] },
  role_permissions: {
    admin: [
      { action: 'read', type: 'doc' },
      { action: 'write', type: 'doc' },
    ],
    viewer: [{ action: 'read', type: 'doc' }],
  },
};

describe('compile', () => {
  test('an RBAC policy decides through opa-wasm', async () => {
    const p = await build(RBAC, ['rbac/allow', 'rbac/roles'], DATA);
    assert.deepEqual(p.evaluate({ user: 'alice', action: 'write', type: 'doc' }, 'rbac/allow'), [{ result: true }]);
    assert.deepEqual(p.evaluate({ user: 'bob', action: 'write', type: 'doc' }, 'rbac/allow'), [{ result: false }]);
    assert.deepEqual(p.evaluate({ user: 'bob', action: 'read', type: 'doc' }, 'rbac/allow'), [{ result: true }]);
    assert.deepEqual(p.evaluate({ user: 'carol' }, 'rbac/allow'), [{ result: false }]);
    assert.deepEqual(p.evaluate({ user: 'bob' }, 'rbac/roles'), [{ result: ['viewer'] }]);
    assert.deepEqual(p.evaluate({ user: 'carol' }, 'rbac/roles'), []);
  });

  test('partial sets and objects, comprehensions, functions and builtins', async () => {
    const text = `package t
import rego.v1

tools contains t.name if some t in input.tools
by_name[t.name] := t.risk if some t in input.tools
risky := [n | some n, r in by_name; r > 5]
double(x) := x * 2
total := sum([double(r) | some r in by_name])
shout := upper(concat("-", sort(tools)))
not_admin if not input.admin
`;
    const p = await build(text, ['t/tools', 't/by_name', 't/risky', 't/total', 't/shout', 't/not_admin']);
    const input = { tools: [{ name: 'rm', risk: 9 }, { name: 'ls', risk: 1 }] };
    assert.deepEqual(p.evaluate(input, 't/tools'), [{ result: ['ls', 'rm'] }]);
    assert.deepEqual(p.evaluate(input, 't/by_name'), [{ result: { ls: 1, rm: 9 } }]);
    assert.deepEqual(p.evaluate(input, 't/risky'), [{ result: ['rm'] }]);
    assert.deepEqual(p.evaluate(input, 't/total'), [{ result: 20 }]);
    assert.deepEqual(p.evaluate(input, 't/shout'), [{ result: 'LS-RM' }]);
    assert.deepEqual(p.evaluate(input, 't/not_admin'), [{ result: true }]);
    assert.deepEqual(p.evaluate({ ...input, admin: true }, 't/not_admin'), []);
  });

  test('conflicting complete rules abort with eval_conflict_error', async () => {
    const text = `package t
import rego.v1
x := 1 if input.a
x := 2 if input.b
`;
    const p = await build(text, ['t/x']);
    assert.deepEqual(p.evaluate({ a: true }, 't/x'), [{ result: 1 }]);
    assert.throws(() => p.evaluate({ a: true, b: true }, 't/x'), /^eval_conflict_error: /);
  });

  test('host builtins that opa-wasm shadows are registered under arbiter.<name>', async () => {
    const text = `package t
import rego.v1
msg := regex.split("user %v", input.user)
`;
    const out = await compile({ modules: [{ file: 'p.rego', text }], entrypoints: ['t/msg'] });
    assert.ok(out.wasm);
    const p = await loadPolicy(out.wasm, undefined, { 'arbiter.regex.split': (f: string, a: string) => f.replace('%v', a) });
    assert.deepEqual(p.evaluate({ user: 'ann' }, 't/msg'), [{ result: 'user ann' }]);
  });

  test('with, every, print, unicode, big integers and floats survive the round trip', async () => {
    const text = `package t
import rego.v1

name := input.name
renamed := x if { x := name with input.name as "zoë" }
all_small if every x in input.xs { x < 10 }
echo := input
big := data.big + 0
half := input.n / 2
logged if print("checking", input.xs, input.missing)
`;
    const lines: string[] = [];
    const original = console.log;
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    try {
      const p = await build(text, ['t/renamed', 't/all_small', 't/echo', 't/big', 't/half', 't/logged'], { big: 12345678901234567890 });
      const input = { name: 'Ünïcødé 😀', xs: [1, 2, 3], n: 3, nested: { z: [true, null, 1.5e-7], a: '' } };
      assert.deepEqual(p.evaluate(input, 't/renamed'), [{ result: 'zoë' }]);
      assert.deepEqual(p.evaluate(input, 't/all_small'), [{ result: true }]);
      assert.deepEqual(p.evaluate({ ...input, xs: [1, 20] }, 't/all_small'), []);
      assert.deepEqual(p.evaluate(input, 't/echo'), [{ result: input }]);
      assert.deepEqual(p.evaluate(input, 't/big'), [{ result: 12345678901234567890 }]);
      assert.deepEqual(p.evaluate(input, 't/half'), [{ result: 1.5 }]);
      assert.deepEqual(p.evaluate(input, 't/logged'), [{ result: true }]);
    } finally {
      console.log = original;
    }
    // opa-wasm decodes printed bytes as Latin-1, so print ASCII here.
    assert.ok(lines.includes('checking [1, 2, 3] <undefined>'), JSON.stringify(lines));
  });

  test('bad input gives diagnostics, never an exception', async () => {
    const parseErr = await compile({ modules: [{ file: 'bad.rego', text: 'package t\nallow if {' }], entrypoints: ['t/allow'] });
    assert.equal(parseErr.wasm, undefined);
    assert.ok(parseErr.errors.length > 0);
    assert.equal(parseErr.errors[0].file, 'bad.rego');
    const unsafe = await compile({ modules: [{ file: 'u.rego', text: 'package t\nimport rego.v1\nallow if { x > 1 }' }], entrypoints: ['t/allow'] });
    assert.equal(unsafe.wasm, undefined);
    assert.ok(unsafe.errors.length > 0);
    const weird = await compile({ modules: [{ file: 'w.rego', text: '\u0000\u0001' }], entrypoints: [] });
    assert.ok(weird.errors.length > 0);
  });
});
