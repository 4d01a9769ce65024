// SQLite batch writer on its own thread (opt-in: ARBITER_SQLITE_WRITER_THREAD=1, see
// connection.ts). The main thread only turns each record into a row of cells (JSON columns
// serialized, times as epoch ms), encodes them into shared memory (row-codec.ts) and posts a
// small message; a worker_thread owning its own writer connection (and the checkpointer's)
// builds the SQL and commits it (sqlite-writer-worker.ts), then replies once per batch. The
// reply comes after COMMIT returned, so an acknowledged record is committed exactly as before.
// Failure is closed: if the thread fails to start, open() fails; if it dies, every pending and
// later batch fails (StoreWriteError) and `failure` is set (DecisionLog reports the store down).
//
// Why it is not the default: in the append bench (2 KB records, concurrency 32, callgrind) it
// took ~12k instructions per record off the main thread (~82k instead of ~94k, bench included)
// but the writer thread itself added ~50k and V8's helper threads more: building and
// converting the SQL costs the same wherever it runs, and a second isolate adds its message
// handling, promise plumbing and GC. On a machine whose cores are all busy that is a loss.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PreparedAppend } from '../record-validation';
import { RowEncoder, type EncodedBatch } from './row-codec';
import { decisionCells, epochMs, sessionCells, type Cell } from './rows';

/** workerData of the thread. */
export interface ThreadSetup {
  file: string;
  synchronous: string;
  busyTimeoutMs: number;
  /** More PRAGMA statements for the writer connection ('' for none). */
  pragmas: string;
}

/** A batch: `decisions` rows then `sessions` rows, encoded in shared memory (row-codec.ts). */
export type ThreadRequest =
  | { op: 'batch'; seq: number; encoder: number; decisions: number; sessions: number; rows: EncodedBatch }
  | { op: 'close' };

interface PlainError {
  message: string;
  code?: string;
}

export type ThreadReply =
  | { op: 'ready'; settings: Record<string, unknown> }
  | { op: 'fatal'; error: PlainError }
  | { op: 'closed' }
  | { op: 'stats'; stats: ThreadStats }
  | { op: 'done'; seq: number; error?: PlainError; stats: ThreadStats };

/** The checkpointer's counters, as the thread reports them. */
export type ThreadStats = [checkpoints: number, drains: number, walFrames: number];

/** The thread's writer failed as a whole (did not start, or died). */
export class SqliteThreadError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'SqliteThreadError';
  }
}

interface Pending {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class SqliteThreadWriter {
  /** Set once the thread is gone for good (startup failure, crash, or close). */
  failure: Error | null = null;
  checkpoints = 0;
  drains = 0;
  walFrames = 0;
  /** The thread's writer connection settings as it reported them at start (journal_mode, synchronous…). */
  settings: Record<string, unknown> = {};
  private readonly pending = new Map<number, Pending>();
  /**
   * Row encoders whose shared buffers the thread no longer reads. Batches are pipelined (several
   * in flight), so each holds an encoder of its own until its reply; the pool grows to the
   * number of batches in flight and is reused from then on.
   */
  private readonly encoders: RowEncoder[] = [];
  private encoderCount = 0;
  private seq = 0;
  private closed: Promise<void> | null = null;
  private onClosed: (() => void) | null = null;

  private constructor(private readonly worker: Worker) {}

  /** Starts the thread; resolves once its connections are open and configured. */
  static start(setup: ThreadSetup): Promise<SqliteThreadWriter> {
    const worker = new Worker(path.join(__dirname, 'sqlite-writer-worker.js'), { workerData: setup });
    const w = new SqliteThreadWriter(worker);
    return new Promise((resolve, reject) => {
      let started = false;
      worker.on('message', (msg: ThreadReply) => {
        if (msg.op === 'done') return w.settle(msg);
        if (msg.op === 'stats') {
          [w.checkpoints, w.drains, w.walFrames] = msg.stats;
          return;
        }
        if (msg.op === 'ready') {
          started = true;
          w.settings = msg.settings;
          worker.unref(); // an idle writer must not keep the process alive (see write())
          return resolve(w);
        }
        if (msg.op === 'closed') return w.onClosed?.();
        // 'fatal': startup failed.
        const err = new SqliteThreadError(`SQLite writer thread failed to start: ${msg.error.message}`, toError(msg.error));
        w.fail(err);
        if (!started) reject(err);
      });
      worker.on('error', (e) => {
        const err = new SqliteThreadError(`SQLite writer thread crashed: ${e.message}`, e);
        w.fail(err);
        if (!started) reject(err);
      });
      worker.on('exit', (code) => {
        const err = new SqliteThreadError(`SQLite writer thread exited (code ${code})`);
        w.fail(err);
        w.onClosed?.();
        if (!started) reject(err);
      });
    });
  }

  /** Resolves after the thread reported the batch's COMMIT; rejects with the SQLite error otherwise. */
  write(items: PreparedAppend[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const enc = this.encoders.pop() ?? new RowEncoder(this.encoderCount++);
    enc.reset();
    const decisions = new Array<Cell[]>(items.length);
    for (let i = 0; i < items.length; i++) decisions[i] = decisionCells(items[i].record, epochMs);
    const sessions = sessionCells(items, new Date(), epochMs);
    enc.rows(decisions);
    enc.rows(sessions);
    const msg: ThreadRequest = { op: 'batch', seq: ++this.seq, encoder: enc.id, decisions: decisions.length, sessions: sessions.length, rows: enc.finish() };
    return new Promise<void>((resolve, reject) => {
      // While a batch is in flight the thread keeps the event loop alive, as the libuv work of
      // an in-thread exec() would: `await log.append(...)` must not end the process early.
      if (this.pending.size === 0) this.worker.ref();
      // The reply comes after the thread decoded the batch: its encoder may be reused. (After a
      // failure the thread is gone; the encoder is dropped with it.)
      const release = () => this.encoders.push(enc);
      this.pending.set(msg.seq, {
        resolve: () => (release(), resolve()),
        reject: (e) => (release(), reject(e)),
      });
      this.worker.postMessage(msg);
    });
  }

  /** Waits for the batches in flight, closes the thread's connections and ends it. Idempotent. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      if (this.failure) return resolve();
      this.onClosed = resolve;
      this.worker.ref();
      this.worker.postMessage({ op: 'close' } satisfies ThreadRequest);
    }).then(async () => {
      this.fail(new SqliteThreadError('SQLite writer thread closed'));
      await this.worker.terminate();
    });
    return this.closed;
  }

  private settle(msg: Extract<ThreadReply, { op: 'done' }>): void {
    [this.checkpoints, this.drains, this.walFrames] = msg.stats;
    const p = this.pending.get(msg.seq);
    if (!p) return;
    this.pending.delete(msg.seq);
    if (this.pending.size === 0) this.worker.unref();
    if (msg.error) p.reject(toError(msg.error));
    else p.resolve();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(this.failure);
  }
}

function toError(e: PlainError): Error {
  const err = new Error(e.message) as Error & { code?: string };
  if (e.code !== undefined) err.code = e.code;
  return err;
}
