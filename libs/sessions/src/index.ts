/**
 * @arbiter/sessions — server-side session history for policy input (built on @arbiter/decisions).
 *
 * API
 *   new SessionHistory(log: DecisionLog, { maxCachedSessions? (5000), maxHistory? (256) })
 *   sessions.withSession(id, fn)   per-session async mutex; run load → evaluate → append →
 *                                  recordStep inside it. Different sessions run in parallel. If fn
 *                                  throws, the session's cache entry is dropped.
 *   sessions.load(id, { subject, clientId }, clientHistory?) → Promise<SessionView>
 *       { id, step (this call's step), owner, ownerMismatch, historySource, history,
 *         known, claims, clientHistoryIgnored, seededHistory }
 *       Arbiter has a record → history_source 'server', client history ignored
 *       (clientHistoryIgnored says whether some was sent). Unknown session → client history is
 *       validated/normalized (InvalidClientHistoryError, code 'invalid_request' → HTTP 400) and
 *       used ('client'), or 'none'; the caller becomes the owner.
 *   sessions.recordStep(view, { record, historyStep? | historyStepJson? })  after append() resolved.
 *   sessions.invalidate(id), sessions.stats()
 *   historyStepFromRecord(record), toPolicySessionInput(view) (→ input.session of CONTRACTS.md),
 *   sessionUpsertFor(view) (→ the SessionUpsert to pass to DecisionLog.append: it writes the
 *   session row only for a new session's first step and for a claim, see Rules).
 *   view.historyJson / historyCount: the history's steps as UTF-8 JSON joined by commas, cached
 *   with the session (each step is serialized once, not once per later call; the policy input is
 *   assembled from these bytes; `view.history` is parsed from them only when read).
 *   reconstructInput(record, log) → the exact input a replay evaluates: records store the input
 *   without session.history plus record.history = { source, through_step, count }; the history
 *   is rebuilt from the session's seeded client history and its records (ReplayError when the
 *   log lacks a referenced step).
 *
 * Rules
 *   - Owner: the subject and client id of the session's first call with a verified subject. A
 *     session whose calls so far had none (no/invalid token) is unowned (owner subject null) and
 *     is claimed, once, by the first call that has one (the session row's owner is updated then).
 *     Afterwards a call whose subject or client id differs (null counts as a value) gets
 *     ownerMismatch=true; the owner never changes again.
 *   - Client history: steps are integers in 1..MAX_CLIENT_STEP (1,000,000), increasing; more
 *     entries than that are refused (invalid_request), so a seeded session can always keep counting.
 *   - History cap: only the most recent `maxHistory` steps (default 256, env
 *     ARBITER_SESSION_HISTORY_MAX) are in the view; client history beyond that is dropped
 *     (oldest first) before validation. Step numbers keep counting past the cap.
 *   - Cache: an LRU of `maxCachedSessions` sessions (env ARBITER_SESSION_CACHE_SIZE); a hit does
 *     no database read; a miss reads the session row and its last maxHistory records.
 *   - Seeded (client) history of a new session is stored with its first step and stays the
 *     start of the server history afterwards.
 *   - The session row is written only then and at a claim; the other steps of a known session
 *     append their record alone (SessionUpsert.unchanged). The row's last step and update time
 *     are derived from the records when read (DecisionLog.getSession).
 *   - Single process: the lock and cache are per instance; replicas sharing one database do not
 *     coordinate step numbers.
 */
export {
  SessionHistory,
  DEFAULT_MAX_CACHED_SESSIONS,
  DEFAULT_MAX_HISTORY,
  type SessionStore,
} from './session-history';
export { historyStep, historyStepBytes, historyStepFromRecord, historyStepJson, historyStepJsonOf, sortedJson, sessionUpsertFor, toPolicySessionInput, type StepFacts } from './history-step';
export { reconstructInput, ReplayError, type ReplayStore } from './replay';
export { InvalidClientHistoryError, MAX_CLIENT_STEP, MAX_STORED_STEP, normalizeClientHistory } from './client-history';
export { KeyedMutex } from './keyed-mutex';
export { LruCache } from '@arbiter/contracts';
export type { HistorySource, HistoryStep, SessionCaller, SessionHistoryOptions, SessionView } from './types';
