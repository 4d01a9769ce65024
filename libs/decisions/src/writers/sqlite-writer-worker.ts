// Entry point of the SQLite writer thread (see sqlite-thread.ts). It owns the writer connection
// and the checkpointer's connection. Batches (rows in shared memory, row-codec.ts) that arrive
// while a transaction runs are committed together in the next one, as one exec() of literal SQL
// (SqliteBatchWriter); each batch is answered with one reply after COMMIT returned (or failed).
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

/** A batch as received: its rows, or why they could not be read. */
interface Decoded {
  seq: number;
  rows: { decisions: Cell[][]; sessions: Cell[][] } | null;
  error: unknown;
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

  // Batches arrive pipelined (the main thread does not wait for one reply before sending the
  // next). Those that arrive while a transaction runs are committed together in the next one, so
  // the writer works back to back without waiting for the busy main thread between commits.
  // Every batch is still answered only after the transaction holding it committed. If a merged
  // transaction fails, its batches are retried one by one, so a batch fails only for its own
  // rows (DecisionLog then isolates a bad record within it).
  const decoders = new Map<number, RowDecoder>();
  const waiting: Decoded[] = [];
  let writing: Promise<void> | null = null;
  let closing = false;

  const reply = (b: Decoded, err?: unknown) =>
    port!.postMessage((err === undefined ? { op: 'done', seq: b.seq, stats: stats() } : { op: 'done', seq: b.seq, error: plainError(err), stats: stats() }) satisfies ThreadReply);

  const commit = async (group: Decoded[]): Promise<void> => {
    const ok = group.filter((b) => b.rows !== null);
    for (const b of group) if (b.rows === null) reply(b, b.error);
    if (ok.length === 0) return;
    try {
      await writer.writeRows(ok.flatMap((b) => b.rows!.decisions), ok.flatMap((b) => b.rows!.sessions));
      for (const b of ok) reply(b);
    } catch (err) {
      if (ok.length === 1) return reply(ok[0], err);
      for (const b of ok) {
        try {
          await writer.writeRows(b.rows!.decisions, b.rows!.sessions);
          reply(b);
        } catch (e) {
          reply(b, e);
        }
      }
    }
  };

  const drain = async (): Promise<void> => {
    while (waiting.length > 0) await commit(waiting.splice(0));
    writing = null;
  };

  port!.on('message', (msg: ThreadRequest) => {
    if (msg.op === 'close') {
      if (closing) return;
      closing = true;
      void (async () => {
        while (writing) await writing;
        await checkpointer.idle();
        await close(checkpointDb);
        await close(writerDb);
        port!.postMessage({ op: 'closed' });
        port!.close();
      })();
      return;
    }
    // Decoded at once: the main thread reuses the encoder's buffers once we answer.
    const batch: Decoded = { seq: msg.seq, rows: null, error: undefined };
    try {
      let decoder = decoders.get(msg.encoder);
      if (!decoder) decoders.set(msg.encoder, (decoder = new RowDecoder()));
      const [decisions, sessions] = decoder.read(msg.rows, [
        [msg.decisions, DECISION_COLUMNS.length],
        [msg.sessions, SESSION_COLUMNS.length],
      ]);
      formatTimes(decisions, [1]);
      formatTimes(sessions, [3, 4]);
      batch.rows = { decisions, sessions };
    } catch (err) {
      batch.error = err ?? new Error('could not decode the batch');
    }
    waiting.push(batch);
    writing ??= drain();
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
