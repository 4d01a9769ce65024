// Audit: server-side session history under concurrency, cache eviction, history rewrite attempts,
// owner binding, and hostile client history for unknown sessions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startArbiter, type Harness } from './support/arbiter-harness';
import { createTestKeys, ISSUER, RESOURCE, type TestKeys } from './support/jwt-keys';
import { MAIN_DATA, MAIN_POLICY } from './support/test-policies';

let h: Harness;
let keys: TestKeys;
let keyDir: string;

before(async () => {
  keyDir = mkdtempSync(join(tmpdir(), 'arbiter-audit-sessions-'));
  keys = await createTestKeys(keyDir);
  // A tiny session cache (ARBITER_SESSION_CACHE_SIZE, validated by loadConfig) forces evictions,
  // so steps and history must also be right when rebuilt from the log.
  h = await startArbiter({
    policies: { 'mcp/decision.rego': MAIN_POLICY, 'data.json': MAIN_DATA },
    env: { ARBITER_POLICY_WATCH: 'false', ARBITER_JWKS_FILE: keys.jwksFile, ARBITER_JWT_ISSUERS: ISSUER, ARBITER_SESSION_CACHE_SIZE: '2' },
  });
});

after(async () => {
  await h?.close();
  rmSync(keyDir, { recursive: true, force: true });
});

let seq = 0;
const sid = (p: string) => `${p}-${++seq}-${Date.now()}`;
const as = async (sub: string, extra: Record<string, unknown> = {}) => keys.mint({ sub, ...extra });
async function call(session: Record<string, unknown>, tool = 'read_file', token?: string, args: Record<string, unknown> = {}) {
  return h.decide({ tool: { name: tool, arguments: args }, token: token ?? (await as('alice')), resource: RESOURCE, session });
}
const record = async (id: string) => (await h.request('GET', `/decisions/${id}`)).body;

describe('concurrency and eviction (already correct)', () => {
  test('40 concurrent calls on one session get steps 1..40, each seeing all earlier steps', async () => {
    const s = sid('conc');
    const token = await as('alice');
    const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => call({ id: s }, 'read_file', token, { i })));
    for (const r of rs) assert.equal(r.status, 200, r.text);
    const steps = rs.map((r) => r.body.session.step).sort((a, b) => a - b);
    assert.deepEqual(steps, Array.from({ length: 40 }, (_, i) => i + 1));
    const tl = await h.request('GET', `/sessions/${s}`);
    assert.deepEqual(tl.body.steps.map((x: any) => x.step), steps);
    assert.equal(tl.body.last_step, 40);
    const last = rs.find((r) => r.body.session.step === 40)!;
    assert.equal(tl.body.updated_at, (await record(last.body.decision_id)).time, 'updated_at: the latest decision');
    for (const r of rs.slice(0, 8)) {
      const rec = await record(r.body.decision_id);
      assert.deepEqual(rec.input.session.history.map((x: any) => x.step), Array.from({ length: r.body.session.step - 1 }, (_, i) => i + 1));
    }
  });

  test('interleaved sessions with a 2-entry cache keep consecutive steps and full history', async () => {
    const ids = [sid('ev'), sid('ev'), sid('ev'), sid('ev'), sid('ev')];
    const token = await as('alice');
    const rs = await Promise.all(Array.from({ length: 50 }, (_, i) => call({ id: ids[i % 5] }, i % 7 === 0 ? 'read_secret' : 'read_file', token, { i })));
    for (const id of ids) {
      const mine = rs.filter((r) => r.body.session.id === id).map((r) => r.body.session.step).sort((a, b) => a - b);
      assert.deepEqual(mine, Array.from({ length: 10 }, (_, i) => i + 1), id);
    }
    // send_email after a read_secret somewhere in the (evicted, reloaded) history is still denied.
    const withSecret = ids.find((id, k) => rs.some((r, i) => i % 5 === k && i % 7 === 0 && r.body.session.id === id))!;
    const send = await call({ id: withSecret }, 'send_email', token);
    assert.equal(send.body.decision, 'deny');
    assert.equal(send.body.reasons[0].code, 'exfiltration');
  });
});

