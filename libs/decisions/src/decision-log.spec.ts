// DecisionLog against real databases: SQLite in a temp dir and PostgreSQL in a fresh schema.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DecisionLog } from './decision-log';
import { InvalidCursorError, InvalidFilterError, InvalidRecordError, StoreClosedError, StoreConfigError, StoreOverloadedError, StoreWriteError } from './errors';
import { sampleRecord, type TestDatabase, type TestDbKind } from './testing/test-databases';
import { closeTestLog, openTestLog } from './testing/test-log';
import { JsonText } from './json-text';
import type { DecisionRecord } from './types';

const BASE = Date.UTC(2025, 5, 1, 12, 0, 0);

for (const kind of ['sqlite', 'postgres'] as TestDbKind[]) {
  describe(`DecisionLog on ${kind}`, () => {
    let db: TestDatabase;
    let log: DecisionLog;

    before(async () => ({ db, log } = await openTestLog(kind)));
    after(() => closeTestLog({ db, log }));

    it('creates its tables by migration and reopens without re-running them', async () => {
      assert.equal(log.driver, kind);
      const { record, session } = sampleRecord({ sessionId: 'reopen', step: 1 });
      await log.append(record, session);
      const second = await DecisionLog.open(db.options);
      try {
        assert.equal((await second.get(record.id))?.id, record.id);
      } finally {
        await second.close();
      }
      const migrations = (await db.sql(`SELECT name FROM ${db.table('arbiter_migrations')}`)) as Array<{ name: string }>;
      assert.deepEqual(migrations.map((m) => m.name), ['CreateDecisionLog1732233600000', 'AddHistoryRef1763769600000', 'DropUnusedIndexes1764115200000']);
    });

    it('round-trips every field of a record', async () => {
      const { record, session } = sampleRecord({
        sessionId: 'roundtrip',
        step: 1,
        toolServer: null,
        obligations: null,
        result: null,
        error: 'policy_timeout',
        input: { nested: { list: [1, 'two', null, true], empty: {} }, unicode: 'ünï ✓ 😀' },
      });
      await log.append(record, session);
      assert.deepEqual(await log.get(record.id), record);
      assert.equal(await log.get('no-such-id'), null);
      // A history reference and a pre-serialized input (the service's hot path) round-trip too.
      const pre = sampleRecord({
        sessionId: 'roundtrip',
        step: 2,
        input: new JsonText(JSON.stringify({ session: { id: 'roundtrip', step: 2 }, q: "it's \u0000 'quoted' \\u0000" })),
        history: { source: 'server', through_step: 1, count: 1 },
      });
      await log.append(pre.record, pre.session);
      const got = await log.get(pre.record.id);
      assert.deepEqual(got, { ...pre.record, input: { session: { id: 'roundtrip', step: 2 }, q: "it's \uFFFD 'quoted' \\u0000" } });
    });

    it('refuses a malformed history reference alone', async () => {
      const bad = sampleRecord({ sessionId: 'bad-ref', step: 1, history: { source: 'server', through_step: 0, count: 1 } });
      await assert.rejects(log.append(bad.record, bad.session), (e: unknown) => e instanceof InvalidRecordError && e.field === 'history.count');
    });

    it('stores values PostgreSQL jsonb refuses by making them safe', async () => {
      const input = { nul: 'a\u0000b', lone: 'x\uD800y', big: 12n, nan: NaN, when: new Date(BASE), skip: undefined };
      const { record, session } = sampleRecord({ sessionId: 'unsafe', step: 1, toolName: 'tool\u0000name', input });
      await log.append(record, session);
      const got = await log.get(record.id);
      assert.deepEqual(got?.input, { nul: 'a\uFFFDb', lone: 'x\uFFFDy', big: 12, nan: null, when: new Date(BASE).toISOString() });
      assert.equal(got?.toolName, 'tool\uFFFDname');
      const odd = sampleRecord({ sessionId: 'odd\u0000session', step: 1 });
      await log.append(odd.record, odd.session);
      assert.equal((await log.getSession('odd\u0000session'))?.id, 'odd\uFFFDsession');
      assert.equal((await log.sessionSteps('odd\u0000session')).length, 1);
      assert.equal((await log.list({ session: 'odd\u0000session' })).items.length, 1);
    });

    if (kind === 'sqlite') {
      it('runs SQLite in WAL mode with synchronous=NORMAL (default) and a busy timeout, checkpoints off the commit path', async () => {
        const writer = (log as unknown as { conn: { writer: { query(q: string): Promise<Array<Record<string, unknown>>> } } }).conn.writer;
        assert.deepEqual(await writer.query('PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
        assert.deepEqual(await writer.query('PRAGMA synchronous'), [{ synchronous: 1 }]);
        assert.deepEqual(await writer.query('PRAGMA wal_autocheckpoint'), [{ wal_autocheckpoint: 0 }]);
        assert.equal(log.stats().sqlite?.synchronous, 'NORMAL');
        // ARBITER_SQLITE_SYNCHRONOUS / the option selects FULL; anything else is refused.
        const full = await DecisionLog.open({ ...db.options, sqliteSynchronous: 'full' });
        try {
          const w = (full as unknown as { conn: { writer: { query(q: string): Promise<Array<Record<string, unknown>>> } } }).conn.writer;
          assert.deepEqual(await w.query('PRAGMA synchronous'), [{ synchronous: 2 }]);
        } finally {
          await full.close();
        }
        await assert.rejects(DecisionLog.open({ ...db.options, sqliteSynchronous: 'OFF' }), (e: unknown) => e instanceof StoreConfigError);
        // Commits trigger PASSIVE checkpoints on a separate connection.
        for (let i = 0; i < 40; i++) {
          const { record, session } = sampleRecord({ sessionId: `ckpt-${i % 3}`, step: 100 + i });
          await log.append(record, session);
        }
        await new Promise((r) => setTimeout(r, 50));
        assert.ok((log.stats().sqlite?.checkpoints ?? 0) >= 1, 'a checkpoint ran');
        assert.deepEqual(await writer.query('PRAGMA busy_timeout'), [{ timeout: 5000 }]);
        assert.deepEqual(await writer.query('PRAGMA temp_store'), [{ temp_store: 2 }]);
      });
    } else {
      it('keeps its tables inside the configured schema', async () => {
        const schema = db.options.schema;
        const rows = (await db.sql(
          `SELECT table_name, table_schema FROM information_schema.tables WHERE table_name IN ('decisions','sessions','arbiter_migrations') AND table_schema = '${schema}' ORDER BY table_name`,
        )) as Array<{ table_name: string }>;
        assert.deepEqual(rows.map((r) => r.table_name), ['arbiter_migrations', 'decisions', 'sessions']);
        const types = (await db.sql(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '${schema}' AND table_name = 'decisions' AND column_name IN ('input','time') ORDER BY column_name`,
        )) as Array<{ column_name: string; data_type: string }>;
        assert.deepEqual(types, [
          { column_name: 'input', data_type: 'jsonb' },
          { column_name: 'time', data_type: 'timestamp with time zone' },
        ]);
      });
    }

    it('rejects a malformed record alone, without failing its batch-mates', async () => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const good = [1, 2, 3].map((step) => sampleRecord({ sessionId: 'poison', step }));
      const bad = sampleRecord({ sessionId: 'poison', step: 4, input: circular });
      const results = await Promise.allSettled([...good, bad].map(({ record, session }) => log.append(record, session)));
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
      assert.ok((results[3] as PromiseRejectedResult).reason instanceof InvalidRecordError);
      assert.deepEqual((await log.sessionSteps('poison')).map((r) => r.step), [1, 2, 3]);
      const mismatch = sampleRecord({ sessionId: 'poison', step: 5 });
      await assert.rejects(log.append(mismatch.record, { ...mismatch.session, step: 6 }), InvalidRecordError);
      await assert.rejects(log.append({ ...mismatch.record, decision: 'maybe' as never }, mismatch.session), InvalidRecordError);
      await assert.rejects(log.append({ ...mismatch.record, time: new Date(NaN) }, mismatch.session), InvalidRecordError);
    });

    it('fails only the duplicate when a batch holds a record id twice or an id already stored', async () => {
      const id = `dup-${randomUUID()}`;
      const stored = sampleRecord({ sessionId: id, step: 1 });
      await log.append(stored.record, stored.session);
      const batch = [2, 3, 4, 5].map((step) => sampleRecord({ sessionId: id, step }));
      const twin = sampleRecord({ sessionId: id, step: 6, id: batch[1].record.id });
      const again = sampleRecord({ sessionId: id, step: 7, id: stored.record.id });
      const results = await Promise.allSettled([...batch, twin, again].map(({ record, session }) => log.append(record, session)));
      const status = results.map((r) => r.status);
      assert.deepEqual(status, ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
      for (const r of results.slice(4)) assert.ok((r as PromiseRejectedResult).reason instanceof StoreWriteError);
      assert.deepEqual((await log.sessionSteps(id)).map((r) => r.step), [1, 2, 3, 4, 5]);
      assert.equal((await log.getSession(id))?.lastStep, 5);
    });

    describe('list', () => {
      const session = `list-${randomUUID()}`;
      const all: DecisionRecord[] = [];
      before(async () => {
        // 25 records; groups of three share a timestamp so the id breaks ties.
        const appends = [];
        for (let i = 0; i < 25; i++) {
          const decision = (['allow', 'deny', 'ask'] as const)[i % 3];
          const { record, session: s } = sampleRecord({ sessionId: i < 20 ? session : `${session}-other`, step: i + 1, decision, time: new Date(BASE + Math.floor(i / 3) * 1000) });
          all.push(record);
          appends.push(log.append(record, s));
        }
        await Promise.all(appends);
        all.sort((a, b) => a.time.getTime() - b.time.getTime() || (a.id < b.id ? -1 : 1));
      });

      const window = { since: new Date(BASE), until: new Date(BASE + 3600_000) };

      async function pageThrough(filter: Parameters<DecisionLog['list']>[0]): Promise<{ ids: string[]; pages: number }> {
        const ids: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        for (;;) {
          const page = await log.list({ ...filter, cursor });
          pages++;
          ids.push(...page.items.map((r) => r.id));
          if (page.nextCursor === null) return { ids, pages };
          assert.match(page.nextCursor, /^[A-Za-z0-9_-]+$/);
          cursor = page.nextCursor;
        }
      }

      it('pages through everything in (time, id) order without gaps or repeats', async () => {
        const { ids, pages } = await pageThrough({ ...window, limit: 7 });
        assert.deepEqual(ids, all.map((r) => r.id));
        assert.equal(pages, 4);
      });

      it('pages in descending order too', async () => {
        const { ids } = await pageThrough({ ...window, limit: 4, order: 'desc' });
        assert.deepEqual(ids, all.map((r) => r.id).reverse());
      });

      it('filters by session, decision and time window (since inclusive, until exclusive)', async () => {
        const bySession = await pageThrough({ ...window, session, limit: 6 });
        assert.deepEqual(bySession.ids, all.filter((r) => r.sessionId === session).map((r) => r.id));
        const denies = await pageThrough({ ...window, decision: 'deny', limit: 2 });
        assert.deepEqual(denies.ids, all.filter((r) => r.decision === 'deny').map((r) => r.id));
        const since = new Date(BASE + 2000);
        const until = new Date(BASE + 5000);
        const ranged = await log.list({ since, until, limit: 1000 });
        assert.deepEqual(
          ranged.items.map((r) => r.id),
          all.filter((r) => r.time >= since && r.time < until).map((r) => r.id),
        );
        assert.equal(ranged.items.length, 9);
        assert.equal(ranged.nextCursor, null);
        const combined = await log.list({ ...window, session, decision: 'ask' });
        assert.deepEqual(combined.items.map((r) => r.id), all.filter((r) => r.sessionId === session && r.decision === 'ask').map((r) => r.id));
      });

      it('clamps large limits', async () => {
        const page = await log.list({ session, limit: 5000 });
        assert.equal(page.items.length, 20);
        assert.equal(page.nextCursor, null);
      });

      it('rejects bad cursors and filters with typed 400 errors', async () => {
        for (const cursor of ['!!!', 'bm90IGpzb24', Buffer.from('{"v":1,"t":"x","i":"a","o":"asc"}').toString('base64url'), 'a'.repeat(2000)]) {
          await assert.rejects(log.list({ cursor }), (err: unknown) => {
            assert.ok(err instanceof InvalidCursorError);
            assert.equal(err.code, 'invalid_query');
            assert.equal(err.status, 400);
            return true;
          });
        }
        const first = await log.list({ ...window, limit: 2 });
        assert.ok(first.nextCursor);
        await assert.rejects(log.list({ cursor: first.nextCursor, order: 'desc' }), InvalidFilterError);
        await assert.rejects(log.list({ limit: 0 }), InvalidFilterError);
        await assert.rejects(log.list({ limit: 1.5 }), InvalidFilterError);
        await assert.rejects(log.list({ decision: 'nope' as never }), InvalidFilterError);
        await assert.rejects(log.list({ since: new Date('garbage') }), InvalidFilterError);
      });
    });

    describe('sessions', () => {
      it('creates the session on its first step and keeps the first owner', async () => {
        const id = `owner-${randomUUID()}`;
        const seeded = [{ step: 1, time: '2025-01-01T00:00:00.000Z', time_ns: 0, tool: { name: 'x', server: null, arguments: {} }, decision: 'allow', reasons: [] }];
        const first = sampleRecord({ sessionId: id, step: 2 });
        await log.append(first.record, { ...first.session, historySource: 'client', seededHistory: seeded });
        const created = await log.getSession(id);
        assert.ok(created);
        assert.equal(created.ownerSubject, 'alice');
        assert.equal(created.ownerClientId, 'client-1');
        assert.equal(created.lastStep, 2);
        assert.equal(created.historySource, 'client');
        assert.deepEqual(created.seededHistory, seeded);
        const other = sampleRecord({ sessionId: id, step: 3, subject: 'mallory' });
        await log.append(other.record, { ...other.session, ownerSubject: 'mallory', ownerClientId: 'evil', historySource: 'server' });
        const later = await log.getSession(id);
        assert.ok(later);
        assert.equal(later.ownerSubject, 'alice');
        assert.equal(later.ownerClientId, 'client-1');
        assert.equal(later.lastStep, 3);
        assert.equal(later.historySource, 'client');
        assert.deepEqual(later.seededHistory, seeded);
        assert.ok(later.updatedAt.getTime() >= created.updatedAt.getTime());
        assert.equal(await log.getSession('never-seen'), null);
      });

      it('merges several steps of one session in a batch (creation values from the earliest step)', async () => {
        const id = `batch-${randomUUID()}`;
        const steps = [3, 1, 2].map((step) => sampleRecord({ sessionId: id, step, subject: `user-${step}` }));
        await Promise.all(steps.map(({ record, session }) => log.append(record, session)));
        const row = await log.getSession(id);
        assert.equal(row?.ownerSubject, 'user-1');
        assert.equal(row?.lastStep, 3);
      });

      it('writes the row only at creation and at a claim; reads derive last_step/updated_at from the decisions', async () => {
        const id = `derived-${randomUUID()}`;
        const t0 = BASE + 7_000_000;
        const stored = async () =>
          ((await db.sql(`SELECT "owner_subject", "owner_client_id", "created_at", "updated_at", "last_step" FROM ${db.table('sessions')} WHERE "id" = '${id}'`)) as unknown[])[0];
        const step = (n: number, subject: string | null, unchanged: boolean) => {
          const x = sampleRecord({ sessionId: id, step: n, subject, clientId: subject && 'app', time: new Date(t0 + n * 1000) });
          return log.append(x.record, { ...x.session, unchanged });
        };
        await step(1, null, false); // created unowned (no verified subject)
        const asCreated = await stored();
        assert.ok(asCreated, 'the first step created the row');
        // Later steps as the service sends them: the row stays as it is. Concurrent, so several share a batch.
        await Promise.all(Array.from({ length: 30 }, (_, i) => step(i + 2, null, true)));
        let row = await log.getSession(id);
        assert.equal(row?.lastStep, 31);
        assert.equal(row?.updatedAt.getTime(), t0 + 31_000);
        assert.equal(row?.ownerSubject, null);
        assert.deepEqual(await stored(), asCreated, 'no step rewrote the row');
        // The first verified caller claims it; a later claim (say, from another replica) is too late.
        await step(32, 'alice', false);
        await step(33, 'bob', false);
        row = await log.getSession(id);
        assert.equal(row?.ownerSubject, 'alice');
        assert.equal(row?.ownerClientId, 'app');
        assert.equal(row?.lastStep, 33);
        assert.equal(row?.updatedAt.getTime(), t0 + 33_000);
        const claimed = (await stored()) as Record<string, unknown>;
        const created = asCreated as Record<string, unknown>;
        assert.equal(claimed.owner_subject, 'alice');
        assert.deepEqual([claimed.created_at, claimed.updated_at, claimed.last_step], [created.created_at, created.updated_at, created.last_step]);
      });

      it('takes updated_at from the latest decision of the highest step', async () => {
        const id = `latest-${randomUUID()}`;
        // Two replicas may record the same step; the higher step wins over a later time.
        for (const [step, at] of [[1, 9_000], [2, 1_000], [2, 3_000], [2, 2_000]]) {
          const x = sampleRecord({ sessionId: id, step, time: new Date(BASE + at) });
          await log.append(x.record, { ...x.session, unchanged: step > 1 });
        }
        const row = await log.getSession(id);
        assert.equal(row?.lastStep, 2);
        assert.equal(row?.updatedAt.getTime(), BASE + 3_000);
      });

      it('a session created twice (replicas racing) keeps the first row, fails neither append, and a verified owner still claims an unowned one', async () => {
        const other = await DecisionLog.open(db.options);
        try {
          const owned = `race-${randomUUID()}`;
          const a = sampleRecord({ sessionId: owned, step: 1, subject: 'alice' });
          const b = sampleRecord({ sessionId: owned, step: 1, subject: 'bob' });
          await log.append(a.record, a.session);
          await other.append(b.record, { ...b.session, historySource: 'client', seededHistory: [] });
          const row = await log.getSession(owned);
          assert.equal(row?.ownerSubject, 'alice');
          assert.equal(row?.historySource, 'none');
          assert.equal((await log.sessionSteps(owned)).length, 2);
          const unowned = `race-${randomUUID()}`;
          const c = sampleRecord({ sessionId: unowned, step: 1, subject: null, clientId: null });
          const d = sampleRecord({ sessionId: unowned, step: 1, subject: 'carol' });
          await log.append(c.record, c.session);
          await other.append(d.record, d.session);
          assert.equal((await other.getSession(unowned))?.ownerSubject, 'carol');
        } finally {
          await other.close();
        }
      });

      it('returns the timeline ordered by step, optionally only the last N', async () => {
        const id = `timeline-${randomUUID()}`;
        const order = [5, 2, 4, 1, 3];
        for (const step of order) {
          const { record, session } = sampleRecord({ sessionId: id, step });
          await log.append(record, session);
        }
        assert.deepEqual((await log.sessionSteps(id)).map((r) => r.step), [1, 2, 3, 4, 5]);
        assert.deepEqual((await log.sessionSteps(id, { lastN: 2 })).map((r) => r.step), [4, 5]);
        assert.deepEqual(await log.sessionSteps(id, { lastN: 0 }), []);
        assert.deepEqual(await log.sessionSteps('unknown-session'), []);
        assert.equal((await log.getSession(id))?.lastStep, 5);
      });
    });

    it('group-commits concurrent appends into few transactions', async () => {
      const before = log.stats();
      // 30 independent flows, each appending its session's 10 steps one after another.
      const records = Array.from({ length: 300 }, (_, i) => sampleRecord({ sessionId: `gc-${i % 30}`, step: Math.floor(i / 30) + 1 }));
      await Promise.all(
        Array.from({ length: 30 }, async (_, flow) => {
          for (let k = 0; k < 10; k++) {
            const { record, session } = records[k * 30 + flow];
            await log.append(record, session);
          }
        }),
      );
      const after = log.stats();
      const commits = after.commits - before.commits;
      assert.equal(after.appended - before.appended, 300);
      assert.ok(commits >= 10 && commits <= 60, `expected few commits for 300 appends, got ${commits}`);
      assert.ok(after.maxBatchSize > 1);
      assert.equal(after.queueDepth, 0);
      for (const { record } of records.filter((_, i) => i % 37 === 0)) assert.equal((await log.get(record.id))?.id, record.id);
      assert.equal((await log.getSession('gc-3'))?.lastStep, 10);
      assert.deepEqual((await log.sessionSteps('gc-3')).map((r) => r.step), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const page = await log.list({});
      assert.equal(page.items.length, 100);
      assert.ok(page.nextCursor);
    });

    it('rejects a whole batch when its commit fails, then recovers', async () => {
      await db.sql(`ALTER TABLE ${db.table('decisions')} RENAME TO ${kind === 'postgres' ? '"decisions_away"' : '"decisions_away"'}`);
      const failing = [1, 2, 3].map((step) => sampleRecord({ sessionId: `fail-${randomUUID()}`, step }));
      const before = log.stats();
      try {
        const results = await Promise.allSettled(failing.map(({ record, session }) => log.append(record, session)));
        for (const r of results) {
          assert.equal(r.status, 'rejected');
          const reason = (r as PromiseRejectedResult).reason;
          assert.ok(reason instanceof StoreWriteError);
          assert.equal(reason.code, 'decision_log_unavailable');
        }
      } finally {
        await db.sql(`ALTER TABLE ${db.table('decisions_away')} RENAME TO "decisions"`);
      }
      const stats = log.stats();
      assert.ok(stats.failedCommits > before.failedCommits);
      assert.equal(stats.failedRecords - before.failedRecords, 3);
      for (const { record } of failing) assert.equal(await log.get(record.id), null);
      assert.equal(await log.getSession(failing[0].record.sessionId), null);
      const ok = sampleRecord({ sessionId: 'after-failure', step: 1 });
      await log.append(ok.record, ok.session);
      assert.equal((await log.get(ok.record.id))?.id, ok.record.id);
    });

    it('refuses appends beyond maxQueue immediately and loses none it accepted', async () => {
      const small = await DecisionLog.open({ ...db.options, maxQueue: 5, maxBatch: 2 });
      try {
        const records = Array.from({ length: 40 }, (_, i) => sampleRecord({ sessionId: `bp-${randomUUID()}`, step: i + 1 }));
        const results = await Promise.allSettled(records.map(({ record, session }) => small.append(record, session)));
        const accepted = records.filter((_, i) => results[i].status === 'fulfilled');
        const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
        assert.equal(accepted.length, 5);
        assert.equal(refused.length, 35);
        for (const r of refused) {
          assert.ok(r.reason instanceof StoreOverloadedError);
          assert.equal(r.reason.status, 503);
        }
        assert.equal(small.stats().rejectedOverload, 35);
        assert.ok(small.stats().maxBatchSize <= 2);
        for (const { record } of accepted) assert.equal((await log.get(record.id))?.id, record.id);
        for (const { record } of records.filter((_, i) => results[i].status === 'rejected')) assert.equal(await log.get(record.id), null);
      } finally {
        await small.close();
      }
    });

    it('close() commits what is queued and then refuses appends', async () => {
      const other = await DecisionLog.open(db.options);
      const records = Array.from({ length: 50 }, (_, i) => sampleRecord({ sessionId: 'closing', step: i + 1 }));
      const pending = records.map(({ record, session }) => other.append(record, session));
      await other.close();
      await Promise.all(pending);
      const late = sampleRecord({ sessionId: 'closing', step: 51 });
      await assert.rejects(other.append(late.record, late.session), StoreClosedError);
      for (const { record } of records) assert.equal((await log.get(record.id))?.id, record.id);
    });
  });
}
