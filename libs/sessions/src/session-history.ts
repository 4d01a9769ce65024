// SessionHistory: the per-session view a decision needs (next step, owner, history), served from
// an LRU cache on the hot path and rebuilt from the decision log on a miss.
import type { HistoryStep } from '@arbiter/contracts';
import type { DecisionLog, DecisionRecord } from '@arbiter/decisions';
import { MAX_STORED_STEP, normalizeClientHistory } from './client-history';
import { historyStepBytes, historyStepFromRecord, historyStepJson } from './history-step';
import { KeyedMutex } from './keyed-mutex';
import { LruCache } from '@arbiter/contracts';
import { StepBuffer } from './step-buffer';
import type { SessionCaller, SessionHistoryOptions, SessionView } from './types';

export const DEFAULT_MAX_CACHED_SESSIONS = 5000;
export const DEFAULT_MAX_HISTORY = 256;

/** What SessionHistory reads from the log (a DecisionLog, or a fake in tests). */
export type SessionStore = Pick<DecisionLog, 'getSession' | 'sessionSteps'>;

interface CachedSession {
  owner: SessionCaller;
  lastStep: number;
  /**
   * The history, oldest first, capped at maxHistory: each step as the UTF-8 JSON the policy
   * evaluates (historyStepBytes), serialized once per step, joined in one buffer. Only bytes are
   * kept — no object per step, whose object graphs made a full cache a large GC cost — and
   * views parse them only if someone reads `view.history`.
   */
  steps: StepBuffer;
}

export class SessionHistory {
  readonly maxHistory: number;
  readonly maxCachedSessions: number;
  private readonly cache: LruCache<string, CachedSession>;
  private readonly mutex = new KeyedMutex();
  private hits = 0;
  private misses = 0;

  constructor(private readonly store: SessionStore, opts: SessionHistoryOptions = {}) {
    this.maxHistory = intOption(opts.maxHistory, process.env.ARBITER_SESSION_HISTORY_MAX, DEFAULT_MAX_HISTORY, 'maxHistory', 0);
    this.maxCachedSessions = intOption(
      opts.maxCachedSessions,
      process.env.ARBITER_SESSION_CACHE_SIZE,
      DEFAULT_MAX_CACHED_SESSIONS,
      'maxCachedSessions',
      0,
    );
    this.cache = new LruCache(this.maxCachedSessions);
  }

  /**
   * Runs fn while holding the session's lock: load → evaluate → append → recordStep inside one
   * withSession call gives concurrent calls on a session consecutive steps, each seeing the
   * previous one's history. If fn throws, the cached entry is dropped (the next call rereads the
   * log, which is the truth even when an append's outcome was ambiguous).
   */
  withSession<T>(sessionId: string, fn: () => Promise<T> | T): Promise<T> {
    return this.mutex.run(sessionId, async () => {
      try {
        return await fn();
      } catch (err) {
        this.cache.delete(sessionId);
        throw err;
      }
    });
  }

  /** The view for this call. clientHistory is used only when Arbiter has no record of the session. */
  async load(sessionId: string, caller: SessionCaller, clientHistory?: unknown[]): Promise<SessionView> {
    const who: SessionCaller = { subject: caller.subject ?? null, clientId: caller.clientId ?? null };
    const sentHistory = Array.isArray(clientHistory) ? clientHistory.length > 0 : clientHistory != null;
    let entry = this.cache.get(sessionId);
    if (entry) this.hits++;
    else {
      this.misses++;
      entry = await this.readFromLog(sessionId);
      if (entry) this.cache.set(sessionId, entry);
    }
    if (entry) {
      // A session without a verified owner is claimed by its first call with a verified subject.
      const claims = entry.owner.subject === null && who.subject !== null;
      return new ServerSessionView(sessionId, entry.lastStep + 1, claims ? who : entry.owner, claims, who, entry.steps.json(), entry.steps.count, sentHistory);
    }
    const seeded = normalizeClientHistory(clientHistory, this.maxHistory);
    const last = seeded[seeded.length - 1];
    return {
      id: sessionId,
      step: last ? last.step + 1 : 1,
      owner: who,
      ownerMismatch: false,
      historySource: seeded.length > 0 ? 'client' : 'none',
      history: seeded.slice(),
      historyJson: joinedSteps(seeded),
      historyCount: seeded.length,
      known: false,
      claims: false,
      clientHistoryIgnored: false,
      seededHistory: seeded.length > 0 ? seeded : null,
    };
  }

