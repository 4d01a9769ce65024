// API keys and roles: gateways decide, admins read the log and reload, only trusted gateways send claims.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startArbiter, type Harness } from './support/arbiter-harness';
import { ALLOW_ALL } from './support/test-policies';

const sha = (k: string) => createHash('sha256').update(k).digest('hex');
const GW = 'gw-secret-1';
const TRUSTED = 'trusted-gw-secret';
const ADMIN = 'admin-secret-9';
const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
let h: Harness;

before(async () => {
  h = await startArbiter({
    policies: { 'p.rego': ALLOW_ALL },
    env: { ARBITER_API_KEYS: `edge:gateway:${sha(GW)},mesh:gateway:trusted:${sha(TRUSTED)},ops:admin:${sha(ADMIN)}` },
  });
});
after(() => h?.close());

test('missing or unknown keys → 401 unauthenticated', async () => {
  const none = await h.decide({ tool: { name: 'x' } });
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'unauthenticated');
  const bad = await h.decide({ tool: { name: 'x' } }, bearer('nope'));
  assert.equal(bad.status, 401);
  assert.equal((await h.request('GET', '/decisions')).status, 401);
});

test('a gateway decides (Bearer or x-api-key) but cannot use admin endpoints', async () => {
  const r = await h.decide({ tool: { name: 'x' }, session: { id: 'auth-1' } }, bearer(GW));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.decision, 'allow');
  assert.equal((await h.decide({ tool: { name: 'x' } }, { 'x-api-key': GW })).status, 200);
  const list = await h.request('GET', '/decisions', undefined, bearer(GW));
  assert.equal(list.status, 403);
  assert.equal(list.body.error.code, 'forbidden');
  assert.equal((await h.request('POST', '/policies/reload', undefined, bearer(GW))).status, 403);
});

test('an admin reads decisions and sessions but cannot decide', async () => {
  const d = await h.decide({ tool: { name: 'x' } }, bearer(ADMIN));
  assert.equal(d.status, 403);
  const list = await h.request('GET', '/decisions?session=auth-1', undefined, bearer(ADMIN));
  assert.equal(list.status, 200);
  assert.equal(list.body.items[0].caller, 'edge');
  assert.equal((await h.request('GET', '/sessions/auth-1', undefined, bearer(ADMIN))).status, 200);
  const reload = await h.request('POST', '/policies/reload', undefined, bearer(ADMIN));
  assert.equal(reload.status, 200);
  assert.equal(reload.body.result, 'unchanged');
});

test('claims: refused from a plain gateway, accepted from a trusted one', async () => {
  const body = { tool: { name: 'x' }, claims: { sub: 'bob', client_id: 'c' }, session: { id: 'auth-claims' } };
  const plain = await h.decide(body, bearer(GW));
  assert.equal(plain.status, 400);
  assert.equal(plain.body.error.code, 'claims_not_allowed');
  const trusted = await h.decide(body, bearer(TRUSTED));
  assert.equal(trusted.status, 200, trusted.text);
  const rec = await h.request('GET', `/decisions/${trusted.body.decision_id}`, undefined, bearer(ADMIN));
  assert.equal(rec.body.input.token.source, 'gateway');
  assert.equal(rec.body.input.caller.trusted, true);
  assert.equal(rec.body.subject, 'bob');
});

test('health and metrics stay open for probes and scrapers', async () => {
  assert.equal((await h.request('GET', '/health/live')).status, 200);
  assert.equal((await h.request('GET', '/metrics')).status, 200);
});
