// ARBITER_DECIDE_TIMEOUT_MS: a stalled store answers 503 deny within the deadline, one answer per
// request, and a 503 decision is never in the log (the deadline withdraws queued records).
// GET /sessions/:id pages its steps (limit, after_step).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Database } from 'sqlite3';
import { startArbiter, type Harness } from './support/arbiter-harness';
import { ALLOW_ALL } from './support/test-policies';

describe('decide deadline', () => {
  let h: Harness;
  before(async () => {
    h = await startArbiter({ policies: { 'p.rego': ALLOW_ALL }, env: { ARBITER_POLICY_WATCH: 'false', ARBITER_DECIDE_TIMEOUT_MS: '300' } });
  });
  after(() => h?.close());

  test('a locked store: queued decisions answer 503 deny near the deadline and are never stored', async () => {
    assert.equal((await h.decide({ tool: { name: 'warm' } })).status, 200);
    const db = new Database(join(h.dir, 'data', 'arbiter.sqlite'));
    await new Promise<void>((res, rej) => db.exec('BEGIN EXCLUSIVE', (e) => (e ? rej(e) : res())));
    let results: Array<{ status: number; body: any; ms: number }>;
    try {
      // The first request's batch is in flight (held by a transaction); the later ones wait queued.
      const first = h.decide({ tool: { name: 'first' }, session: { id: 'dl-0' } }).then((r) => ({ status: r.status, body: r.body, ms: 0 }));
      await new Promise((r) => setTimeout(r, 50));
      const queued = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const t0 = Date.now();
          const r = await h.decide({ tool: { name: `q${i}` }, session: { id: `dl-${i + 1}` } });
          return { status: r.status, body: r.body, ms: Date.now() - t0 };
        }),
      );
      results = [...queued];
      await new Promise<void>((res) => db.exec('ROLLBACK', () => res()));
      results.push(await first);
    } finally {
      await new Promise<void>((res) => db.close(() => res()));
    }
    const timedOut = results.filter((r) => r.status === 503);
    assert.ok(timedOut.length >= 8, `${timedOut.length} answered 503`);
    for (const r of timedOut) {
      assert.equal(r.body.decision, 'deny');
      assert.equal(r.body.allow, false);
      assert.equal(r.body.reasons[0].code, 'decision_log_unavailable');
      assert.equal(r.body.error.code, 'decision_log_unavailable');
    }
    for (const r of results.slice(0, 8)) assert.ok(r.ms < 2500, `answered after ${r.ms} ms (deadline 300 ms)`);
    await new Promise((r) => setTimeout(r, 300));
    const stored = new Set((await h.allDecisions()).map((d) => d.decision_id));
    for (const r of results) assert.equal(stored.has(r.body.decision_id), r.status === 200, `${r.status} ${r.body.decision_id}`);
    assert.equal((await h.decide({ tool: { name: 'after' } })).status, 200, 'the service recovers');
  });
});

describe('GET /sessions/:id pages', () => {
  let h: Harness;
  before(async () => {
    h = await startArbiter({ policies: { 'p.rego': ALLOW_ALL }, env: { ARBITER_POLICY_WATCH: 'false' } });
    for (let i = 0; i < 7; i++) assert.equal((await h.decide({ tool: { name: `t${i}` }, session: { id: 'paged' } })).status, 200);
  });
  after(() => h?.close());

  test('limit and after_step walk every step once, in order', async () => {
    const steps: number[] = [];
    let after: number | null = 0;
    for (let pages = 0; after !== null && pages < 10; pages++) {
      const r: { status: number; body: any; text: string } = await h.request('GET', `/sessions/paged?limit=3&after_step=${after}`);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.steps.length <= 3);
      steps.push(...r.body.steps.map((s: any) => s.step));
      after = r.body.next_after_step;
    }
    assert.deepEqual(steps, [1, 2, 3, 4, 5, 6, 7]);
    const all = await h.request('GET', '/sessions/paged');
    assert.equal(all.body.steps.length, 7, 'default page (100) holds them all');
    assert.equal(all.body.next_after_step, null);
    assert.equal(all.body.last_step, 7);
  });

  test('bad paging parameters → 400 invalid_query', async () => {
    for (const q of ['limit=0', 'limit=1001', 'limit=x', 'after_step=-1', 'cursor=abc', 'limit=1&limit=2']) {
      const r = await h.request('GET', `/sessions/paged?${q}`);
      assert.equal(r.status, 400, `${q}: ${r.text}`);
      assert.equal(r.body.error.code, 'invalid_query');
    }
  });
});
