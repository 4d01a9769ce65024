// Group commit: append() enqueues; one writer loop commits everything queued so far in ONE
// transaction and settles each waiter only after that transaction's COMMIT returned. While a
// commit is in flight new appends pile up and form the next batch — no timers on the hot path.
// A full queue refuses new work immediately (backpressure) instead of growing without bound.
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
  private inFlight = 0;
  private running = false;
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
  ) {}

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
      if (!this.running) {
        this.running = true;
        // Let the appends of the current I/O turn join the first batch.
        setImmediate(() => void this.run());
      }
    });
  }

  /** Stops accepting appends and resolves when everything queued has been settled. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
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

  private async run(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inFlight = batch.length;
      const started = performance.now();
      let errors: unknown[];
      try {
        const outcome = await this.commit(batch.map((w) => w.item));
        errors = Array.isArray(outcome) ? outcome : [];
      } catch (err) {
        errors = batch.map(() => err ?? new Error('commit failed'));
      }
      const latencyMs = performance.now() - started;
      this.inFlight = 0;
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
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
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