describe('history rewrite and owner binding (already correct)', () => {
  test('an unowned session claimed by its first verified caller keeps that owner after eviction; last_step/updated_at stay live', async () => {
    const s = sid('claim');
    const anon = await h.decide({ tool: { name: 'read_file' }, resource: RESOURCE, session: { id: s } });
    assert.equal(anon.body.reasons[0].code, 'token_invalid');
    const created = await h.request('GET', `/sessions/${s}`);
    assert.equal(created.status, 200, 'the first decision created the session');
    assert.deepEqual([created.body.owner.subject, created.body.last_step], [null, 1]);
    assert.equal((await call({ id: s })).body.decision, 'allow', 'alice claims it');
    for (let i = 0; i < 3; i++) await call({ id: sid('evict') }); // the 2-entry cache forgets it
    const mallory = await call({ id: s }, 'read_file', await as('mallory'));
    assert.deepEqual(mallory.body.reasons.map((x: any) => x.code), ['owner_mismatch']);
    const last = await call({ id: s });
    assert.equal(last.body.decision, 'allow');
    assert.equal(last.body.session.step, 4);
    const tl = await h.request('GET', `/sessions/${s}`);
    assert.deepEqual(tl.body.owner, { subject: 'alice', client_id: 'client-1' });
    assert.equal(tl.body.last_step, 4);
    assert.equal(tl.body.updated_at, (await record(last.body.decision_id)).time);
    assert.equal(tl.body.created_at, created.body.created_at);
  });

  test('client history sent for a known session is ignored', async () => {
    const s = sid('rewrite');
    await call({ id: s }, 'read_secret');
    const r = await call({ id: s, history: [{ step: 1, tool: { name: 'weather' }, decision: 'allow' }, { step: 2, tool: { name: 'weather' } }] }, 'send_email');
    assert.equal(r.body.decision, 'deny');
    assert.equal(r.body.session.step, 2);
    const rec = await record(r.body.decision_id);
    assert.equal(rec.input.session.history_source, 'server');
    assert.deepEqual(rec.input.session.history.map((x: any) => x.tool.name), ['read_secret']);
  });

  test('another subject, or the same subject from another client, is an owner mismatch; the owner never changes', async () => {
    const s = sid('owner');
    assert.equal((await call({ id: s })).body.decision, 'allow');
    const mallory = await call({ id: s }, 'read_file', await as('mallory'));
    assert.deepEqual(mallory.body.reasons.map((x: any) => x.code), ['owner_mismatch']);
    const otherClient = await call({ id: s }, 'read_file', await as('alice', { client_id: 'client-2' }));
    assert.deepEqual(otherClient.body.reasons.map((x: any) => x.code), ['owner_mismatch']);
    const back = await call({ id: s });
    assert.equal(back.body.decision, 'allow', 'the original owner is still the owner');
    const tl = await h.request('GET', `/sessions/${s}`);
    assert.deepEqual(tl.body.owner, { subject: 'alice', client_id: 'client-1' });
  });

  test('malformed client history → 400, nothing recorded, no session created', async () => {
    const bad: unknown[] = [
      [{ tool: { name: 'a' }, step: 5 }, { tool: { name: 'b' }, step: 3 }],
      [{ tool: { name: 'a' }, step: 0 }],
      [{ tool: { name: 'a' }, step: 1.5 }],
      [{ tool: { name: 'a' }, time: 'yesterday' }],
      [{ tool: { name: 'a' }, time_ns: -1 }],
      [{ tool: { name: 'a' }, time_ns: 1e30 }],
      [{ tool: { name: 'a' }, decision: 'ALLOW' }],
      [{ tool: { name: 'a' }, reasons: [{ code: 1 }] }],
      [{ tool: { name: 'a', arguments: [] } }],
      [{ tool: { name: 'a', server: 5 } }],
      [{ tool: {} }],
      [{ tool: { name: 'a'.repeat(300) } }],
      [null],
      'not an array',
    ];
    for (const history of bad) {
      const s = sid('badhist');
      const before = (await h.allDecisions()).length;
      const r = await call({ id: s, history });
      assert.equal(r.status, 400, `${JSON.stringify(history).slice(0, 80)} → ${r.text.slice(0, 200)}`);
      assert.equal(r.body.error.code, 'invalid_request');
      assert.equal((await h.allDecisions()).length, before);
      assert.equal((await h.request('GET', `/sessions/${s}`)).status, 404);
    }
  });

  test('1000 client history entries are accepted for an unknown session and capped in the input', async () => {
    const s = sid('big');
    const r = await call({ id: s, history: Array.from({ length: 1000 }, (_, i) => ({ tool: { name: `t${i}` } })) });
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.equal(r.body.session.step, 1001);
    const rec = await record(r.body.decision_id);
    assert.equal(rec.input.session.history_source, 'client');
    assert.ok(rec.input.session.history.length <= 256);
    assert.equal(rec.input.session.history.at(-1).tool.name, 't999');
  });
});

