// DecisionLog: the durable decision log (group-committed appends, keyset-paginated reads).
import { DEFAULT_MAX_BATCH, DEFAULT_MAX_QUEUE, positiveInt, resolveTarget, type OpenOptions } from './config';
import { openConnections, type Connections } from './connection';
import { decodeCursor, encodeCursor } from './cursor';
import { InvalidFilterError, InvalidRecordError, StoreReadError, StoreWriteError } from './errors';
import { GroupCommitter, type AppendTicket } from './group-commit';
import { safeString } from './json-safe';
import { prepareAppend, type PreparedAppend } from './record-validation';
import type { CommitInfo, DecisionRecord, ListFilter, ListPage, LogStats, SessionRow, SessionUpsert } from './types';
import { PostgresBatchWriter } from './writers/postgres-writer';
import { PostgresSessionReader } from './writers/postgres-session-reader';
import { SqliteBatchWriter } from './writers/sqlite-writer';
import { readSqliteSession } from './writers/sqlite-session-reader';
import { ArbiterError, DECISIONS } from '@arbiter/contracts';

export const DEFAULT_LIST_LIMIT = 100;
/** Batches handed to the SQLite writer thread and not yet answered. */
const THREAD_PIPELINE = 8;
export const MAX_LIST_LIMIT = 1000;

