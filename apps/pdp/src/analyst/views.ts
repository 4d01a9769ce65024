// JSON views of stored decisions and sessions for the analyst endpoints (snake_case, like /decide).
import type { DecisionRecord, SessionRow } from '@arbiter/decisions';

export function decisionView(r: DecisionRecord) {
  return {
    decision_id: r.id,
    time: r.time.toISOString(),
    session: { id: r.sessionId, step: r.step },
    caller: r.caller,
    subject: r.subject,
    client_id: r.clientId,
    tool: { name: r.toolName, server: r.toolServer },
    decision: r.decision,
    reasons: r.reasons,
    obligations: r.obligations,
    policy: { revision: r.policyRevision, entrypoint: r.entrypoint },
    eval_micros: r.evalMicros,
    error: r.error,
    /** In lists: the stored input, without session.history when history_ref is set. */
    input: r.input,
    history_ref: r.history ?? null,
    result: r.result,
    pinned: r.pinned,
  };
}

export function sessionView(s: SessionRow, steps: DecisionRecord[]) {
  return {
    id: s.id,
    owner: { subject: s.ownerSubject, client_id: s.ownerClientId },
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
    last_step: s.lastStep,
    history_source: s.historySource,
    seeded_history: s.seededHistory,
    steps: steps.map((r) => {
      const args = (r.input as { tool?: { arguments?: unknown } } | null)?.tool?.arguments ?? {};
      return {
        step: r.step,
        time: r.time.toISOString(),
        decision_id: r.id,
        caller: r.caller,
        subject: r.subject,
        tool: { name: r.toolName, server: r.toolServer, arguments: args },
        decision: r.decision,
        reasons: r.reasons,
        policy_revision: r.policyRevision,
      };
    }),
  };
}
