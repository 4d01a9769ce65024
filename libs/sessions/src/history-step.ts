// Conversions between decision records, history steps and the policy input's `session`.
import type { HistoryStep, SessionInput } from '@arbiter/contracts';
import type { DecisionRecord, SessionUpsert } from '@arbiter/decisions';
import type { SessionView } from './types';

/**
 * The history step a decision record stands for. The cache and a reload from the database both
 * use this, so decide should build `historyStep` with it too (then eviction changes nothing).
 * time_ns is the evaluation time pinned in the record (now_ns) when present.
 */
export function historyStepFromRecord(record: DecisionRecord): HistoryStep {
  const input = (record.input ?? {}) as { now_ns?: unknown; tool?: { arguments?: unknown } };
  const pinnedNs = record.pinned?.now_ns;
  const ns = typeof pinnedNs === 'number' ? pinnedNs : typeof input.now_ns === 'number' ? input.now_ns : record.time.getTime() * 1e6;
  const args = input.tool?.arguments;
  return {
    step: record.step,
    time: new Date(Math.floor(ns / 1e6)).toISOString(),
    time_ns: ns,
    tool: {
      name: record.toolName,
      server: record.toolServer,
      arguments: args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {},
    },
    decision: record.decision,
    reasons: record.reasons.map((r) => r.code),
  };
}

/** The `input.session` object of CONTRACTS.md for a view. */
export function toPolicySessionInput(view: SessionView): SessionInput {
  return {
    id: view.id,
    step: view.step,
    owner: { subject: view.owner.subject, client_id: view.owner.clientId },
    owner_mismatch: view.ownerMismatch,
    history_source: view.historySource,
    history: view.history,
  };
}

/** The session upsert to append with this view's decision record. */
export function sessionUpsertFor(view: SessionView): SessionUpsert {
  return {
    id: view.id,
    ownerSubject: view.owner.subject,
    ownerClientId: view.owner.clientId,
    step: view.step,
    historySource: view.historySource,
    seededHistory: view.seededHistory,
  };
}
