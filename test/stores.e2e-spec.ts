// The same decide → restart → history flow on SQLite and on PostgreSQL (fresh schema), with the
// session rows (written at creation and at a claim only) read back after the restart.
// PostgreSQL: TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startArbiter, type Harness } from './support/arbiter-harness';
import { MAIN_DATA, MAIN_POLICY } from './support/test-policies';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function scenario(env: Record<string, string>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-store-'));
  const policies = { 'p.rego': MAIN_POLICY, 'data.json': MAIN_DATA };
  // No token: the policy denies with token_invalid; claims from a trusted gateway let it allow.
  const sha = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'; // sha256("test")
  const opsSha = createHash('sha256').update('ops-key').digest('hex');
  const keyEnv = { ...env, ARBITER_API_KEYS: `gw:gateway:trusted:${sha},ops:admin:${opsSha}` };
  const auth = { authorization: 'Bearer test' };
  const ops = { authorization: 'Bearer ops-key' };
  const body = (tool: string) => ({ tool: { name: tool }, claims: { sub: 'alice' }, session: { id: 'store-s1' } });
  const time = async (h: Harness, id: string, headers?: Record<string, string>) => (await h.request('GET', `/decisions/${id}`, undefined, headers)).body.time;
  const s2 = (claims?: Record<string, unknown>) => ({ tool: { name: 'read_file' }, ...(claims ? { claims } : {}), session: { id: 'store-s2' } });
  try {
    const a = await startArbiter({ policies, env: keyEnv, dir });
    let r1, r2, created, last;
    try {
      r1 = await a.decide(body('read_secret'), auth);
      assert.equal(r1.status, 200, r1.text);
      assert.equal(r1.body.decision, 'allow');
      created = await a.request('GET', '/sessions/store-s1', undefined, ops);
      assert.equal(created.status, 200, 'the first decision created the session');
      assert.equal(created.body.last_step, 1);
      r2 = await a.decide(body('rm_rf'), auth);
      assert.equal(r2.body.decision, 'deny');
      // An unowned session (no verified subject), then claimed by the first caller with one.
      for (let i = 0; i < 3; i++) assert.equal((await a.decide(s2(), auth)).status, 200);
      assert.equal((await a.request('GET', '/sessions/store-s2', undefined, ops)).body.owner.subject, null);
      assert.equal((await a.decide(s2({ sub: 'bob' }), auth)).body.decision, 'allow');
      last = await a.decide(s2({ sub: 'bob' }), auth);
    } finally {
      await a.close();
    }

    const b = await startArbiter({ policies, env: { ...env }, dir }); // no keys: anonymous admin
    try {
      const r3 = await b.decide(body('send_email'), {});
      assert.equal(r3.status, 400, 'anonymous callers are not trusted with claims');
      const list = await b.allDecisions();
      const s1 = list.filter((d) => d.session.id === 'store-s1');
      assert.deepEqual(s1.map((d) => d.decision_id).sort(), [r1.body.decision_id, r2.body.decision_id].sort());
      assert.equal(list.length, 7);
      const tl = await b.request('GET', '/sessions/store-s1');
      assert.deepEqual(tl.body.steps.map((s: any) => s.tool.name), ['read_secret', 'rm_rf']);
      assert.equal(tl.body.owner.subject, 'alice');
      assert.equal(tl.body.last_step, 2);
      assert.equal(tl.body.updated_at, await time(b, r2.body.decision_id));
      assert.equal(tl.body.created_at, created.body.created_at);
      const claimed = await b.request('GET', '/sessions/store-s2');
      assert.deepEqual(claimed.body.owner, { subject: 'bob', client_id: null });
      assert.equal(claimed.body.last_step, 5);
      assert.equal(claimed.body.updated_at, await time(b, last.body.decision_id));
    } finally {
      await b.close();
    }

    const c = await startArbiter({ policies, env: keyEnv, dir });
    try {
      const r4 = await c.decide(body('send_email'), auth);
      assert.equal(r4.body.session.step, 3, 'steps continue after a restart');
      assert.equal(r4.body.decision, 'deny', 'history read back from the store');
      assert.equal(r4.body.reasons[0].code, 'exfiltration');
      const tl = await c.request('GET', '/sessions/store-s1', undefined, ops);
      assert.equal(tl.body.last_step, 3);
      assert.equal(tl.body.updated_at, await time(c, r4.body.decision_id, ops));
      assert.equal((await c.decide(s2({ sub: 'mallory' }), auth)).body.reasons[0]?.code, 'owner_mismatch', 'the claim survived the restart');
    } finally {
      await c.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('decision store', () => {
  test('SQLite', () => scenario({}));

  test('PostgreSQL', async () => {
    const schema = `arbiter_e2e_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA "${schema}"`);
      await scenario({ DATABASE_URL: PG_URL, ARBITER_DB_SCHEMA: schema });
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  });
});
