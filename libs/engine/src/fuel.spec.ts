// Fuel budget through the engine with the real toolchain: a runaway policy is stopped mid-run
// and denied with policy_timeout; the budget is recorded in `pinned` so a replay reproduces it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EVAL_FUEL, PolicyEngine } from './policy-engine';
import { regoCompiler, regoHost } from './rego-toolchain';

const RUNAWAY = `package mcp
import rego.v1
n := count([1 | some x in numbers.range(1, 20000); some y in numbers.range(1, 20000)])
decision := {"decision": "allow", "allow": true, "reasons": [], "obligations": {"n": n}}
`;

const NORMAL = `package mcp
import rego.v1
seen contains h.tool.name if some h in input.session.history
decision := {"decision": "allow", "allow": true, "reasons": [], "obligations": {"seen": count(seen)}}
`;

async function withEngine(policy: string, evalFuel: number | undefined, fn: (e: PolicyEngine) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'engine-fuel-'));
  const engine = new PolicyEngine({
    location: { kind: 'directory', path: dir },
    entrypoint: 'mcp/decision',
    // Generous: the fuel budget, not the clock, must be what stops the runaway policy.
    evalTimeoutMs: 60_000,
    evalFuel,
    compiler: regoCompiler(),
    host: regoHost(),
    watch: false,
  });
  try {
    writeFileSync(join(dir, 'p.rego'), policy);
    const r = await engine.start();
    assert.equal(r.result, 'success', r.errors.join('\n'));
    fn(engine);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const NOW = 1_700_000_000_000 * 1e6;

test('a runaway policy is stopped by the fuel budget and denied with policy_timeout', async () => {
  await withEngine(RUNAWAY, 100_000, (engine) => {
    const t0 = performance.now();
    const ev = engine.evaluate({}, NOW);
    const ms = performance.now() - t0;
    assert.equal(ev.verdict.decision, 'deny');
    assert.equal(ev.verdict.allow, false);
    assert.deepEqual(ev.verdict.reasons.map((r) => r.code), ['policy_timeout']);
    assert.match(ev.verdict.reasons[0].message, /fuel.*100000/);
    assert.match(ev.error ?? '', /^policy_timeout: /);
    assert.equal(ev.result, null);
    assert.equal(ev.pinned.fuel, 100_000);
    assert.equal(ev.fuelUsed, 100_000);
    assert.ok(ms < 5000, `took ${ms} ms`);
    // Deterministic: the same budget ends the same way again.
    assert.deepEqual(engine.evaluate({}, NOW).verdict, ev.verdict);
  });
});

test('normal policies are unaffected and report their fuel use; the budget is pinned', async () => {
  await withEngine(NORMAL, undefined, (engine) => {
    const history = Array.from({ length: 256 }, (_, i) => ({ tool: { name: `t${i % 7}` } }));
    const ev = engine.evaluate({ session: { history } }, NOW);
    assert.equal(ev.error, null);
    assert.equal(ev.verdict.decision, 'allow');
    assert.deepEqual(ev.verdict.obligations, { seen: 7 });
    assert.equal(ev.pinned.fuel, DEFAULT_EVAL_FUEL);
    assert.ok(typeof ev.fuelUsed === 'number' && ev.fuelUsed >= 256 && ev.fuelUsed < DEFAULT_EVAL_FUEL / 10, `fuelUsed ${ev.fuelUsed}`);
    const again = engine.evaluate({ session: { history } }, NOW);
    assert.equal(again.fuelUsed, ev.fuelUsed);
  });
});
