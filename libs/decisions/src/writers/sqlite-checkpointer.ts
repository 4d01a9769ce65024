// Moves SQLite WAL checkpoints off the commit path. With SQLite's automatic checkpoint, every
// ~1000 pages one COMMIT also copies the WAL into the database file and fsyncs both — a stall
// of many milliseconds for the requests waiting on that batch. Instead the writer runs with
// wal_autocheckpoint=0 and this runs PASSIVE checkpoints on its own connection while commits go
// on. A PASSIVE checkpoint never blocks the writer, but the WAL only restarts from its beginning
// when a checkpoint caught up with every frame before the next write transaction; under
// sustained load that rarely happens by itself, so past `maxWalFrames` the writer holds its next
// batch until one checkpoint pass runs with no commit in between (bounded WAL growth).

/** The part of node-sqlite3's Database the checkpointer uses. */
export interface SqliteQueryHandle {
  all(sql: string, cb: (err: Error | null, rows: Array<Record<string, unknown>>) => void): unknown;
}

export interface CheckpointOptions {
  /** Start a checkpoint after this many commits (when none is running). */
  everyCommits: number;
  /** Above this many WAL frames, the next commit waits for a complete checkpoint. */
  maxWalFrames: number;
  onError?: (err: unknown) => void;
  /** Called after every pass (the writer thread reports its counters to the main thread). */
  onPass?: () => void;
}

export const DEFAULT_CHECKPOINT: CheckpointOptions = { everyCommits: 16, maxWalFrames: 16_384 };

export class SqliteCheckpointer {
  private running: Promise<void> | null = null;
  private commitsSince = 0;
  /** WAL frames not yet copied into the database file, as of the last pass. */
  walFrames = 0;
  checkpoints = 0;
  drains = 0;

  constructor(
    private readonly db: SqliteQueryHandle,
    private readonly opts: CheckpointOptions = DEFAULT_CHECKPOINT,
  ) {}

  /**
   * Called after each commit. Returns a promise the writer must await before its next commit
   * when the WAL is over its cap; otherwise undefined (a checkpoint may start in the background).
   */
  afterCommit(): Promise<void> | undefined {
    this.commitsSince++;
    if (this.walFrames > this.opts.maxWalFrames) return this.drain();
    if (!this.running && this.commitsSince >= this.opts.everyCommits) this.start();
    return undefined;
  }

  /** Waits for the running checkpoint (used on close). */
  async idle(): Promise<void> {
    await this.running;
  }

  /** One pass with the writer paused: everything gets backfilled, so the next write restarts the WAL. */
  private async drain(): Promise<void> {
    this.drains++;
    await this.running;
    this.start();
    await this.running;
  }

  private start(): void {
    this.commitsSince = 0;
    this.running = this.pass().finally(() => {
      this.running = null;
    });
  }

  private async pass(): Promise<void> {
    try {
      const rows = await new Promise<Array<Record<string, unknown>>>((resolve, reject) =>
        this.db.all('PRAGMA wal_checkpoint(PASSIVE)', (err, r) => (err ? reject(err) : resolve(r))),
      );
      this.checkpoints++;
      const log = Number(rows[0]?.log ?? 0);
      const done = Number(rows[0]?.checkpointed ?? 0);
      // Frames still to copy; when all are copied, the next write transaction restarts the WAL.
      this.walFrames = log === done ? 0 : log;
    } catch (err) {
      this.opts.onError?.(err);
    }
    this.opts.onPass?.();
  }
}
