// The SQLite writer thread (opt-in): selected by option or env, configured like the main-thread
// writer, and fail-closed when the thread dies (pending and later appends rejected, the store
// reported down).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { DecisionLog } from './decision-log';
import { StoreConfigError, StoreWriteError } from './errors';
import { sqliteWriterThread } from './connection';
import { createTestDatabase, sampleRecord } from './testing/test-databases';
import type { SqliteThreadWriter } from './writers/sqlite-thread';

function threadOf(log: DecisionLog): SqliteThreadWriter | undefined {
  return (log as unknown as { conn: { sqliteThread?: SqliteThreadWriter } }).conn.sqliteThread;
}

function workerOf(thread: SqliteThreadWriter): Worker {
  return (thread as unknown as { worker: Worker }).worker;
}

describe('SQLite writer thread', () => {
  it('is off by default; on by option or ARBITER_SQLITE_WRITER_THREAD, with the writer settings of the main-thread writer', async () => {
    assert.equal(sqliteWriterThread(undefined, undefined), false);
    assert.equal(sqliteWriterThread(undefined, 'on'), true);
    assert.equal(sqliteWriterThread(undefined, '1'), true);
    assert.equal(sqliteWriterThread(undefined, 'false'), false);
    assert.equal(sqliteWriterThread(false, '1'), false);
    assert.throws(() => sqliteWriterThread(undefined, 'maybe'), StoreConfigError);
    const db = await createTestDatabase('sqlite');
    try {
      for (const threaded of [true, false]) {
        const log = await DecisionLog.open({ ...db.options, sqliteWriterThread: threaded });
        try {
          assert.equal(threadOf(log) !== undefined, threaded);
          if (threaded) {
            assert.deepEqual(threadOf(log)?.settings, { journal_mode: 'wal', synchronous: 1, wal_autocheckpoint: 0, timeout: 5000, temp_store: 2 });
          }
          // Step 1 creates the session; the others write no session row (batches without one too).
          const records = Array.from({ length: 20 }, (_, i) => sampleRecord({ sessionId: `mode-${threaded}`, step: i + 1 }));
          await Promise.all(records.map(({ record, session }) => log.append(record, { ...session, unchanged: session.step > 1 })));
          for (const { record } of records) assert.deepEqual((await log.get(record.id))?.time, record.time);
          assert.equal((await log.getSession(`mode-${threaded}`))?.lastStep, 20);
          assert.equal((await log.getSession(`mode-${threaded}`))?.ownerSubject, 'alice');
          const later = sampleRecord({ sessionId: `mode-${threaded}`, step: 21 });
          await log.append(later.record, { ...later.session, unchanged: true });
          assert.equal((await log.getSession(`mode-${threaded}`))?.lastStep, 21);
        } finally {
          await log.close();
        }
      }
      const memory = await DecisionLog.open({ databaseUrl: 'sqlite::memory:', sqliteWriterThread: true });
      assert.equal(threadOf(memory), undefined, 'an in-memory database stays on its one connection');
      await memory.close();
    } finally {
      await db.cleanup();
    }
  });

  it('fails closed when the thread dies: the batch in flight and every later append reject, the store reports down', async () => {
    const db = await createTestDatabase('sqlite');
    const log = await DecisionLog.open({ ...db.options, sqliteWriterThread: true });
    try {
      const ok = sampleRecord({ sessionId: 'crash', step: 1 });
      await log.append(ok.record, ok.session);
      const thread = threadOf(log)!;
      const worker = workerOf(thread);
      // The thread dies while the next batch is in flight, before it answered (simulated: the
      // batch never reaches it).
      worker.postMessage = () => void worker.terminate();
      const lost = sampleRecord({ sessionId: 'crash', step: 2 });
      await assert.rejects(log.append(lost.record, lost.session), StoreWriteError);
      const later = sampleRecord({ sessionId: 'crash', step: 3 });
      await assert.rejects(log.append(later.record, later.session), StoreWriteError);
      assert.ok(thread.failure);
      await assert.rejects(log.getSession('crash'), StoreWriteError);
      assert.ok(log.stats().failedCommits >= 2);
    } finally {
      await log.close();
      await db.cleanup();
    }
  });

  it('pipelines batches: those arriving during a commit share the next transaction, and a failing one fails alone', async () => {
    const db = await createTestDatabase('sqlite');
    const log = await DecisionLog.open({ ...db.options, sqliteWriterThread: true });
    try {
      const thread = threadOf(log)!;
      // Batches of separate turns, all sent before the first reply: 40 sessions x 5 steps.
      const appends: Array<Promise<void>> = [];
      const ids: string[] = [];
      for (let turn = 0; turn < 5; turn++) {
        for (let s = 0; s < 40; s++) {
          const { record, session } = sampleRecord({ sessionId: `pipe-${s}-${turn}`, step: 1 });
          ids.push(record.id);
          appends.push(log.append(record, session));
        }
        await new Promise((r) => setImmediate(r));
      }
      assert.ok((thread as unknown as { pending: Map<number, unknown> }).pending.size > 1, 'several batches in flight at once');
      await Promise.all(appends);
      for (const id of ids) assert.ok(await log.get(id), `record ${id} committed`);
      // A batch whose rows violate a constraint (a duplicate decision id, possible only through a
      // bug or a replica) is retried alone when it shared a transaction: the others commit.
      const dup = sampleRecord({ sessionId: 'dup-a', step: 1 });
      await log.append(dup.record, dup.session);
      const again = sampleRecord({ sessionId: 'dup-b', step: 1, id: dup.record.id });
      const good = Array.from({ length: 10 }, (_, i) => sampleRecord({ sessionId: `good-${i}`, step: 1 }));
      const results = await Promise.allSettled([
        log.append(again.record, again.session),
        ...good.map(async (g) => {
          await new Promise((r) => setImmediate(r)); // a later batch
          return log.append(g.record, g.session);
        }),
      ]);
      assert.equal(results[0].status, 'rejected');
      assert.ok(results.slice(1).every((r) => r.status === 'fulfilled'), 'the other batches committed');
      for (const g of good) assert.ok(await log.get(g.record.id));
      assert.equal((await log.get(dup.record.id))?.sessionId, 'dup-a', 'the first row stays');
    } finally {
      await log.close();
      await db.cleanup();
    }
  });
});
