// The batch writers' pure parts: SQL literals, timestamps as TypeORM writes them, one upsert row
// per session created or claimed (none for the others), and the checkpointer's WAL cap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateUtils } from 'typeorm/util/DateUtils';
import { prepareAppend } from './record-validation';
import { createTestDatabase, sampleRecord } from './testing/test-databases';
import { DecisionLog } from './decision-log';
import type { DataSource } from 'typeorm';
import { PostgresBatchWriter } from './writers/postgres-writer';
import { SqliteCheckpointer, type SqliteQueryHandle } from './writers/sqlite-checkpointer';
import { batchSql, literal, rowsSql } from './writers/sqlite-writer';
import { DECISION_COLUMNS, decisionCells, sessionCells, sqliteTime } from './writers/rows';
import { JsonText } from './json-text';
import { isTwoByte, twoByteLatin1 } from './testing/string-form';

describe('SQLite literals', () => {
  it('quotes text (quotes doubled, NUL replaced), writes integers, refuses other numbers', () => {
    assert.equal(literal(null), 'NULL');
    assert.equal(literal(42), '42');
    assert.equal(literal("it's"), "'it''s'");
    assert.equal(literal("'); DROP TABLE decisions; --"), "'''); DROP TABLE decisions; --'");
    assert.equal(literal('a\0b'), "'a\uFFFDb'");
    assert.throws(() => literal(1.5), TypeError);
    assert.throws(() => literal(NaN), TypeError);
  });

  it('writes times exactly as TypeORM does for SQLite datetime columns', () => {
    const edges = [-1, -86_400_001, Date.UTC(1000, 0, 1), Date.UTC(999, 11, 31, 23, 59, 59, 999), Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(2024, 1, 29, 0, 0, 0, 5), Date.UTC(9999, 11, 31, 23, 59, 59, 999)];
    for (const ms of [0, Date.UTC(2025, 0, 2, 3, 4, 5, 6), Date.UTC(1999, 11, 31, 23, 59, 59, 999), Date.now(), ...edges]) {
      const d = new Date(ms);
      assert.equal(sqliteTime(d), DateUtils.mixedDateToUtcDatetimeString(d));
    }
  });

  it('writes times of the same second (kept text) and of other seconds and years alike', () => {
    const base = Date.UTC(2025, 0, 2, 3, 4, 5, 0);
    const seq = [base, base + 7, base + 999, base + 1000, base + 1, Date.UTC(999, 0, 1, 0, 0, 0, 5), Date.UTC(999, 0, 1, 0, 0, 0, 6), base + 42, -1, -999, -1000, -1001, base + 2_000];
    for (const ms of seq) {
      const d = new Date(ms);
      assert.equal(sqliteTime(d), DateUtils.mixedDateToUtcDatetimeString(d), `at ${ms}`);
    }
    assert.throws(() => sqliteTime(new Date(NaN)), RangeError);
  });

  it('builds one transaction: decisions, then one upsert row per session (creation values from its earliest step)', () => {
    const a2 = sampleRecord({ sessionId: 'a', step: 2, subject: 'late' });
    const a1 = sampleRecord({ sessionId: 'a', step: 1, subject: 'first' });
    const b = sampleRecord({ sessionId: 'b', step: 7 });
    const items = [a2, a1, b].map((x) => prepareAppend(x.record, x.session));
    const sql = batchSql(items, new Date(0));
    assert.match(sql, /^BEGIN;INSERT INTO "decisions" .*;INSERT INTO "sessions" .* ON CONFLICT .*;COMMIT;$/s);
    const rows = sessionCells(items, new Date(0), sqliteTime);
    assert.equal(rows.length, 2);
    const [a] = rows;
    assert.equal(a[0], 'a');
    assert.equal(a[1], 'first', 'owner from the earliest step');
    assert.equal(a[5], 2, 'last_step is the highest step');
  });

  it('writes no session statement for a batch of steps of existing sessions (SessionUpsert.unchanged)', () => {
    const steps = [4, 5, 6].map((step) => sampleRecord({ sessionId: `known-${step % 2}`, step }));
    const items = steps.map((x) => prepareAppend(x.record, { ...x.session, unchanged: true }));
    assert.deepEqual(sessionCells(items, new Date(0), sqliteTime), []);
    const sql = batchSql(items, new Date(0));
    assert.match(sql, /^BEGIN;INSERT INTO "decisions" [^;]*;COMMIT;$/s);
    assert.doesNotMatch(sql, /"sessions"/);
    // One new session among them: its row alone.
    const created = sampleRecord({ sessionId: 'new-one', step: 1 });
    const mixed = [...items, prepareAppend(created.record, created.session)];
    const rows = sessionCells(mixed, new Date(0), sqliteTime);
    assert.deepEqual(rows.map((r) => r[0]), ['new-one']);
    assert.equal(batchSql(mixed, new Date(0)).match(/INSERT INTO "sessions"/g)?.length, 1);
  });

  it('writes each decision row as the generic row builder does (quotes, NULs, nulls, JSON columns)', () => {
    const variants = [
      sampleRecord(),
      sampleRecord({
        id: "it's", sessionId: "s'1", caller: null, subject: null, clientId: null, toolServer: null, toolName: "t'x\0",
        decision: 'deny', reasons: [], obligations: null, input: JsonText.trusted(`{"a":"q'\0x"}`), result: new JsonText('[{"r":"it\'s \\u0000"}]'),
        policyRevision: "r'1", entrypoint: "e'p", pinned: { "k'": "v'\0", n: 1.5, big: 2n ** 70n }, evalMicros: 12.6, error: "boom: it's",
        history: { source: 'client', through_step: 4, count: 2 },
      }),
      sampleRecord({ reasons: [{ code: "c'", message: "m'\0\uD800" }, { code: twoByteLatin1('toxic_flow'), message: 'caf\u00e9 \u2192' }], input: { x: ["'", null, undefined] }, result: null, obligations: {} }),
      sampleRecord({ time: new Date(Date.UTC(999, 0, 1)), step: 2_147_483_647, history: { source: 'server', through_step: 0, count: 0 } }),
    ];
    const items = variants.map((x) => prepareAppend(x.record, x.session));
    const now = new Date(Date.UTC(2025, 5, 6, 7, 8, 9, 10));
    // Over ROWS_PER_STATEMENT rows too: the statement splits where rowsSql splits it.
    for (const batch of [items, Array.from({ length: 1100 }, (_, i) => items[i % items.length])]) {
      const generic = rowsSql(batch.map((p) => decisionCells(p.record, sqliteTime)), sessionCells(batch, now, sqliteTime));
      assert.equal(batchSql(batch, now), generic);
    }
    assert.ok(!batchSql(items, now).includes('\0'));
  });

  it('keeps the SQL text one-byte when a reason code comes as a two-byte string', () => {
    const x = sampleRecord({ reasons: [{ code: twoByteLatin1('toxic_flow'), message: twoByteLatin1('no') }] });
    const sql = batchSql([prepareAppend(x.record, x.session)], new Date(0));
    assert.equal(isTwoByte(sql.slice(0)), false);
  });

  it('PostgreSQL: a batch without created or claimed sessions is a plain INSERT of the decisions', async () => {
    const sent: Array<{ sql: string; params: unknown[] }> = [];
    const ds = { query: async (sql: string, params: unknown[]) => void sent.push({ sql, params }) } as unknown as DataSource;
    const writer = new PostgresBatchWriter(ds, 'x');
    const known = [1, 2].map((i) => sampleRecord({ sessionId: 'known', step: 10 + i }));
    await writer.write(known.map((x) => prepareAppend(x.record, { ...x.session, unchanged: true })));
    assert.doesNotMatch(sent[0].sql, /sessions/);
    assert.equal(sent[0].params.length, DECISION_COLUMNS.length, 'one array per decisions column');
    const created = sampleRecord({ sessionId: 'new', step: 1 });
    await writer.write([...known, created].map((x) => prepareAppend(x.record, { ...x.session, unchanged: x !== created })));
    assert.match(sent[1].sql, /INSERT INTO "x"."sessions" .* ON CONFLICT \("id"\) DO UPDATE .* WHERE s."owner_subject" IS NULL/);
    assert.deepEqual(sent[1].params[DECISION_COLUMNS.length], ['new'], 'one session row: the new one');
  });
});