  /**
   * After append() resolved: the decided step joins the cached history. The step comes as its
   * object, or as its JSON text (historyStepJsonOf: what the decide path writes directly).
   */
  recordStep(view: SessionView, decided: { record: DecisionRecord; historyStep?: HistoryStep; historyStepJson?: string }): void {
    const text = decided.historyStepJson ?? historyStepJson(decided.historyStep ?? historyStepFromRecord(decided.record));
    let entry = this.cache.get(view.id);
    if (entry === undefined) {
      entry = { owner: { ...view.owner }, lastStep: view.step - 1, steps: new StepBuffer(view.history.map(historyStepBytes)) };
      this.cache.set(view.id, entry);
    }
    // The owner is bound once (see load): the store updates its unowned row the same way.
    if (entry.owner.subject === null && view.owner.subject !== null) entry.owner = { ...view.owner };
    entry.steps.pushText(text);
    entry.steps.keepLast(this.maxHistory);
    entry.lastStep = Math.max(entry.lastStep, decided.record.step);
  }

  /** Forget a cached session (the next load reads the log). */
  invalidate(sessionId: string): void {
    this.cache.delete(sessionId);
  }

  stats(): { cachedSessions: number; hits: number; misses: number; lockedSessions: number } {
    return { cachedSessions: this.cache.size, hits: this.hits, misses: this.misses, lockedSessions: this.mutex.activeKeys };
  }

  private async readFromLog(sessionId: string): Promise<CachedSession | undefined> {
    const row = await this.store.getSession(sessionId);
    if (!row) return undefined;
    const records: DecisionRecord[] = this.maxHistory > 0 ? await this.store.sessionSteps(sessionId, { lastN: this.maxHistory }) : [];
    // Seeded history was validated when accepted; re-normalize defensively (the row is data).
    let seeded: HistoryStep[] = [];
    try {
      seeded = normalizeClientHistory(row.seededHistory ?? [], this.maxHistory, 'session.history', MAX_STORED_STEP);
    } catch {
      seeded = [];
    }
    const firstRecorded = records[0]?.step ?? Infinity;
    const history = [...seeded.filter((s) => s.step < firstRecorded), ...records.map(historyStepFromRecord)];
    const lastRecorded = records[records.length - 1]?.step ?? 0;
    const kept = this.maxHistory === 0 ? [] : history.slice(-this.maxHistory);
    return {
      owner: { subject: row.ownerSubject, clientId: row.ownerClientId },
      lastStep: Math.max(row.lastStep, lastRecorded),
      steps: new StepBuffer(kept.map(historyStepBytes)),
    };
  }
}

/**
 * The view of a session Arbiter has a record of. A class rather than an object literal with a
 * `get history()` (a literal with an accessor is built by a slow runtime path, ~0.5 us each).
 * `history` is parsed from historyJson only if read: the decide path uses historyJson.
 */
class ServerSessionView implements SessionView {
  readonly owner: SessionCaller;
  readonly ownerMismatch: boolean;
  readonly historySource = 'server' as const;
  readonly known = true;
  readonly seededHistory = null;
  #history: HistoryStep[] | undefined = undefined;

  constructor(
    readonly id: string,
    readonly step: number,
    owner: SessionCaller,
    readonly claims: boolean,
    who: SessionCaller,
    readonly historyJson: Uint8Array,
    readonly historyCount: number,
    readonly clientHistoryIgnored: boolean,
  ) {
    this.owner = { subject: owner.subject, clientId: owner.clientId };
    this.ownerMismatch = owner.subject !== who.subject || owner.clientId !== who.clientId;
  }

  get history(): HistoryStep[] {
    return (this.#history ??= parseSteps(this.historyJson));
  }
}

function parseSteps(json: Uint8Array): HistoryStep[] {
  return JSON.parse(`[${Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8')}]`) as HistoryStep[];
}

function joinedSteps(steps: HistoryStep[]): Uint8Array {
  return Buffer.from(steps.map(historyStepJson).join(','), 'utf8');
}

function intOption(value: number | undefined, env: string | undefined, fallback: number, name: string, min: number): number {
  const v = value ?? (env !== undefined && env.trim() !== '' ? Number(env) : fallback);
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}
