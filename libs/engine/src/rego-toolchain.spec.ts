// The real toolchain behind the engine: a pre-serialized input (the service's hot path) is
// evaluated exactly like the value it serializes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyEngine } from './policy-engine';
import { regoCompiler, regoHost } from './rego-toolchain';

const POLICY = `package mcp
import rego.v1
reasons contains {"code": "seen", "message": h.tool.name} if some h in input.session.history
default d := "deny"
d := "allow" if input.tool.name == "read"
decision := {"decision": d, "allow": d == "allow", "reasons": reasons, "obligations": {"n": count(input.session.history), "now": time.now_ns(), "who": input.token.claims.sub}}
`;

test('inputJson is evaluated exactly like the input value (and time is pinned the same)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-rego-'));
  try {
    writeFileSync(join(dir, 'p.rego'), POLICY);
    const engine = new PolicyEngine({
      location: { kind: 'directory', path: dir },
      entrypoint: 'mcp/decision',
      evalTimeoutMs: 1000,
      compiler: regoCompiler(),
      host: regoHost(),
      watch: false,
    });
    const loaded = await engine.start();
    assert.equal(loaded.result, 'success', loaded.errors.join('\n'));
    const input = {
      session: { history: [{ tool: { name: 'fetch' } }, { tool: { name: 'ünï ✓' } }], id: 's' },
      tool: { name: 'read' },
      token: { claims: { sub: 'alice' } },
    };
    const nowNs = 1_700_000_000_000 * 1e6;
    const byValue = engine.evaluate(input, nowNs);
    const byText = engine.evaluate({ ignored: true }, nowNs, JSON.stringify(input));
    assert.equal(byValue.error, null);
    assert.equal(byValue.verdict.decision, 'allow');
    assert.deepEqual(byValue.verdict.reasons.map((r) => r.message).sort(), ['fetch', 'ünï ✓']);
    assert.deepEqual(byText.result, byValue.result);
    assert.deepEqual(byText.pinned, byValue.pinned);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