describe('large batches', () => {
  for (const kind of ['sqlite', 'postgres'] as const) {
    it(`commits a batch of more rows than one INSERT statement holds (${kind})`, async () => {
      const db = await createTestDatabase(kind);
      const log = await DecisionLog.open({ ...db.options, maxBatch: 5000 });
      try {
        const n = 1200;
        await Promise.all(Array.from({ length: n }, (_, i) => sampleRecord({ sessionId: `big-${i % 700}`, step: 1 + Math.floor(i / 700) })).map((x) => log.append(x.record, x.session)));
        assert.equal(await log.count(), n);
        assert.ok(log.stats().maxBatchSize > 500, `one batch held ${log.stats().maxBatchSize} records`);
        assert.equal((await log.getSession('big-3'))?.lastStep, 2);
      } finally {
        await log.close();
        await db.cleanup();
      }
    });
  }
});

describe('SqliteCheckpointer', () => {
  function fakeDb(answers: Array<{ log: number; checkpointed: number }>): SqliteQueryHandle & { calls: number } {
    const db = {
      calls: 0,
      all(_sql: string, cb: (err: Error | null, rows: Array<Record<string, unknown>>) => void) {
        const row = answers[Math.min(db.calls++, answers.length - 1)];
        setImmediate(() => cb(null, [{ busy: 0, ...row }]));
      },
    };
    return db;
  }

  it('checkpoints every N commits in the background and makes the writer wait only past the WAL cap', async () => {
    const db = fakeDb([{ log: 500, checkpointed: 400 }, { log: 900, checkpointed: 800 }, { log: 950, checkpointed: 950 }]);
    const c = new SqliteCheckpointer(db, { everyCommits: 2, maxWalFrames: 600 });
    assert.equal(c.afterCommit(), undefined);
    assert.equal(c.afterCommit(), undefined, 'second commit starts a background pass');
    await c.idle();
    assert.equal(db.calls, 1);
    assert.equal(c.walFrames, 500, 'the pass did not catch up');
    c.afterCommit();
    assert.equal(c.afterCommit(), undefined);
    await c.idle();
    assert.equal(c.walFrames, 900);
    const wait = c.afterCommit();
    assert.ok(wait instanceof Promise, 'over the cap: the next commit must wait');
    await wait;
    assert.equal(c.drains, 1);
    assert.equal(c.walFrames, 0, 'a complete pass lets the WAL restart');
  });
});
