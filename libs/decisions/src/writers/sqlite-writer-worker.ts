// Entry point of the SQLite writer thread (see sqlite-thread.ts). It owns the writer connection
// and the checkpointer's connection; each batch (rows in shared memory, row-codec.ts) is committed as one exec() of literal
// SQL (SqliteBatchWriter) and answered with one reply after COMMIT returned (or failed).
// Imports are relative only: the thread needs no path aliases.
import { parentPort, workerData } from 'node:worker_threads';
import type { Database } from 'sqlite3';
import { SqliteBatchWriter } from './sqlite-writer';
import { DEFAULT_CHECKPOINT, SqliteCheckpointer } from './sqlite-checkpointer';
import { RowDecoder } from './row-codec';
import { DECISION_COLUMNS, SESSION_COLUMNS, sqliteTime, type Cell } from './rows';
import type { ThreadReply, ThreadRequest, ThreadSetup, ThreadStats } from './sqlite-thread';

const setup = workerData as ThreadSetup;
const port = parentPort;
if (!port) throw new Error('sqlite-writer-worker must run in a worker thread');

function open(file: string): Promise<Database> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sqlite3 = require('sqlite3') as typeof import('sqlite3');
  return new Promise((resolve, reject) => {
    const db: Database = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(db)));
  });
}

function exec(db: Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

function close(db: Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

/** Cells as sent (times as epoch ms) → SQLite time text, in place. */
function formatTimes(rows: Cell[][], columns: readonly number[]): void {
  for (const row of rows) for (const c of columns) row[c] = sqliteTime(new Date(row[c] as number));
}

/** An Error's message and SQLite code survive the trip (DecisionLog.isDataError reads the code). */
function plainError(err: unknown): { message: string; code?: string } {
  const e = err as { message?: unknown; code?: unknown } | null;
  return {
    message: typeof e?.message === 'string' ? e.message : String(err),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
}

async function main(): Promise<void> {
  const writerDb = await open(setup.file);
  const checkpointDb = await open(setup.file);
  for (const db of [writerDb, checkpointDb]) db.configure('busyTimeout', setup.busyTimeoutMs);
  // The same settings connection.ts gives the TypeORM writer (journal_mode=WAL is a property
  // of the file, already set there); checkpoints are the checkpointer's job, never a commit's.
  await exec(writerDb, `PRAGMA synchronous = ${setup.synchronous}; PRAGMA wal_autocheckpoint = 0; ${setup.pragmas}`);
  // Counters also travel with every batch reply; a pass ending between batches reports itself.
  const checkpointer: SqliteCheckpointer = new SqliteCheckpointer(checkpointDb, {
    ...DEFAULT_CHECKPOINT,
    onPass: () => port!.postMessage({ op: 'stats', stats: stats() } satisfies ThreadReply),
  });
  const writer = new SqliteBatchWriter(writerDb, checkpointer);
  const stats = (): ThreadStats => [checkpointer.checkpoints, checkpointer.drains, checkpointer.walFrames];

  // Batches arrive one at a time (the group committer awaits each reply); a chain keeps them
  // in order regardless.
  let chain = Promise.resolve();
  const decoder = new RowDecoder();
  port!.on('message', (msg: ThreadRequest) => {
    if (msg.op === 'close') {
      chain = chain.then(async () => {
        await checkpointer.idle();
        await close(checkpointDb);
        await close(writerDb);
        port!.postMessage({ op: 'closed' });
        port!.close();
      });
      return;
    }
    // Decoded at once: the main thread may reuse the shared buffers as soon as we answer.
    let rows: { decisions: Cell[][]; sessions: Cell[][] } | undefined;
    let decodeError: unknown;
    try {
      const [decisions, sessions] = decoder.read(msg.rows, [
        [msg.decisions, DECISION_COLUMNS.length],
        [msg.sessions, SESSION_COLUMNS.length],
      ]);
      rows = { decisions, sessions };
    } catch (err) {
      decodeError = err;
    }
    chain = chain.then(async () => {
      let reply: ThreadReply;
      try {
        if (!rows) throw decodeError;
        formatTimes(rows.decisions, [1]);
        formatTimes(rows.sessions, [3, 4]);
        await writer.writeRows(rows.decisions, rows.sessions);
        reply = { op: 'done', seq: msg.seq, stats: stats() };
      } catch (err) {
        reply = { op: 'done', seq: msg.seq, error: plainError(err), stats: stats() };
      }
      port!.postMessage(reply);
    });
  });
  // Reported back so the settings can be checked from the main thread (tests, diagnostics).
  const settings: Record<string, unknown> = {};
  for (const pragma of ['journal_mode', 'synchronous', 'wal_autocheckpoint', 'busy_timeout', 'temp_store']) {
    const row = await new Promise<Record<string, unknown>>((resolve, reject) =>
      writerDb.get(`PRAGMA ${pragma}`, (err, r: Record<string, unknown>) => (err ? reject(err) : resolve(r))),
    );
    Object.assign(settings, row);
  }
  port!.postMessage({ op: 'ready', settings } satisfies ThreadReply);
}

main().catch((err) => {
  // Startup failed: the main thread fails open() (or every pending append) with this error.
  port.postMessage({ op: 'fatal', error: plainError(err) });
  port.close();
});
