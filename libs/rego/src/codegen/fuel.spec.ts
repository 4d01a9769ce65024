// Fuel metering end to end: compile() → host loader. A runaway policy is stopped mid-run with
// eval_fuel_exhausted; the count is deterministic (a replay with the same budget ends at the
// same step); normal policies and plain opa-wasm users are unaffected.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadPolicy as loadOpaWasm } from '@open-policy-agent/opa-wasm';
import { compile } from '../compile';
import { loadPolicy, PolicyEvalError, type ArbiterPolicy } from '../host/index';

const RUNAWAY = `package r
import rego.v1
pairs := count({[x, y] | some x in numbers.range(1, 10000); some y in numbers.range(1, 10000)})
nested := count([1 | some x in numbers.range(1, 3000); some y in numbers.range(1, 3000); some z in numbers.range(1, 3000)])
`;

const NORMAL = `package n
import rego.v1
f(x) := x * 2
doubled := [f(x) | some x in input.xs]
total := sum(doubled)
ok if total > 10
`;

async function load(text: string, entrypoints: string[], fuel?: boolean): Promise<ArbiterPolicy> {
  const out = await compile({ modules: [{ file: 'p.rego', text }], entrypoints, fuel });
  assert.ok(out.wasm, JSON.stringify(out.errors));
  return loadPolicy(out.wasm);
}

function fuelError(fn: () => unknown): PolicyEvalError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PolicyEvalError, String(e));
    return e;
  }
  assert.fail('evaluation completed instead of running out of fuel');
}

describe('fuel metering', () => {
  test('runaway nested comprehensions over numbers.range abort with eval_fuel_exhausted', async () => {
    const p = await load(RUNAWAY, ['r/pairs', 'r/nested']);
    for (const ep of ['r/pairs', 'r/nested']) {
      const t0 = performance.now();
      const e = fuelError(() => p.evaluate({}, ep, { fuel: 200_000 }));
      const ms = performance.now() - t0;
      assert.equal(e.code, 'eval_fuel_exhausted');
      assert.match(e.message, /^eval_fuel_exhausted: .*\b200000\b/);
      // 10^8 / 2.7*10^10 iterations would take minutes; 200k steps are well under a second.
      assert.ok(ms < 5000, `took ${ms} ms`);
    }
    // The instance stays usable after an abort.
    const e = fuelError(() => p.evaluate({}, 'r/pairs', { fuel: 1234 }));
    assert.match(e.message, /budget of 1234 steps/);
  });

  test('fuel use is deterministic: the exact budget completes, one less aborts at the same point', async () => {
    const p = await load(NORMAL, ['n/total', 'n/ok']);
    const input = { xs: [1, 2, 3, 4, 5] };
    const a = p.evaluate(input, 'n/total');
    const b = p.evaluate(input, 'n/total', { fuel: 1_000_000 });
    assert.deepEqual(a.result, [{ result: 30 }]);
    assert.deepEqual(b.result, a.result);
    assert.ok(a.fuelUsed !== undefined && a.fuelUsed > 5, `fuelUsed ${a.fuelUsed}`);
    assert.equal(b.fuelUsed, a.fuelUsed);
    const exact = p.evaluate(input, 'n/total', { fuel: a.fuelUsed });
    assert.deepEqual(exact.result, a.result);
    assert.equal(exact.fuelUsed, a.fuelUsed);
    assert.equal(fuelError(() => p.evaluate(input, 'n/total', { fuel: a.fuelUsed! - 1 })).code, 'eval_fuel_exhausted');
    // More elements, more fuel: each scan iteration and each f() call burns.
    const bigger = p.evaluate({ xs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, 'n/total');
    assert.ok(bigger.fuelUsed! >= a.fuelUsed! + 10, `${bigger.fuelUsed} vs ${a.fuelUsed}`);
  });

  test('a module built without metering runs unmetered and reports no fuel', async () => {
    const p = await load(NORMAL, ['n/total'], false);
    const ev = p.evaluate({ xs: [1, 2, 3] }, 'n/total', { fuel: 1 });
    assert.deepEqual(ev.result, [{ result: 12 }]);
    assert.equal(ev.fuelUsed, undefined);
  });

  test('plain opa-wasm users are unaffected (unlimited default budget)', async () => {
    const out = await compile({ modules: [{ file: 'p.rego', text: NORMAL }], entrypoints: ['n/total', 'n/ok'] });
    const p = await loadOpaWasm(out.wasm!);
    for (let i = 0; i < 3; i++) assert.deepEqual(p.evaluate({ xs: [10, 20] }, 'n/total'), [{ result: 60 }]);
    assert.deepEqual(p.evaluate({ xs: [1] }, 'n/ok'), []);
  });

  test('invalid budgets are rejected before evaluating', async () => {
    const p = await load(NORMAL, ['n/total']);
    for (const fuel of [0, -5, 1.5, NaN]) assert.throws(() => p.evaluate({ xs: [] }, 'n/total', { fuel }), TypeError);
    assert.deepEqual(p.evaluate({ xs: [] }, 'n/total', { fuel: 10n ** 30n }).result, [{ result: 0 }]);
  });
});

describe('conflict messages', () => {
  test('a complete rule re-planned for a with-mock (extra params) still says "complete rules"', async () => {
    const text = `package t
p := 1 if time.now_ns() > 0
p := 2 if time.now_ns() > 0
r := x if { x := p with time.now_ns as input.t }
`;
    const p = await load(text, ['t/r']);
    const e = fuelError(() => p.evaluate({ t: 5 }, 't/r'));
    assert.equal(e.code, 'eval_abort');
    assert.match(e.message, /^eval_conflict_error: complete rules must not produce multiple outputs/);
  });

  test('functions keep the function message', async () => {
    const text = `package t
f(x) := 1 if x > 0
f(x) := 2 if x > 0
r := f(input.t)
`;
    const p = await load(text, ['t/r']);
    const e = fuelError(() => p.evaluate({ t: 5 }, 't/r'));
    assert.match(e.message, /^eval_conflict_error: functions must not produce multiple outputs/);
  });
});
