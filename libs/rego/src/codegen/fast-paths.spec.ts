// The inline fast paths of the generated code (fused builtin tests, comparisons with constants,
// hinted field access, folded literals, inline loops) must not change a single result: every
// policy here is compiled twice, with and without them (GenerateOptions.fastPaths), and both
// modules must answer alike on every input, including undefined operands, values of the
// wrong type, missing keys and objects of different shapes reaching one access site.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile } from '../compile';
import { loadPolicy, type ArbiterPolicy } from '../host';
import { loadSourceTree } from '../bundle';
import { ExprGen, seeded } from '../planner/expr-gen';
import { compileModules } from '../compiler';
import { parseModule } from '../syntax';

async function build(modules: Array<{ file: string; text: string }>, entrypoints: string[], fastPaths: boolean, data: unknown): Promise<ArbiterPolicy> {
  const out = await compile({ modules, entrypoints, fastPaths });
  assert.deepEqual(out.errors, []);
  return loadPolicy(out.wasm!, { data });
}

/** Both builds of one policy; `check` evaluates an input on both and compares (and returns) the result. */
async function pair(modules: Array<{ file: string; text: string }>, entrypoint: string, data: unknown = {}) {
  const fast = await build(modules, [entrypoint], true, data);
  const plain = await build(modules, [entrypoint], false, data);
  return (input: unknown): unknown => {
    const a = fast.evaluate(input, entrypoint, { nowNs: 1767225600000000000n }).result;
    const b = plain.evaluate(input, entrypoint, { nowNs: 1767225600000000000n }).result;
    assert.deepEqual(a, b, `input ${JSON.stringify(input)}`);
    return a;
  };
}

const rego = (text: string) => [{ file: 'p.rego', text: `package t\n${text}` }];

const VALUES: unknown[] = [null, true, false, 0, 1, -2, 2.5, 1e20, '', 'a', 'tool', 'time_ns', 'décision', 'x'.repeat(40), [], [1, 'a'], {}, { a: 1 }];

