// Group commit: append() enqueues; one writer loop commits everything queued so far in ONE
// transaction and settles each waiter only after that transaction's COMMIT returned. While a
// commit is in flight new appends pile up and form the next batch — no timers on the hot path.
// A full queue refuses new work immediately (backpressure) instead of growing without bound.
//
// `maxInFlight` > 1 (a writer that orders and merges batches itself: the SQLite writer thread)
// hands each turn's appends over at once instead of waiting for the previous commit to return
// to this thread: the writer then never idles while this thread is busy with requests. Each
// batch still settles only after its own commit.
import { performance } from 'node:perf_hooks';
import { StoreClosedError, StoreOverloadedError, StoreTimeoutError, StoreWriteError } from './errors';
import type { CommitInfo } from './types';

interface Waiter<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Lets the caller withdraw a queued item (a request past its deadline). `cancel` is set while
 * the item waits in the queue; it returns true when the item was withdrawn (it will never be
 * written and its promise rejects with StoreTimeoutError), false once a transaction holds it.
 */
export interface AppendTicket {
  cancel: (() => boolean) | null;
}

export interface GroupCommitOptions {
  maxQueue: number;
  maxBatch: number;
  /** Batches handed to `commit` and not yet settled (default 1: one commit at a time). */
  maxInFlight?: number;
  onCommit?: (info: CommitInfo) => void;
}

export interface GroupCommitMetrics {
  queueDepth: number;
  inFlight: number;
  commits: number;
  failedCommits: number;
  appended: number;
  failedRecords: number;
  rejectedOverload: number;
  lastCommitMs: number | null;
  lastBatchSize: number | null;
  maxBatchSize: number;
  avgBatchSize: number;
  avgCommitMs: number;
}

export class GroupCommitter<T> {
  private queue: Waiter<T>[] = [];
  /** Records in batches handed to `commit` and not settled yet. */
  private inFlight = 0;
  private batchesInFlight = 0;
  /** A pump is scheduled (setImmediate) and has not run yet. */
  private scheduled = false;
  private readonly maxInFlight: number;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private m = { commits: 0, failedCommits: 0, appended: 0, failedRecords: 0, rejectedOverload: 0, totalBatched: 0, totalCommitMs: 0, maxBatchSize: 0 };
  private lastCommitMs: number | null = null;
  private lastBatchSize: number | null = null;

  /**
   * `commit` writes a batch atomically. It may settle items one by one by returning an array
   * of per-item errors (undefined = committed); throwing fails the whole batch.
   */
  constructor(
    private readonly commit: (items: T[]) => Promise<void | unknown[]>,
    private readonly opts: GroupCommitOptions,
  ) {
    const n = opts.maxInFlight ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`maxInFlight must be a positive integer, got ${n}`);
    this.maxInFlight = n;
  }

  /** Resolves once the item is committed; rejects with StoreOverloadedError / StoreWriteError / StoreClosedError. */
  enqueue(item: T, ticket?: AppendTicket): Promise<void> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    if (this.queue.length >= this.opts.maxQueue) {
      this.m.rejectedOverload++;
      return Promise.reject(new StoreOverloadedError(this.opts.maxQueue));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter<T> = { item, resolve, reject };
      this.queue.push(waiter);
      if (ticket) {
        ticket.cancel = () => {
          const at = this.queue.indexOf(waiter);
          if (at < 0) return false;
          this.queue.splice(at, 1);
          reject(new StoreTimeoutError());
          return true;
        };
      }
      if (!this.scheduled && this.batchesInFlight < this.maxInFlight) {
        this.scheduled = true;
        // Let the appends of the current I/O turn join the batch.
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
          this.wakeIdle(); // everything queued may have been withdrawn meanwhile
        });
      }
    });
  }

  /** Stops accepting appends and resolves when everything queued has been settled. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  metrics(): GroupCommitMetrics {
    const batches = this.m.commits + this.m.failedCommits;
    return {
      queueDepth: this.queue.length,
      inFlight: this.inFlight,
      commits: this.m.commits,
      failedCommits: this.m.failedCommits,
      appended: this.m.appended,
      failedRecords: this.m.failedRecords,
      rejectedOverload: this.m.rejectedOverload,
      lastCommitMs: this.lastCommitMs,
      lastBatchSize: this.lastBatchSize,
      maxBatchSize: this.m.maxBatchSize,
      avgBatchSize: batches === 0 ? 0 : this.m.totalBatched / batches,
      avgCommitMs: batches === 0 ? 0 : this.m.totalCommitMs / batches,
    };
  }

  private isIdle(): boolean {
    return this.batchesInFlight === 0 && this.queue.length === 0 && !this.scheduled;
  }

  /** Starts batches while there is work and room; each settles on its own. */
  private pump(): void {
    while (this.queue.length > 0 && this.batchesInFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.batchesInFlight++;
      this.inFlight += batch.length;
      void this.commitBatch(batch).then(() => {
        this.batchesInFlight--;
        this.inFlight -= batch.length;
        // One at a time: what queued during this commit forms the next batch now. Pipelined:
        // a pump is already scheduled for new appends, unless the limit held it back.
        this.pump();
        this.wakeIdle();
      });
    }
  }

  private wakeIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async commitBatch(batch: Waiter<T>[]): Promise<void> {
    const started = performance.now();
    let errors: unknown[];
    try {
      const outcome = await this.commit(batch.map((w) => w.item));
      errors = Array.isArray(outcome) ? outcome : [];
    } catch (err) {
      errors = batch.map(() => err ?? new Error('commit failed'));
    }
    const latencyMs = performance.now() - started;
    let failed = 0;
    let firstError: unknown;
    batch.forEach((w, i) => {
      const err = errors[i];
      if (err === undefined) return w.resolve();
      failed++;
      firstError ??= err;
      w.reject(new StoreWriteError(err));
    });
    this.record(batch.length, failed, latencyMs);
    this.notify({ batchSize: batch.length, latencyMs, ok: failed === 0, error: firstError });
  }

  private record(size: number, failed: number, latencyMs: number): void {
    this.lastCommitMs = latencyMs;
    this.lastBatchSize = size;
    this.m.totalBatched += size;
    this.m.totalCommitMs += latencyMs;
    this.m.maxBatchSize = Math.max(this.m.maxBatchSize, size);
    this.m.appended += size - failed;
    this.m.failedRecords += failed;
    if (failed === 0) this.m.commits++;
    else this.m.failedCommits++;
  }

  private notify(info: CommitInfo): void {
    if (!this.opts.onCommit) return;
    try {
      this.opts.onCommit(info);
    } catch {
      // A metrics hook must never break the writer.
    }
  }
}