export class DecisionLog {
  private readonly committer: GroupCommitter<PreparedAppend>;
  private readonly writer: { write(items: PreparedAppend[]): Promise<void> };
  /** One statement per session read, by driver (see getSession). */
  private readonly readSession: (id: string) => Promise<SessionRow | null>;
  private readonly listeners = new Set<(info: CommitInfo) => void>();
  private rejectedInvalid = 0;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly conn: Connections,
    readonly maxQueue: number,
    readonly maxBatch: number,
    onCommit: ((info: CommitInfo) => void) | undefined,
  ) {
    if (onCommit) this.listeners.add(onCommit);
    this.writer =
      conn.sqliteThread ??
      (conn.sqliteWriter ? new SqliteBatchWriter(conn.sqliteWriter, conn.checkpointer) : new PostgresBatchWriter(conn.writer, conn.schema));
    const sqliteReader = conn.sqliteReader;
    if (sqliteReader) this.readSession = (id) => readSqliteSession(sqliteReader, id);
    else {
      const pg = new PostgresSessionReader(conn.reader, conn.schema);
      this.readSession = (id) => pg.read(id);
    }
    this.committer = new GroupCommitter((items) => this.commitIsolating(items), {
      maxQueue,
      maxBatch,
      // The writer thread merges what it receives while committing: hand it each turn's appends
      // at once (see group-commit.ts). The in-thread writers take one transaction at a time.
      maxInFlight: conn.sqliteThread ? THREAD_PIPELINE : 1,
      onCommit: (info) => {
        for (const l of this.listeners) {
          try {
            l(info);
          } catch {
            // One broken metrics listener must not starve the others.
          }
        }
      },
    });
  }

  /** Connects (SQLite file under dataDir, or PostgreSQL from databaseUrl/DATABASE_URL) and runs migrations. */
  static async open(opts: OpenOptions = {}): Promise<DecisionLog> {
    const target = resolveTarget(opts);
    const maxQueue = positiveInt(opts.maxQueue, process.env.ARBITER_LOG_MAX_QUEUE, DEFAULT_MAX_QUEUE, 'maxQueue');
    const maxBatch = positiveInt(opts.maxBatch, process.env.ARBITER_LOG_MAX_BATCH, DEFAULT_MAX_BATCH, 'maxBatch');
    const conn = await openConnections(target, {
      logging: opts.logging,
      poolSize: opts.poolSize,
      sqliteSynchronous: opts.sqliteSynchronous,
      sqliteWriterThread: opts.sqliteWriterThread,
    });
    return new DecisionLog(conn, maxQueue, maxBatch, opts.onCommit);
  }

  get driver(): 'sqlite' | 'postgres' {
    return this.conn.kind;
  }

  /** SQLite's `synchronous` setting (undefined on PostgreSQL). */
  get sqliteSynchronous(): string | undefined {
    return this.conn.synchronous;
  }

  /**
   * Resolves only after the transaction holding the record (and its session upsert, unless
   * `session.unchanged`) committed.
   * Rejects with StoreOverloadedError (queue full), StoreWriteError (commit failed),
   * StoreClosedError, InvalidRecordError, or StoreTimeoutError (withdrawn through `ticket`) — in
   * every case the record is not acknowledged.
   */
  append(record: DecisionRecord, session: SessionUpsert, ticket?: AppendTicket): Promise<void> {
    let prepared: PreparedAppend;
    try {
      prepared = prepareAppend(record, session);
    } catch (err) {
      if (err instanceof InvalidRecordError) this.rejectedInvalid++;
      return Promise.reject(err);
    }
    return this.committer.enqueue(prepared, ticket);
  }

  /** Registers a commit listener (metrics); returns the unsubscribe function. */
  onCommit(listener: (info: CommitInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async list(filter: ListFilter = {}): Promise<ListPage> {
    const order = filter.order ?? 'asc';
    if (order !== 'asc' && order !== 'desc') throw new InvalidFilterError('order', "must be 'asc' or 'desc'");
    const limit = listLimit(filter.limit);
    const qb = this.decisions().createQueryBuilder('d');
    if (filter.session !== undefined) {
      if (typeof filter.session !== 'string' || filter.session === '') throw new InvalidFilterError('session', 'must be a non-empty string');
      qb.andWhere('d.sessionId = :session', { session: safeString(filter.session) });
    }
    if (filter.since !== undefined) qb.andWhere('d.time >= :since', { since: validDate(filter.since, 'since') });
    if (filter.until !== undefined) qb.andWhere('d.time < :until', { until: validDate(filter.until, 'until') });
    if (filter.decision !== undefined) {
      if (!DECISIONS.includes(filter.decision)) throw new InvalidFilterError('decision', `must be one of ${DECISIONS.join(', ')}`);
      qb.andWhere('d.decision = :decision', { decision: filter.decision });
    }
    if (filter.cursor !== undefined && filter.cursor !== null && filter.cursor !== '') {
      const pos = decodeCursor(filter.cursor);
      if (pos.order !== order) throw new InvalidFilterError('cursor', `cursor was issued for order=${pos.order}`);
      const cmp = order === 'asc' ? '>' : '<';
      qb.andWhere(`(d.time ${cmp} :ct OR (d.time = :ct AND d.id ${cmp} :cid))`, { ct: new Date(pos.timeMs), cid: pos.id });
    }
    const dir = order === 'asc' ? 'ASC' : 'DESC';
    qb.orderBy('d.time', dir).addOrderBy('d.id', dir).limit(limit + 1);
    const rows = await storeRead(qb.getMany());
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(toRecord);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor({ timeMs: last.time.getTime(), id: last.id, order }) : null };
  }

  async get(id: string): Promise<DecisionRecord | null> {
    if (typeof id !== 'string' || id === '') return null;
    const row = await storeRead(this.decisions().findOneBy({ id: safeString(id) }));
    return row ? toRecord(row) : null;
  }

  /**
   * The session row with its live `lastStep`/`updatedAt`, derived from its decisions (the row
   * itself is written only at creation and at a claim).
   */
  async getSession(id: string): Promise<SessionRow | null> {
    // A dead SQLite writer thread fails every append; failing the session read too makes a
    // decision fail before evaluation and the readiness probe (which reads a session) report
    // the store down, though the reader connection still answers.
    const down = this.conn.sqliteThread?.failure;
    if (down && !this.closing) throw new StoreWriteError(down);
    if (typeof id !== 'string' || id === '') return null;
    return storeRead(this.readSession(safeString(id)));
  }

  /**
   * The session's records ordered by step; `throughStep` keeps steps <= it, then `lastN` keeps
   * only the most recent N (still oldest first). Without lastN, `afterStep` + `limit` page
   * forward through the steps (the analyst's GET /sessions/:id).
   */
  async sessionSteps(id: string, opts: { lastN?: number; throughStep?: number; afterStep?: number; limit?: number } = {}): Promise<DecisionRecord[]> {
    if (typeof id !== 'string' || id === '') return [];
    const qb = this.decisions().createQueryBuilder('d').where('d.sessionId = :id', { id: safeString(id) });
    if (opts.throughStep !== undefined) {
      if (!Number.isInteger(opts.throughStep)) throw new InvalidFilterError('throughStep', 'must be an integer');
      qb.andWhere('d.step <= :through', { through: opts.throughStep });
    }
    if (opts.lastN !== undefined) {
      if (!Number.isInteger(opts.lastN) || opts.lastN < 0) throw new InvalidFilterError('lastN', 'must be an integer >= 0');
      if (opts.lastN === 0) return [];
      const rows = await storeRead(qb.orderBy('d.step', 'DESC').addOrderBy('d.time', 'DESC').limit(opts.lastN).getMany());
      return rows.reverse().map(toRecord);
    }
    if (opts.afterStep !== undefined) {
      if (!Number.isInteger(opts.afterStep)) throw new InvalidFilterError('afterStep', 'must be an integer');
      qb.andWhere('d.step > :after', { after: opts.afterStep });
    }
    qb.orderBy('d.step', 'ASC').addOrderBy('d.time', 'ASC');
    if (opts.limit !== undefined) {
      if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new InvalidFilterError('limit', 'must be an integer >= 1');
      qb.limit(opts.limit);
    }
    const rows = await storeRead(qb.getMany());
    return rows.map(toRecord);
  }

  /** Number of stored decisions (a full count: meant for admin/tests, not the hot path). */
  async count(): Promise<number> {
    return this.decisions().count();
  }

  stats(): LogStats {
    return {
      driver: this.conn.kind,
      maxQueue: this.maxQueue,
      maxBatch: this.maxBatch,
      rejectedInvalid: this.rejectedInvalid,
      ...this.committer.metrics(),
      ...(this.conn.synchronous
        ? {
            sqlite: {
              synchronous: this.conn.synchronous,
              checkpoints: (this.conn.sqliteThread ?? this.conn.checkpointer)?.checkpoints ?? 0,
              walDrains: (this.conn.sqliteThread ?? this.conn.checkpointer)?.drains ?? 0,
              walFrames: (this.conn.sqliteThread ?? this.conn.checkpointer)?.walFrames ?? 0,
            },
          }
        : {}),
    };
  }

  /** Stops accepting appends, commits everything already queued, then disconnects. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.committer.close();
      await this.conn.close();
    })();
    return this.closing;
  }

  private decisions() {
    return this.conn.reader.getRepository(this.conn.entities.decision);
  }

  /**
   * Commits the batch; if the database refuses it for a data reason (duplicate id, value out of
   * range…), splits it in halves until the offending records fail alone. Any other failure
   * (connection, disk) fails the whole batch. Returns one error (or undefined) per item.
   */
  private async commitIsolating(items: PreparedAppend[]): Promise<unknown[]> {
    try {
      await this.writeBatch(items);
      return items.map(() => undefined);
    } catch (err) {
      if (items.length === 1 || !isDataError(err)) return items.map(() => err);
      const mid = items.length >> 1;
      return [...(await this.commitIsolating(items.slice(0, mid))), ...(await this.commitIsolating(items.slice(mid)))];
    }
  }

  private writeBatch(items: PreparedAppend[]): Promise<void> {
    return this.writer.write(items);
  }
}

