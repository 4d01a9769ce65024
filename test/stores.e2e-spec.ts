// The same decide → restart → history flow on SQLite and on PostgreSQL (fresh schema).
// PostgreSQL: TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startArbiter } from './support/arbiter-harness';
import { MAIN_DATA, MAIN_POLICY } from './support/test-policies';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function scenario(env: Record<string, string>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-store-'));
  const policies = { 'p.rego': MAIN_POLICY, 'data.json': MAIN_DATA };
  // No token: the policy denies with token_invalid; claims from a trusted gateway let it allow.
  const sha = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'; // sha256("test")
  const keyEnv = { ...env, ARBITER_API_KEYS: `gw:gateway:trusted:${sha},ops:admin:${'a'.repeat(64)}` };
  const auth = { authorization: 'Bearer test' };
  const body = (tool: string) => ({ tool: { name: tool }, claims: { sub: 'alice' }, session: { id: 'store-s1' } });
  try {
    const a = await startArbiter({ policies, env: keyEnv, dir });
    const r1 = await a.decide(body('read_secret'), auth);
    assert.equal(r1.status, 200, r1.text);
    assert.equal(r1.body.decision, 'allow');
    const r2 = await a.decide(body('rm_rf'), auth);
    assert.equal(r2.body.decision, 'deny');
    await a.close();

    const b = await startArbiter({ policies, env: { ...env }, dir }); // no keys: anonymous admin
    try {
      const r3 = await b.decide(body('send_email'), {});
      assert.equal(r3.status, 400, 'anonymous callers are not trusted with claims');
      const list = await b.allDecisions();
      assert.deepEqual(list.map((d) => d.decision_id).sort(), [r1.body.decision_id, r2.body.decision_id].sort());
      const tl = await b.request('GET', '/sessions/store-s1');
      assert.deepEqual(tl.body.steps.map((s: any) => s.tool.name), ['read_secret', 'rm_rf']);
      assert.equal(tl.body.owner.subject, 'alice');
    } finally {
      await b.close();
    }

    const c = await startArbiter({ policies, env: keyEnv, dir });
    try {
      const r4 = await c.decide(body('send_email'), auth);
      assert.equal(r4.body.session.step, 3, 'steps continue after a restart');
      assert.equal(r4.body.decision, 'deny', 'history read back from the store');
      assert.equal(r4.body.reasons[0].code, 'exfiltration');
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
