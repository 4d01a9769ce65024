// The service with evaluation worker threads (ARBITER_EVAL_WORKERS=2): concurrent decisions
// come back to the right callers and are recorded with the revision that evaluated them; session
// history still reaches the policy; a hot reload reaches the workers; /health/ready shows them.
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startArbiter, type Harness } from './support/arbiter-harness';
import { DENY_ALL, MAIN_DATA, MAIN_POLICY } from './support/test-policies';

// A trusted gateway (may send verified claims) and an admin (reads the log and health details).
const GW = 'gw-key-for-workers';
const ADMIN = 'admin-key-for-workers';
const sha = (k: string) => createHash('sha256').update(k).digest('hex');
const gw = { authorization: `Bearer ${GW}` };
const admin = { authorization: `Bearer ${ADMIN}` };

let h: Harness;
before(async () => {
  h = await startArbiter({
    policies: { 'mcp/policy.rego': MAIN_POLICY, 'data.json': MAIN_DATA },
    env: { ARBITER_EVAL_WORKERS: '2', ARBITER_API_KEYS: `mesh:gateway:trusted:${sha(GW)},ops:admin:${sha(ADMIN)}` },
  });
});
after(() => h?.close());

const decide = (body: unknown) => h.decide(body, gw);

const claims = (sub: string) => ({ sub, client_id: 'c', iss: 'https://issuer.test' });

test('concurrent decisions are evaluated on the workers and each caller gets its own answer', async () => {
  const ready = await h.request('GET', '/health/ready', undefined, admin);
  assert.equal(ready.status, 200);
  assert.equal(ready.body.policy.workers.size, 2);
  assert.equal(ready.body.policy.workers.live, 2);
  // 60 calls in flight at once over 12 sessions; the tool decides the expected answer.
  const tools = ['read_file', 'delete_file', 'rm_rf'];
  const expected: Record<string, string> = { read_file: 'allow', delete_file: 'ask', rm_rf: 'deny' };
  const calls = Array.from({ length: 60 }, (_, i) => ({ tool: tools[i % 3], session: `w-${i % 12}` }));
  const answers = await Promise.all(
    calls.map((c) => decide({ tool: { name: c.tool, arguments: { n: 1 } }, claims: claims('alice'), session: { id: c.session } })),
  );
  for (let i = 0; i < calls.length; i++) {
    assert.equal(answers[i].status, 200, answers[i].text);
    assert.equal(answers[i].body.decision, expected[calls[i].tool], `call ${i} (${calls[i].tool})`);
  }
  const records = await h.allDecisions(admin);
  const mine = records.filter((r) => r.session.id.startsWith('w-'));
  assert.equal(mine.length, 60, 'every decision is recorded');
  const byId = new Map(mine.map((r) => [r.decision_id, r]));
  for (const a of answers) {
    const r = byId.get(a.body.decision_id);
    assert.ok(r, 'the answered decision is the recorded one');
    assert.equal(r.decision, a.body.decision);
    assert.equal(r.policy.revision, a.body.policy.revision);
    assert.equal(r.session.step, a.body.session.step);
  }
  const after = await h.request('GET', '/health/ready', undefined, admin);
  assert.ok(after.body.policy.workers.evaluations >= 60);
  assert.equal(after.body.policy.workers.pending, 0);
});

test('the session history reaches the policy on a worker (exfiltration after read_secret)', async () => {
  const first = await decide({ tool: { name: 'read_secret' }, claims: claims('bob'), session: { id: 'w-exfil' } });
  assert.equal(first.body.decision, 'allow');
  const second = await decide({ tool: { name: 'send_email' }, claims: claims('bob'), session: { id: 'w-exfil' } });
  assert.equal(second.body.decision, 'deny');
  assert.equal(second.body.reasons[0].code, 'exfiltration');
});

test('a hot reload reaches the workers', async () => {
  const rev = (await decide({ tool: { name: 'read_file' }, claims: claims('carol'), session: { id: 'w-reload' } })).body.policy.revision;
  h.writePolicy('mcp/policy.rego', DENY_ALL);
  await eventually(async () => (await decide({ tool: { name: 'x' }, claims: claims('carol'), session: { id: 'w-reload' } })).body.policy.revision !== rev, 20_000, 'new revision');
  const answers = await Promise.all(Array.from({ length: 10 }, () => decide({ tool: { name: 'read_file' }, claims: claims('carol'), session: { id: 'w-reload' } })));
  for (const a of answers) {
    assert.equal(a.body.decision, 'deny');
    assert.equal(a.body.reasons[0].code, 'closed');
  }
});