describe('codegen fast paths: results match the plain code', () => {
  test('type tests, order and equality builtins, `in`, comparisons with constants', async () => {
    const check = await pair(
      rego(`
types contains t if { is_string(input.v); t := "string" }
types contains t if { is_number(input.v); t := "number" }
types contains t if { is_boolean(input.v); t := "boolean" }
types contains t if { is_null(input.v); t := "null" }
types contains t if { is_array(input.v); t := "array" }
types contains t if { is_object(input.v); t := "object" }
types contains t if { is_set(input.s); t := "set" }
types contains "missing" if { not is_string(input.nope) }
order contains "lt" if input.v < input.w
order contains "lte" if input.v <= input.w
order contains "gt" if input.v > input.w
order contains "gte" if input.v >= input.w
order contains "eq" if input.v == input.w
order contains "neq" if input.v != input.w
order contains "eq_fn" if equal(input.v, input.w)
order contains "undef" if input.nope < 1
members contains "set" if input.v in {"a", "tool", 1, null}
members contains "array" if input.v in ["a", 2.5, false, {"a": 1}]
members contains "object" if input.v in {"k": "a", "j": []}
members contains "input" if input.v in input.w
members contains "not" if not input.v in {"x"}
consts contains "true" if input.v == true
consts contains "false" if input.v == false
consts contains "not_false" if input.v != false
consts contains "not_true" if input.v != true
consts contains "a" if input.v == "a"
consts contains "empty" if input.v == ""
consts contains "tool" if input.v == "tool"
consts contains "not_tool" if input.v != "tool"
consts contains "long" if input.v == "${'x'.repeat(40)}"
consts contains "accent" if input.v == "décision"
consts contains "time_ns" if "time_ns" == input.v
r := {"types": types, "order": order, "members": members, "consts": consts}
`),
      't/r',
    );
    let n = 0;
    for (const v of [...VALUES, undefined]) {
      for (const w of [undefined, 1, 'a', [v], { k: v }, v]) {
        const input: Record<string, unknown> = { s: 1 };
        if (v !== undefined) input.v = v;
        if (w !== undefined) input.w = w;
        check(input);
        n++;
      }
    }
    assert.ok(n > 100);
    // Spot checks that the comparison is of values, not of pointers or prefixes.
    const r = (check({ v: 'tool', w: 'tool' }) as Array<{ result: Record<string, string[]> }>)[0].result;
    assert.deepEqual(r.consts, ['not_false', 'not_true', 'tool']);
    assert.deepEqual(r.members, ['not', 'set']);
    assert.deepEqual(r.order, ['eq', 'eq_fn', 'gte', 'lte']);
  });

  test('field access: every shape at one site, missing keys, arrays, sets, strings, names of every length', async () => {
    const names = ['a', 'ab', 'abc', 'tool', 'tools', 'time_ns', 'decision', 'arguments', 'history_source', 'x'.repeat(32), 'y'.repeat(33), 'é', 'ü_k'];
    const rules = names.map((k, i) => `f${i}(x) := x[${JSON.stringify(k)}]\nr${i} := [v | some o in input.objs; v := f${i}(o)]`).join('\n');
    const check = await pair(rego(`${rules}\nr := [${names.map((_, i) => `r${i}`).join(', ')}]`), 't/r');
    const objOf = (keys: string[], tag: string) => Object.fromEntries(keys.map((k, i) => [k, `${tag}${i}`]));
    const shapes: unknown[] = [
      objOf(names, 'all'),
      objOf(names.slice(3), 'tail'),
      objOf([...names].reverse().slice(0, 6), 'some'),
      objOf(names.map((k) => k + 'z'), 'near'),
      objOf(names.map((k) => k.slice(0, -1)), 'short'),
      ...names.map((k) => ({ [k]: 'only' })),
      Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
      { ...objOf(names, 'big'), ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])) },
      { 'tool\n': 1, '"a"': 2 },
      [1, 2, 3],
      ['tool', 'a'],
      'tool',
      5,
      null,
      {},
    ];
    // One evaluation meets all shapes at each site, in several orders (the hint moves around).
    for (let rot = 0; rot < shapes.length; rot += 3) {
      const objs = [...shapes.slice(rot), ...shapes.slice(0, rot)];
      check({ objs });
      check({ objs: [...objs, ...objs] });
    }
    const r = (check({ objs: [objOf(names, 'v'), { tool: 't' }, { a: 1, ab: 2 }] }) as Array<{ result: unknown[][] }>)[0].result;
    assert.deepEqual(r[3], ['v3', 't']);
    assert.deepEqual(r[0], ['v0', 1]);
    // JSON text escapes in keys decode before they are compared.
    const fast = await build(rego('r := input["a\\"b"]'), ['t/r'], true, {});
    assert.deepEqual(fast.evaluate(undefined, 't/r', { inputJson: '{"a\\u0022b": 7, "a\\"c": 8}' }).result, [{ result: 7 }]);
  });

  test('literals folded into constants stay intact across calls and evaluations', async () => {
    const check = await pair(
      rego(`
executed(h) if h.decision in {"allow", "ask"}
labels(h) := {"kinds": ["read", "write"], "modes": {"deny", "ask"}, "n": {1, 2, 3}, "empty": [], "nested": {"a": {"b": ["c", null, true]}}} if h.decision == "allow"
labels(h) := {"k": "v", "k": "v"} if h.decision == "ask"
grow(h) := s if {
  s := {"base"} | {h.decision}
}
r := {
  "executed": [i | some i, h in input.history; executed(h)],
  "labels": [labels(h) | some h in input.history],
  "grown": [grow(h) | some h in input.history],
  "sets": [x | some x in {"b", "a", "c", "a"}],
  "obj": object.union({"a": 1, "b": {"c": 2}}, {"b": {"d": 3}}),
  "arr": array.concat(["x"], [h.decision | some h in input.history]),
}
`),
      't/r',
    );
    const history = ['allow', 'ask', 'deny', 'allow', null, 3, 'ask'].map((decision) => ({ decision }));
    // Repeated evaluations: a constant changed by one would show up in the next.
    for (let i = 0; i < 3; i++) check({ history });
    const r = (check({ history }) as Array<{ result: Record<string, unknown> }>)[0].result;
    assert.deepEqual(r.executed, [0, 1, 3, 6]);
    assert.deepEqual(r.sets, ['a', 'b', 'c']);
    assert.deepEqual((r.labels as unknown[])[0], { kinds: ['read', 'write'], modes: ['ask', 'deny'], n: [1, 2, 3], empty: [], nested: { a: { b: ['c', null, true] } } });
  });

  test('loops over arrays, objects, sets, scalars and undefined', async () => {
    const check = await pair(
      rego(`
keys := [k | some k, _ in input.c]
vals := [v | some v in input.c]
pairs := {k: v | some k, v in input.c}
count_all := count([1 | some _ in input.c])
nested := [[k, x] | some k, v in input.c; some x in v]
r := {"keys": keys, "vals": vals, "pairs": pairs, "count": count_all, "nested": nested}
`),
      't/r',
    );
    for (const c of [undefined, null, 3, 'str', [], {}, [1, [2, 3], 'a'], { b: [1], a: { x: 1 }, c: 'z' }, ['a', { k: ['v'] }]]) check(c === undefined ? {} : { c });
  });

  test('random expressions', async () => {
    const gen = new ExprGen(seeded(424242));
    const rules: string[] = [];
    for (let i = 0; rules.length < 200 && i < 2000; i++) rules.push(`r${rules.length} := ${gen.expr()}`);
    // Expressions that do not compile on their own (type errors) are dropped.
    const ok: string[] = [];
    for (const rule of rules) {
      const { module } = parseModule('p.rego', `package t\n${rule}\n`);
      if (module && compileModules([module], { entrypoints: [] }).errors.length === 0) ok.push(rule.replace(/^r\d+/, `r${ok.length}`));
    }
    assert.ok(ok.length > 100, `only ${ok.length} rules compile`);
    const check = await pair(rego(ok.join('\n')), 't');
    for (const input of [{ n: 3, s: 'hello', xs: [1, 'two', 3.5, null], o: { k: 'v', n: 2 } }, { n: 'x', s: 1, xs: {}, o: [] }, {}]) check(input);
  });
});

