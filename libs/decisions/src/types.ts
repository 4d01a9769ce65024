// Shapes of the decision log: the record (CONTRACTS.md "Decision record"), the session row,
// and the query/metrics types of DecisionLog.
import type { Decision, Reason } from '@arbiter/contracts';

export type { Decision, Reason };

/**
 * Where the policy input's `session.history` of a record comes from: the stored input leaves
 * the history out (it would make storage quadratic in the session length); a replay rebuilds
 * it from the session's seeded history and its records with step <= through_step — the last
 * `count` of them (see reconstructInput in @arbiter/sessions).
 */
export interface HistoryRef {
  source: HistorySource;
  through_step: number;
  count: number;
}

/**
 * Everything a replay needs. `input`/`result`/`pinned`/`obligations` are plain JSON (`input`
 * may be handed to append() pre-serialized as a JsonText). With `history` set, `input` is the
 * policy input without `session.history`; `history: null` (records before this change, or no
 * history reference) means `input` is complete.
 */
export interface DecisionRecord {
  id: string;
  time: Date;
  sessionId: string;
  step: number;
  caller: string | null;
  subject: string | null;
  clientId: string | null;
  toolName: string;
  toolServer: string | null;
  decision: Decision;
  reasons: Reason[];
  obligations: Record<string, unknown> | null;
  input: unknown;
  result: unknown;
  policyRevision: string;
  entrypoint: string;
  pinned: Record<string, unknown>;
  evalMicros: number;
  error: string | null;
  /** Reference to the history left out of `input` (null/absent: `input` is complete). */
  history?: HistoryRef | null;
}

export type HistorySource = 'server' | 'client' | 'none';

/**
 * The session's part of an append, written in the record's transaction: creates the session row
 * on its first step, or gives an unowned row its first verified owner. Nothing else in the row
 * changes afterwards (a session's progress is its `decisions`), so a step that does neither
 * says so with `unchanged` and writes no session row at all.
 */
export interface SessionUpsert {
  id: string;
  /** Owner = subject/client of the session's first call; never changed by later upserts. */
  ownerSubject: string | null;
  ownerClientId: string | null;
  step: number;
  /** Source of the history the first step saw (only stored when the session is created). */
  historySource: HistorySource;
  /** Client-supplied history accepted for an unknown session (stored on creation only). */
  seededHistory?: unknown[] | null;
  /**
   * True when the session row is known to exist (the caller read it, or committed it) and this
   * step neither creates nor claims it: the batch writes no session row for it. Absent/false:
   * the row is upserted (created, or claimed if it has no owner yet) — always safe, only slower.
   */
  unchanged?: boolean;
}

/**
 * A session as DecisionLog.getSession returns it: the stored row (written at creation and at a
 * claim only) plus `lastStep`/`updatedAt`, derived at read time from the session's decisions.
 */
export interface SessionRow {
  id: string;
  ownerSubject: string | null;
  ownerClientId: string | null;
  createdAt: Date;
  /** Time of the session's latest decision (highest step; of equal steps, the latest time). */
  updatedAt: Date;
  /** Highest step recorded for the session. */
  lastStep: number;
  historySource: HistorySource;
  seededHistory: unknown[] | null;
}

export interface ListFilter {
  session?: string;
  /** Inclusive lower bound on `time`. */
  since?: Date;
  /** Exclusive upper bound on `time`. */
  until?: Date;
  decision?: Decision;
  /** Page size: default 100, values above 1000 are clamped to 1000, below 1 are rejected. */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** Addition: 'asc' (oldest first, default) or 'desc'. A cursor only continues its own order. */
  order?: 'asc' | 'desc';
}

export interface ListPage {
  items: DecisionRecord[];
  nextCursor: string | null;
}

export interface CommitInfo {
  batchSize: number;
  latencyMs: number;
  ok: boolean;
  error?: unknown;
}

export interface LogStats {
  driver: 'sqlite' | 'postgres';
  /** Appends waiting for the writer (not counting the batch being committed). */
  queueDepth: number;
  inFlight: number;
  maxQueue: number;
  maxBatch: number;
  commits: number;
  failedCommits: number;
  /** Records acknowledged (committed). */
  appended: number;
  /** Records whose commit failed (their promises rejected). */
  failedRecords: number;
  /** Appends refused because the queue was full. */
  rejectedOverload: number;
  /** Appends refused because the record was malformed. */
  rejectedInvalid: number;
  lastCommitMs: number | null;
  lastBatchSize: number | null;
  maxBatchSize: number;
  avgBatchSize: number;
  avgCommitMs: number;
  /** SQLite file databases: the synchronous setting and the off-commit-path WAL checkpoints. */
  sqlite?: { synchronous: string; checkpoints: number; walDrains: number; walFrames: number };
}