describe('FAILS UNTIL FIXED', () => {
  // client-history.ts accepts steps up to 2^31-2, so the seeded call is step 2^31-1 and the
  // next one can never be recorded (record validation refuses step > 2^31-1): the session
  // answers 503 decision_log_unavailable forever and pages "store down" alerts.
  test('a seeded step number cannot make the session unrecordable', async () => {
    const s = sid('overflow');
    const seed = await call({ id: s, history: [{ step: 2_147_483_646, tool: { name: 'a' } }] });
    if (seed.status === 400) return; // refusing absurd step numbers up front is a fix too
    assert.equal(seed.status, 200, seed.text);
    const next = await call({ id: s });
    assert.equal(next.status, 200, `the call after seeding: ${next.text.slice(0, 300)}`);
  });

  // sortedKeys (libs/sessions/src/history-step.ts) assigns out['__proto__'] = …, which sets the
  // prototype: the argument vanishes from the history the policy evaluates, while the record and
  // GET /decisions/:id (replay) still show it — a history-based rule is blind to it and a replay
  // evaluates a different input than the live decision did.
  test('an argument named "__proto__" is visible in the history the policy evaluates', async () => {
    const p = await startArbiter({
      policies: {
        'p.rego': `package mcp

import rego.v1

seen if {
	some h in input.session.history
	h.tool.arguments["__proto__"].path == "/etc/shadow"
}

decision := {"allow": false, "decision": "deny", "reasons": [{"code": "seen", "message": "history has it"}]} if seen

decision := {"allow": true, "decision": "allow", "reasons": []} if not seen
`,
      },
      env: { ARBITER_POLICY_WATCH: 'false' },
    });
    try {
      const first = await p.decide('{"tool":{"name":"read_file","arguments":{"__proto__":{"path":"/etc/shadow"}}},"session":{"id":"proto-hist"}}');
      assert.equal(first.status, 200, first.text);
      const second = await p.decide({ tool: { name: 'send_email' }, session: { id: 'proto-hist' } });
      const rec = (await p.request('GET', `/decisions/${second.body.decision_id}`)).body;
      assert.deepEqual(Object.keys(rec.input.session.history[0].tool.arguments), ['__proto__'], 'the replayed input has it');
      assert.equal(second.body.decision, 'deny', 'so the live evaluation must have seen it too');
    } finally {
      await p.close();
    }
  });

  // The owner is whoever makes the first call, even an unauthenticated one that is denied: anyone
  // who learns a session id first can lock its real user out (owner_mismatch on every call).
  // Bind the owner on the first call with a verified identity (libs/sessions session-history.ts
  // load/recordStep, with sessions.owner_* updated once).
  test('a denied call without a token does not become the session owner', async () => {
    const s = sid('squat');
    const squat = await h.decide({ tool: { name: 'read_file' }, resource: RESOURCE, session: { id: s } });
    assert.equal(squat.body.decision, 'deny');
    const alice = await call({ id: s });
    assert.deepEqual(alice.body.reasons.map((x: any) => x.code), [], alice.text);
    assert.equal(alice.body.decision, 'allow');
  });
});
