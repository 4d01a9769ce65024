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

/** Written with every record in the same transaction: creates the session on its first step. */
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
}

export interface SessionRow {
  id: string;
  ownerSubject: string | null;
  ownerClientId: string | null;
  createdAt: Date;
  updatedAt: Date;
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
