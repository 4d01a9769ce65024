// The SQLite point read of a session row (writers/sqlite-session-reader.ts) must hydrate rows
// exactly as TypeORM's findOneBy does (it replaced that call on the decide hot path), with the
// live last_step/updated_at of the session's latest decision.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestDatabase, sampleRecord } from './testing/test-databases';
import { DecisionLog } from './decision-log';
import type { Connections } from './connection';
import { sqliteDate } from './writers/sqlite-session-reader';

describe('SQLite session point read', () => {
  it('returns what TypeORM hydrates, with lastStep/updatedAt of the latest decision, and null for an unknown id', async () => {
    const db = await createTestDatabase('sqlite');
    const log = await DecisionLog.open(db.options);
    try {
      const seeded = [{ step: 1, time: '2025-01-01T00:00:00.000Z', time_ns: 1, tool: { name: 'a', server: null, arguments: { q: "it's" } }, decision: 'allow', reasons: [] }];
      const first = sampleRecord({ sessionId: 'sr-1', step: 2, subject: 'bob' });
      first.session.historySource = 'client';
      first.session.seededHistory = seeded;
      await log.append(first.record, first.session);
      const second = sampleRecord({ sessionId: 'sr-1', step: 3 });
      await log.append(second.record, { ...second.session, unchanged: true });
      const conn = (log as unknown as { conn: Connections }).conn;
      assert.ok(conn.sqliteReader, 'the SQLite path is taken');
      const viaOrm = await conn.reader.getRepository(conn.entities.session).findOneBy({ id: 'sr-1' });
      const fast = await log.getSession('sr-1');
      assert.ok(viaOrm && fast);
      assert.deepEqual(fast, {
        id: viaOrm.id,
        ownerSubject: viaOrm.ownerSubject,
        ownerClientId: viaOrm.ownerClientId,
        createdAt: viaOrm.createdAt,
        updatedAt: second.record.time,
        lastStep: 3,
        historySource: 'client',
        seededHistory: seeded,
      });
      assert.equal(fast.ownerSubject, 'bob');
      assert.equal(viaOrm.lastStep, 2, 'the stored row keeps its creation values');
      assert.equal(await log.getSession('no-such-session'), null);
      // A row without decisions (not written by the log) falls back to its stored values.
      await db.sql(`DELETE FROM "decisions" WHERE "session_id" = 'sr-1'`);
      assert.deepEqual(await log.getSession('sr-1'), { ...fast, updatedAt: viaOrm.updatedAt, lastStep: 2 });
    } finally {
      await log.close();
      await db.cleanup();
    }
  });

  it('reads datetime text as UTC', () => {
    assert.equal(sqliteDate('2025-01-02 03:04:05.006').toISOString(), '2025-01-02T03:04:05.006Z');
    assert.equal(sqliteDate('2025-01-02 03:04:05').toISOString(), '2025-01-02T03:04:05.000Z');
  });
});
