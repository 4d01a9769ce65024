// Audit: the decision store failing underneath a running service. PostgreSQL faults are injected
// by renaming the service's tables in its own fresh schema (and renaming them back); SQLite
// slowness by holding an exclusive lock from another connection.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client } from 'pg';
import { Database } from 'sqlite3';
import { startArbiter, type Harness } from './support/arbiter-harness';
import { ALLOW_ALL } from './support/test-policies';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('PostgreSQL outage', () => {
  const schema = `arbiter_audit_store_${process.pid}_${Date.now()}`;
  let pg: Client;
  let h: Harness;
  const table = (name: string) => `"${schema}"."${name}"`;
  const rename = (from: string, to: string) => pg.query(`ALTER TABLE ${table(from)} RENAME TO "${to}"`);
  const decide = (session: string) => h.decide({ tool: { name: 'read_file' }, session: { id: session } });
  const storedIds = async () => new Set((await pg.query(`SELECT id FROM ${table('decisions')}`)).rows.map((r: { id: string }) => r.id));

  before(async () => {
    pg = new Client({ connectionString: PG_URL });
    await pg.connect();
    h = await startArbiter({ policies: { 'p.rego': ALLOW_ALL }, env: { ARBITER_POLICY_WATCH: 'false', DATABASE_URL: PG_URL, ARBITER_DB_SCHEMA: schema } });
  });
  after(async () => {
    await h?.close();
    await pg?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg?.end();
  });

  test('decisions table gone: 503 with a deny body, never acknowledged unrecorded (already correct)', async () => {
    const ok = await decide('pg-known');
    assert.equal(ok.status, 200, ok.text);
    await rename('decisions', 'decisions_gone');
    let failed: any[] = [];
    try {
      failed = [await decide('pg-known'), await decide('pg-new-1')];
      for (const r of failed) {
        assert.equal(r.status, 503, r.text);
        assert.equal(r.body.decision, 'deny');
        assert.equal(r.body.allow, false);
        assert.equal(r.body.reasons[0].code, 'decision_log_unavailable');
        assert.equal(r.body.error.code, 'decision_log_unavailable');
      }
      const ready = await h.request('GET', '/health/ready');
      assert.equal(ready.status, 503);
      assert.equal(ready.body.store.ok, false);
    } finally {
      await rename('decisions_gone', 'decisions');
    }
    const ids = await storedIds();
    assert.ok(ids.has(ok.body.decision_id));
    for (const r of failed) assert.ok(!ids.has(r.body.decision_id), 'a 503 decision is not in the log');
    const metrics = await h.request('GET', '/metrics');
    assert.match(metrics.text, /arbiter_decision_log_unavailable_total [1-9]/);
  });

  // HealthService.probeStore (apps/pdp/src/health/health.service.ts) reports "last commit failed"
  // until another commit succeeds — but an orchestrator takes a not-ready instance out of traffic,
  // so no commit ever happens: the instance stays unready forever after a brief outage. Probe the
  // store instead of trusting a stale failed commit (or clear it when a probe succeeds).
  test('FAILS UNTIL FIXED: readiness recovers when the store does, without /decide traffic', async () => {
    await rename('decisions', 'decisions_gone');
    try {
      assert.equal((await decide('pg-ready')).status, 503);
      assert.equal((await h.request('GET', '/health/ready')).status, 503);
    } finally {
      await rename('decisions_gone', 'decisions');
    }
    const deadline = Date.now() + 5000;
    let ready = await h.request('GET', '/health/ready');
    while (ready.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      ready = await h.request('GET', '/health/ready');
    }
    assert.equal(ready.status, 200, `still not ready after the store recovered: ${JSON.stringify(ready.body?.store)}`);
    assert.equal((await decide('pg-ready')).status, 200);
  });

  // A session the service has not cached is read from the store before evaluation; that read's
  // failure escapes DecideUseCase as a raw TypeORM error → 500 internal_error, with no deny body,
  // not counted in arbiter_decisions_total. The README promises 503 + deny +
  // decision_log_unavailable when the store is down (libs/decide decide.use-case.ts: catch the
  // sessions.load failure and answer like an append failure).
  test('FAILS UNTIL FIXED: store down on the session read → 503 with a deny body', async () => {
    await rename('sessions', 'sessions_gone');
    let r;
    try {
      r = await decide(`pg-uncached-${Date.now()}`);
    } finally {
      await rename('sessions_gone', 'sessions');
    }
    assert.equal(r.status, 503, r.text);
    assert.equal(r.body.decision, 'deny');
    assert.equal(r.body.allow, false);
    assert.equal(r.body.reasons[0].code, 'decision_log_unavailable');
  });

  test('FAILS UNTIL FIXED: analyst reads with the store down → 503, not 500 internal_error', async () => {
    await rename('decisions', 'decisions_gone');
    let r;
    try {
      r = await h.request('GET', '/decisions?limit=5');
    } finally {
      await rename('decisions_gone', 'decisions');
    }
    assert.equal(r.status, 503, r.text);
    assert.equal(r.body.error.code, 'decision_log_unavailable');
  });
});

describe('SQLite locked by another writer: backpressure (already correct)', () => {
  let h: Harness;
  before(async () => {
    h = await startArbiter({ policies: { 'p.rego': ALLOW_ALL }, env: { ARBITER_POLICY_WATCH: 'false', ARBITER_LOG_MAX_QUEUE: '5' } });
  });
  after(() => h?.close());

  test('a full queue answers 503 deny at once; every 200 is stored; no 503 is', async () => {
    const warm = await h.decide({ tool: { name: 'warm' } });
    assert.equal(warm.status, 200);
    const db = new Database(join(h.dir, 'data', 'arbiter.sqlite'));
    await new Promise<void>((res, rej) => db.exec('BEGIN EXCLUSIVE', (e) => (e ? rej(e) : res())));
    let results: Array<{ status: number; body: any; ms: number }>;
    try {
      results = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const t0 = Date.now();
          const r = await h.decide({ tool: { name: `x${i}` }, session: { id: `bp-${i}` } });
          return { status: r.status, body: r.body, ms: Date.now() - t0 };
        }),
      );
    } finally {
      await new Promise<void>((res) => db.exec('ROLLBACK', () => db.close(() => res())));
    }
    const overloaded = results.filter((r) => r.status === 503 && /queue is full/.test(r.body.error?.message ?? ''));
    assert.ok(overloaded.length >= 20, `${overloaded.length} answered queue-full`);
    for (const r of overloaded) assert.ok(r.ms < 3000, `queue-full took ${r.ms} ms (should be immediate)`);
    for (const r of results) {
      assert.ok(r.status === 200 || r.status === 503, String(r.status));
      if (r.status === 503) assert.equal(r.body.decision, 'deny');
    }
    const after = await h.decide({ tool: { name: 'after' } });
    assert.equal(after.status, 200, 'the service recovers when the lock is gone');
    const stored = new Set((await h.allDecisions()).map((d) => d.decision_id));
    for (const r of results) assert.equal(stored.has(r.body.decision_id), r.status === 200, `${r.status} ${r.body.decision_id}`);
  });
});
