// Conversions between decision records, history steps and the policy input's `session`.
import { sortedKeys, type Decision, type HistoryStep, type Reason, type SessionInput } from '@arbiter/contracts';
import { JsonText, sanitizeJsonText, type DecisionRecord, type SessionUpsert } from '@arbiter/decisions';
import type { SessionView } from './types';

/** What a history step is made of (a decided call). */
export interface StepFacts {
  step: number;
  nowNs: number;
  toolName: string;
  toolServer: string | null;
  args: unknown;
  decision: Decision;
  reasons: Reason[];
}

/** The history step of a decided call; decide and a reload from the log both build steps with this. */
export function historyStep(f: StepFacts): HistoryStep {
  const args = f.args;
  return {
    step: f.step,
    time: new Date(Math.floor(f.nowNs / 1e6)).toISOString(),
    time_ns: f.nowNs,
    tool: {
      name: f.toolName,
      server: f.toolServer,
      arguments: args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {},
    },
    decision: f.decision,
    reasons: f.reasons.map((r) => r.code),
  };
}

/**
 * The history step a decision record stands for. The cache and a reload from the database both
 * use this (through historyStep), so eviction changes nothing. time_ns is the evaluation time
 * pinned in the record (now_ns) when present.
 */
export function historyStepFromRecord(record: DecisionRecord): HistoryStep {
  const raw = record.input instanceof JsonText ? JSON.parse(record.input.text) : record.input;
  const input = (raw ?? {}) as { now_ns?: unknown; tool?: { arguments?: unknown } };
  const pinnedNs = record.pinned?.now_ns;
  const ns = typeof pinnedNs === 'number' ? pinnedNs : typeof input.now_ns === 'number' ? input.now_ns : record.time.getTime() * 1e6;
  return historyStep({
    step: record.step,
    nowNs: ns,
    toolName: record.toolName,
    toolServer: record.toolServer,
    args: input.tool?.arguments,
    decision: record.decision,
    reasons: record.reasons,
  });
}

/**
 * A step's JSON text as the policy sees it: storable (as the log stores it: U+0000 and lone
 * surrogates become U+FFFD, see JsonText), so a step read back from the log has the very same
 * text; object keys sorted (the Wasm runtime then skips sorting them). Written field by field
 * (no intermediate copies of the step); made once per step, not once per later call.
 */
export function historyStepJson(step: HistoryStep): string {
  const t = step.tool;
  return sanitizeJsonText(
    `{"decision":${json(step.decision)},"reasons":${json(step.reasons)},"step":${json(step.step)},"time":${json(step.time)},` +
      `"time_ns":${json(step.time_ns)},"tool":{"arguments":${json(sortedKeys(t.arguments))},"name":${json(t.name)},"server":${json(t.server)}}}`,
  );
}

/** JSON.stringify, with undefined (outside the HistoryStep type) written as null. */
function json(v: unknown): string {
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** historyStepJson as UTF-8 bytes (what the policy input is assembled from). */
export function historyStepBytes(step: HistoryStep): Buffer {
  return Buffer.from(historyStepJson(step), 'utf8');
}

/** The `input.session` object of CONTRACTS.md for a view (`history` read from the view only when used). */
export function toPolicySessionInput(view: SessionView): SessionInput {
  return {
    id: view.id,
    step: view.step,
    owner: { subject: view.owner.subject, client_id: view.owner.clientId },
    owner_mismatch: view.ownerMismatch,
    history_source: view.historySource,
    get history() {
      return view.history;
    },
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
