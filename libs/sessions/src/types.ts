// Shapes of the server-side session history (see CONTRACTS.md input.session).
import type { HistoryStep } from '@arbiter/contracts';
import type { HistorySource } from '@arbiter/decisions';

export type { HistoryStep, HistorySource };

/** Who makes a call: the verified token subject and OAuth client id (null when absent). */
export interface SessionCaller {
  subject: string | null;
  clientId: string | null;
}

export interface SessionView {
  id: string;
  /** This call's 1-based step number (the next one after everything Arbiter knows). */
  step: number;
  /**
   * Subject/client of the session's first call with a verified subject (the caller itself for a
   * new session, or for an unowned one — subject null — that this call claims).
   */
  owner: SessionCaller;
  ownerMismatch: boolean;
  historySource: HistorySource;
  /** Most recent steps, oldest first, at most `maxHistory` of them. */
  history: HistoryStep[];
  /**
   * Addition: the steps of `history` as the UTF-8 JSON the policy evaluates (storable values,
   * sorted keys; see historyStepJson), joined by `,` — `[` + this + `]` is the history's JSON.
   * Read-only; valid for as long as the view is used.
   */
  historyJson: Uint8Array;
  /** Addition: the number of steps in `history`. */
  historyCount: number;
  /** Addition: true when Arbiter has a record of the session. */
  known: boolean;
  /**
   * Addition: this call claims a known session that had no verified owner (`owner` is the
   * caller): its step stores the owner in the session row. A known session's other steps leave
   * the row as it is (see sessionUpsertFor).
   */
  claims: boolean;
  /** Addition: client history was sent but ignored because Arbiter has its own record. */
  clientHistoryIgnored: boolean;
  /** Addition: the accepted (normalized) client history of a new session — stored with its first step. */
  seededHistory: HistoryStep[] | null;
}

export interface SessionHistoryOptions {
  /** Sessions kept in the in-memory LRU (default 5000; env ARBITER_SESSION_CACHE_SIZE). */
  maxCachedSessions?: number;
  /** Steps of history put into the policy input (default 256; env ARBITER_SESSION_HISTORY_MAX). */
  maxHistory?: number;
}