describe('codegen fast paths: the default policy pack decides alike', () => {
  test('decisions over histories, tools, tokens and decisions of every kind', async () => {
    let root = __dirname;
    while (!fs.existsSync(path.join(root, 'package.json'))) root = path.dirname(root);
    const tree = loadSourceTree([path.join(root, 'policies')], { includeTests: false });
    assert.deepEqual(tree.errors, []);
    const check = await pair(tree.modules.map((m) => ({ file: m.file, text: m.text })), 'mcp/decision', tree.data);
    const now = 1767225600;
    const claims = { scope: 'issues:read repo:read', client_id: 'c', sub: 'u', iss: 'https://idp.example.com', aud: 'https://mcp.example.com/github', iat: now - 60, exp: now + 3600 };
    const tools = [
      { name: 'get_issue', server: 'github', arguments: { owner: 'acme', repo: 'r', number: 1 } },
      { name: 'delete_repo', server: 'github', arguments: { owner: 'acme', repo: 'r' } },
      { name: 'unknown_tool', server: 'nowhere', arguments: {} },
      { name: 'get_issue', arguments: {} },
      { name: 42 },
    ];
    const decisions = ['allow', 'ask', 'deny', undefined];
    const step = (i: number) => ({ step: i, time_ns: (now - i) * 1e9, tool: tools[i % tools.length], decision: decisions[i % decisions.length], reasons: [] });
    let n = 0;
    for (const len of [0, 1, 7, 40]) {
      for (const tool of tools) {
        for (const token of [{ present: true, valid: true, source: 'jwt', claims, error: null }, { present: false, valid: false, source: null, claims: {}, error: null }, { present: true, valid: true, source: 'jwt', claims: { ...claims, exp: now - 1 }, error: null }]) {
          const input = {
            tool: { ...tool, annotations: {} },
            token,
            resource: 'https://mcp.example.com/github',
            caller: { name: 'anonymous', role: 'anonymous', trusted: false },
            now_ns: now * 1e9,
            session: { id: 's', step: len + 1, owner: { subject: 'u', client_id: 'c' }, owner_mismatch: false, history_source: 'server', history: Array.from({ length: len }, (_, i) => step(i)) },
          };
          check(input);
          n++;
        }
      }
    }
    assert.equal(n, 60);
  });
});
