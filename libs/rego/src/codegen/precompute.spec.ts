import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../index';
import { compileModules } from '../compiler/index';
import { parseModule } from '../syntax/index';
import { loadPolicy } from '../host/index';
import { dataOnlyRules } from './precompute';

const POLICY = `package p
import rego.v1

# data alone
index[name] := labels if some name, labels in data.tools
default valid := false
valid if every _, labels in data.tools { is_array(labels) }
size := count(index)
uses_fn := f(data.tools)
f(x) := count(x)

# reads input, directly or through what it calls
wanted := index[input.tool]
via_fn := g(1)
g(x) := x + count(input.list)
# varies between calls
stamp := time.now_ns()
timed := size + stamp

out := {"valid": valid, "size": size, "wanted": wanted, "uses_fn": uses_fn, "via_fn": via_fn}
mocked := x if {
	x := out with data.tools as {"only": ["one"]}
}
`;

async function build(text: string, precompute?: boolean) {
  const r = await compile({ modules: [{ file: 'p.rego', text }], entrypoints: ['p/out', 'p/mocked', 'p/timed'], precompute });
  assert.deepEqual(r.errors, []);
  return r.wasm!;
}

test('the analysis finds the rules that depend on data alone', () => {
  const parsed = parseModule('p.rego', POLICY);
  assert.deepEqual(parsed.errors, []);
  const { policy, errors } = compileModules([parsed.module!], { entrypoints: ['p/out', 'p/timed'] });
  assert.deepEqual(errors, []);
  const names = [...dataOnlyRules(policy!)].map((n) => n.replace(/^g\d+\.data\./, '')).sort();
  for (const n of ['p.index', 'p.valid', 'p.size', 'p.uses_fn']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  for (const n of ['p.wanted', 'p.via_fn', 'p.stamp', 'p.timed', 'p.out']) assert.ok(!names.includes(n), `${n} not data-only`);
});

test('precomputed rules give the same answers and fuel charges, honour `with data` and new data', async () => {
  const data = { tools: { a: ['x'], b: ['y', 'z'] } };
  const fast = await loadPolicy(await build(POLICY), { data });
  const slow = await loadPolicy(await build(POLICY, false), { data });
  assert.ok(fast.precomputed >= 4, `precomputed ${fast.precomputed}`);
  assert.equal(slow.precomputed, 0);
  for (const input of [{ tool: 'a', list: [1] }, { tool: 'b', list: [] }, { tool: 'nope', list: [1, 2] }]) {
    for (const ep of ['p/out', 'p/mocked']) {
      const a = fast.evaluate(input, ep, { fuel: 1e6 });
      const b = slow.evaluate(input, ep, { fuel: 1e6 });
      assert.deepEqual(a.result, b.result, `${ep} ${JSON.stringify(input)}`);
      // The cache saves CPU, not budget: each evaluation is charged what computing the rule took.
      assert.ok(a.fuelUsed! >= b.fuelUsed!, `no fuel saved by the cache (${a.fuelUsed} vs ${b.fuelUsed})`);
    }
  }
  // `with data.tools as …` must not see the values precomputed for the real data.
  const mocked = fast.evaluate({ tool: 'only', list: [] }, 'p/mocked').result as Array<{ result: { size: number; wanted: string[] } }>;
  assert.equal(mocked[0].result.size, 1);
  assert.deepEqual(mocked[0].result.wanted, ['one']);
  // New data: recomputed.
  fast.setData({ tools: { c: 'not a list' } });
  const after = fast.evaluate({ tool: 'c', list: [] }, 'p/out').result as Array<{ result: Record<string, unknown> }>;
  assert.equal(after[0].result.valid, false, 'valid is recomputed for the new data');
  assert.equal(after[0].result.size, 1);
  // Many evaluations in a row reuse the precomputed values (the heap stays after them).
  for (let i = 0; i < 200; i++) assert.equal((fast.evaluate({ tool: 'c', list: [] }, 'p/out').result as Array<{ result: { size: number } }>)[0].result.size, 1);
});

test('rules that vary are not precomputed: time.now_ns still follows the evaluation', async () => {
  const p = await loadPolicy(await build(POLICY), { data: { tools: { a: [] } } });
  const one = p.evaluate({}, 'p/timed', { nowNs: 1000n }).result as Array<{ result: number }>;
  const two = p.evaluate({}, 'p/timed', { nowNs: 5000n }).result as Array<{ result: number }>;
  assert.equal(one[0].result, 1001);
  assert.equal(two[0].result, 5001);
});

test('a data-only rule with a builtin error is left to each evaluation (reported, or aborting in strict mode)', async () => {
  const text = `package p
import rego.v1
default bad := "undefined"
bad := to_number(data.s)
default re := "undefined"
re := regex.match(data.pattern, "x")
out := {"bad": bad, "re": re}
`;
  const r = await compile({ modules: [{ file: 'p.rego', text }], entrypoints: ['p/out'] });
  assert.deepEqual(r.errors, []);
  const p = await loadPolicy(r.wasm!, { data: { s: 'not a number', pattern: '(' } });
  assert.equal(p.precomputed, 0, 'both rules failed to precompute and were dropped');
  const ev = p.evaluate({}, 'p/out');
  assert.deepEqual(ev.result, [{ result: { bad: 'undefined', re: 'undefined' } }]);
  assert.ok(ev.builtinErrors.some((e) => e.builtin === 'regex.match'), 'the host builtin error is reported by the evaluation');
  assert.throws(() => p.evaluate({}, 'p/out', { strictBuiltinErrors: true }), /eval_builtin_error|eval_type_error/);
});

test('a precomputed rule is charged its steps: a budget too small for it still runs out', async () => {
  const text = `package p
import rego.v1
n := count([x | some x in numbers.range(1, 200000)])
out := n
`;
  const r = await compile({ modules: [{ file: 'p.rego', text }], entrypoints: ['p/out'] });
  const p = await loadPolicy(r.wasm!, { data: {} });
  assert.ok(p.precomputed >= 1);
  assert.deepEqual(p.evaluate({}, 'p/out', { fuel: 1_000_000 }).result, [{ result: 200000 }]);
  assert.throws(() => p.evaluate({}, 'p/out', { fuel: 100_000 }), /eval_fuel_exhausted/);
});
