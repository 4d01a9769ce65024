// The repository's default policy pack (policies/) loads and decides through the service.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../apps/pdp/src/config/app-config';
import { startArbiter, type Harness } from './support/arbiter-harness';
import { createTestKeys, type TestKeys } from './support/jwt-keys';

const RESOURCE = 'https://mcp.example.com/github';
let h: Harness;
let keys: TestKeys;
let keyDir: string;

before(async () => {
  keyDir = mkdtempSync(join(tmpdir(), 'arbiter-pack-'));
  keys = await createTestKeys(keyDir);
  h = await startArbiter({
    policies: {},
    env: { ARBITER_POLICIES: join(repoRoot(), 'policies'), ARBITER_JWKS_FILE: keys.jwksFile, ARBITER_JWT_ISSUERS: 'https://idp.example.com' },
  });
});
after(async () => {
  await h?.close();
  rmSync(keyDir, { recursive: true, force: true });
});

test('the default pack is loaded', async () => {
  const r = await h.request('GET', '/health/ready');
  assert.equal(r.status, 200, JSON.stringify(r.body.policy.last_error));
});

test('no token → deny; a valid token with the right scope → allow', async () => {
  const tool = { name: 'get_issue', server: 'github', arguments: { owner: 'o', repo: 'r', number: 1 } };
  const anon = await h.decide({ tool, resource: RESOURCE, session: { id: 'pack-1' } });
  assert.equal(anon.body.decision, 'deny');
  assert.ok(anon.body.reasons.length > 0);
  const token = await keys.mint({ iss: 'https://idp.example.com', aud: RESOURCE, scope: 'issues:read' });
  const ok = await h.decide({ tool, token, resource: RESOURCE, session: { id: 'pack-2' } });
  assert.equal(ok.body.decision, 'allow', JSON.stringify(ok.body.reasons));
});
