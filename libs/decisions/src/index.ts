/**
 * @arbiter/decisions — Arbiter's durable decision log (TypeORM 0.3; SQLite or PostgreSQL).
 *
 * API
 *   DecisionLog.open({ databaseUrl?, dataDir?, schema?, maxQueue?, maxBatch?, logging?, onCommit?, poolSize?, sqliteSynchronous?, sqliteWriterThread? })
 *       → Promise<DecisionLog>; connects and runs the migrations (synchronize is off).
 *       databaseUrl (or env DATABASE_URL) `postgres://…` → PostgreSQL; `sqlite:<path>` → that file;
 *       otherwise SQLite at `<dataDir | ARBITER_DATA_DIR | ./data>/arbiter.sqlite`.
 *   log.append(record: DecisionRecord, session: SessionUpsert): Promise<void>
 *       resolves only after the COMMIT holding the record; rejects (record NOT stored) with
 *       StoreOverloadedError (queue full → answer 503 deny), StoreWriteError, StoreClosedError
 *       (all code 'decision_log_unavailable') or InvalidRecordError (code 'internal_error').
 *       session.unchanged: the session row exists and this step neither creates nor claims it.
 *   log.list({ session?, since? (incl.), until? (excl.), decision?, limit? (100, max 1000), cursor?, order? ('asc') })
 *       → { items, nextCursor } keyset-paginated on (time, id); bad cursor/filter →
 *       InvalidCursorError / InvalidFilterError (code 'invalid_query' → HTTP 400).
 *   log.get(id), log.getSession(id) (lastStep/updatedAt derived from the session's decisions),
 *   log.sessionSteps(id, { lastN?, throughStep? }) (ordered by step),
 *   Records: `input` may be a JsonText (pre-serialized); `history` ({source, through_step, count})
 *   marks an input stored without session.history (rebuilt by @arbiter/sessions reconstructInput).
 *   log.count(), log.stats() (sync metrics snapshot), log.onCommit(fn) → unsubscribe, log.close().
 *
 * Design
 *   Group commit: append() validates and enqueues; a single writer loop takes everything queued
 *   (≤ maxBatch) and writes it in ONE transaction — a multi-row INSERT of the decisions plus one
 *   multi-row upsert of the sessions it creates or claims, if any — and settles every waiter
 *   after COMMIT. SQLite: the transaction is one exec() of literal SQL on TypeORM's writer connection (one thread-pool trip per batch),
 *   or, with ARBITER_SQLITE_WRITER_THREAD=1, on a worker thread owning its own writer connection
 *   (writers/sqlite-thread.ts: less main-thread CPU, more in total; it answers after COMMIT);
 *   PostgreSQL: one statement (a data-modifying CTE over unnest()ed column arrays). Batches form while the previous
 *   commit is in flight; there is no timer on the hot path. A failed commit rejects the whole
 *   batch (callers fail closed) — except when the database refuses rows for a data reason
 *   (duplicate id, constraint, value too large): then the batch is split in halves and retried
 *   so only the offending records fail. The queue is bounded (maxQueue, default 10000, env
 *   ARBITER_LOG_MAX_QUEUE): when full, append() rejects at once; maxBatch default 500 (env
 *   ARBITER_LOG_MAX_BATCH).
 *   Durability: SQLite runs in WAL mode, synchronous=NORMAL by default (ARBITER_SQLITE_SYNCHRONOUS=
 *   NORMAL|FULL|EXTRA; NORMAL: a committed batch survives kill -9 but not a power cut, FULL also
 *   fsyncs every commit — see connection.ts), a 5 s busy timeout, and WAL checkpoints run by a
 *   third connection off the commit path (writers/sqlite-checkpointer.ts); reads use a second
 *   connection so they never see an uncommitted batch. PostgreSQL commits are durable by the
 *   server's own settings.
 *   Values are made JSON-safe on append (bigint → number, U+0000 / lone surrogates → U+FFFD,
 *   cycles rejected) so one bad record can never fail its batch-mates.
 *   Sessions: the row is created by the first committed step (owner, history_source,
 *   seeded_history, created_at fixed then) and written again only when an unowned session is
 *   claimed by its first verified owner; other steps pass `unchanged` and write no session row.
 *   (An update per decision dirtied random B-tree pages of `sessions`, written to the WAL and
 *   again at checkpoint: in the append bench, 1000 sessions of 20 steps, ~10% of the CPU per
 *   record, ~95 → ~85 us, and ~15% with no new sessions.) A session's live last_step and
 *   updated_at are its latest decision's step and time, read through the (session_id, step)
 *   index; the columns of those names keep the values the row was created with.
 */
export { DecisionLog, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './decision-log';
export type { AppendTicket } from './group-commit';
export { DEFAULT_MAX_BATCH, DEFAULT_MAX_QUEUE, SQLITE_FILE, type OpenOptions } from './config';
export {
  DecisionLogError,
  InvalidCursorError,
  InvalidFilterError,
  InvalidRecordError,
  StoreClosedError,
  StoreReadError,
  StoreTimeoutError,
  StoreConfigError,
  StoreOverloadedError,
  StoreWriteError,
} from './errors';
export { JsonText, sanitizeJsonText } from './json-text';
export { toJsonSafe } from './json-safe';
export type {
  CommitInfo,
  HistoryRef,
  Decision,
  DecisionRecord,
  HistorySource,
  ListFilter,
  ListPage,
  LogStats,
  Reason,
  SessionRow,
  SessionUpsert,
} from './types';
// Test helpers (throw-away SQLite dir / PostgreSQL schema, sample records) for other libs' specs.
export { createTestDatabase, sampleRecord, TEST_DATABASE_URL, type TestDatabase, type TestDbKind } from './testing/test-databases';
export { openTestLog, closeTestLog, type TestLog } from './testing/test-log';
