// Rebuilds the exact policy input of a recorded decision. Records store their input without
// `session.history` (a session's history would otherwise be stored again with every step) and a
// reference { source, through_step, count }: the history is the last `count` steps up to
// `through_step`, taken from the session's seeded client history and its earlier records —
// built with the same functions the live path used, so the values are identical.
import { ArbiterError, type HistoryStep } from '@arbiter/contracts';
import type { DecisionLog, DecisionRecord } from '@arbiter/decisions';
import { MAX_STORED_STEP, normalizeClientHistory } from './client-history';
import { historyStepFromRecord } from './history-step';

/** What a replay reads from the log (a DecisionLog, or a fake in tests). */
export type ReplayStore = Pick<DecisionLog, 'getSession' | 'sessionSteps'>;

export class ReplayError extends ArbiterError {
  constructor(readonly reason: 'history_incomplete', message: string) {
    super('internal_error', message, { reason });
    this.name = 'ReplayError';
  }
}

/**
 * The input the policy evaluated for `record`. A record without a history reference (stored
 * before references existed) already holds its complete input. Throws ReplayError when the log
 * no longer has every referenced step (e.g. records deleted by retention).
 */
export async function reconstructInput(record: DecisionRecord, store: ReplayStore): Promise<unknown> {
  const ref = record.history;
  if (!ref) return record.input;
  const input = (record.input ?? {}) as { session?: Record<string, unknown> };
  const history = ref.count === 0 ? [] : await referencedHistory(record.sessionId, ref.through_step, ref.count, store);
  if (history.length !== ref.count) {
    throw new ReplayError(
      'history_incomplete',
      `decision ${record.id}: the log holds ${history.length} of the ${ref.count} history steps through step ${ref.through_step} of session ${record.sessionId}`,
    );
  }
  return { ...input, session: { ...input.session, history } };
}

async function referencedHistory(sessionId: string, throughStep: number, count: number, store: ReplayStore): Promise<HistoryStep[]> {
  const records = await store.sessionSteps(sessionId, { throughStep, lastN: count });
  const recorded = records.map(historyStepFromRecord);
  if (recorded.length >= count) return recorded.slice(-count);
  // The rest comes from the client history the session was seeded with (steps before its first record).
  const row = await store.getSession(sessionId);
  let seeded: HistoryStep[] = [];
  try {
    seeded = normalizeClientHistory(row?.seededHistory ?? [], Number.MAX_SAFE_INTEGER, 'session.history', MAX_STORED_STEP);
  } catch {
    seeded = [];
  }
  const firstRecorded = recorded[0]?.step ?? Infinity;
  const before = seeded.filter((s) => s.step < firstRecorded && s.step <= throughStep);
  return [...before, ...recorded].slice(-count);
}
