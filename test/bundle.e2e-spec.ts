// ARBITER_BUNDLE: the service loads an OPA-format bundle (/policy.wasm, /data.json, /.manifest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@arbiter/rego';
import { writeBundle } from '@arbiter/rego/bundle';
import { startArbiter } from './support/arbiter-harness';
import { MAIN_POLICY } from './support/test-policies';

test('a bundle loads with its manifest revision and data', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-bundle-'));
  try {
    const out = await compile({ modules: [{ file: 'p.rego', text: MAIN_POLICY }], entrypoints: ['mcp/decision'] });
    assert.deepEqual(out.errors, []);
    const file = join(dir, 'bundle.tar.gz');
    writeBundle(file, { wasm: out.wasm!, data: { blocked: ['danger'] }, entrypoints: ['mcp/decision'], revision: 'bundle-rev-7' });
    const h = await startArbiter({ policies: {}, env: { ARBITER_BUNDLE: file } });
    try {
      const claims = { tool: { name: 'danger' }, session: { id: 'b1' } };
      const d = await h.decide(claims);
      assert.equal(d.status, 200, d.text);
      assert.equal(d.body.policy.revision, 'bundle-rev-7');
      assert.deepEqual(d.body.reasons.map((r: any) => r.code).sort(), ['blocked_tool', 'token_invalid']);
      const ready = await h.request('GET', '/health/ready');
      assert.equal(ready.body.policy.source.kind, 'bundle');
    } finally {
      await h.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