/** Errors caused by the rows themselves, not by the database being unavailable. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // PostgreSQL SQLSTATE classes 22 (data exception), 23 (integrity constraint), 54 (limit exceeded).
  if (/^(22|23|54)[0-9A-Z]{3}$/.test(code)) return true;
  return ['SQLITE_CONSTRAINT', 'SQLITE_MISMATCH', 'SQLITE_TOOBIG', 'SQLITE_RANGE'].includes(code);
}

function listLimit(v: number | undefined): number {
  if (v === undefined) return DEFAULT_LIST_LIMIT;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new InvalidFilterError('limit', 'must be an integer >= 1');
  return Math.min(v, MAX_LIST_LIMIT);
}

function validDate(v: unknown, field: string): Date {
  if (!(v instanceof Date) || !Number.isFinite(v.getTime())) throw new InvalidFilterError(field, 'must be a valid date');
  return v;
}

function toRecord(r: DecisionRecord): DecisionRecord {
  return {
    id: r.id,
    time: r.time instanceof Date ? r.time : new Date(r.time),
    sessionId: r.sessionId,
    step: Number(r.step),
    caller: r.caller ?? null,
    subject: r.subject ?? null,
    clientId: r.clientId ?? null,
    toolName: r.toolName,
    toolServer: r.toolServer ?? null,
    decision: r.decision,
    reasons: r.reasons ?? [],
    obligations: r.obligations ?? null,
    input: r.input ?? null,
    result: r.result ?? null,
    policyRevision: r.policyRevision,
    entrypoint: r.entrypoint,
    pinned: r.pinned ?? {},
    evalMicros: Number(r.evalMicros),
    error: r.error ?? null,
    history: r.history ?? null,
  };
}


/** Store failures on reads become a typed 503 (decision_log_unavailable), not a raw driver error. */
async function storeRead<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw err instanceof ArbiterError ? err : new StoreReadError(err);
  }
}
