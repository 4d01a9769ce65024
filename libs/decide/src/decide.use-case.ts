// The transport-free decide use-case: validate → verify token → session history → evaluate →
// durably record → answer. HTTP, gRPC, AuthZEN and the CLI all call `decide`.
import { randomUUID } from 'node:crypto';
import {
  ArbiterError,
  ServiceReason,
  type Caller,
  type DecideRequest,
  type DecideResponse,
  type TokenInput,
} from '@arbiter/contracts';
import { JsonText, type DecisionRecord } from '@arbiter/decisions';
import { historyStepJsonOf, sessionUpsertFor } from '@arbiter/sessions';
import type { Evaluation } from '@arbiter/engine';
import type { DecideObserver, DecisionLogPort, EvaluatorPort, SessionPort, TokenPort } from './ports';
import { validateDecideRequest } from './request-validator';
import { buildPolicyInput, callerIdentity, InputSerializer } from './policy-input';
import { uuidv7 } from './uuid-v7';

export interface DecideDeps {
  tokens: TokenPort;
  evaluator: EvaluatorPort;
  log: DecisionLogPort;
  sessions: SessionPort;
  observer?: DecideObserver;
}

export interface DecideOptions {
  /** Deepest nesting of arrays/objects accepted in a request. */
  maxDepth: number;
  /**
   * Deadline for one decision after validation (ARBITER_DECIDE_TIMEOUT_MS): past it the caller
   * gets a 503 deny (`decision_log_unavailable`) instead of waiting on a stalled store. 0 = none.
   */
  timeoutMs?: number;
  now?: () => number;
}

/** 200 with the decision, or 503 with a deny body when the decision could not be recorded. */
export interface DecideOutcome {
  status: 200 | 503;
  body: DecideResponse & { error?: { code: string; message: string } };
}

/** Per-request deadline state shared with the log's queue (its `cancel` withdraws the record). */
interface Deadline {
  expired: boolean;
  cancel: (() => boolean) | null;
}

/** Placeholder outcome of a run whose request was already answered at its deadline (never sent). */
const EXPIRED: DecideOutcome = {
  status: 503,
  body: { decision_id: '', decision: 'deny', allow: false, reasons: [], policy: { revision: '', entrypoint: '' }, session: { id: '', step: 0 } },
};

const NO_TOKEN: TokenInput = { present: false, valid: false, source: 'none', claims: null, error: null };

export class DecideUseCase {
  private readonly now: () => number;
  private readonly serializer = new InputSerializer();

  constructor(
    private readonly deps: DecideDeps,
    private readonly opts: DecideOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Throws ArbiterError for requests that must not be evaluated (nothing is recorded then). */
  async decide(body: unknown, caller: Caller): Promise<DecideOutcome> {
    if (!caller.canDecide) throw new ArbiterError('forbidden', `caller ${caller.name} may not request decisions`);
    const req = validateDecideRequest(body, this.opts.maxDepth);
    if (req.claims !== undefined) {
      if (!caller.trusted) throw new ArbiterError('claims_not_allowed', 'only a trusted gateway may send verified claims');
      if (req.token !== undefined) throw new ArbiterError('invalid_request', 'send either token or claims, not both');
    }
    const nowMs = this.now();
    const sessionId = req.session?.id ?? randomUUID();
    const timeoutMs = this.opts.timeoutMs ?? 0;
    if (timeoutMs <= 0) return this.run(req, sessionId, caller, nowMs, null);
    const deadline: Deadline = { expired: false, cancel: null };
    return this.withDeadline(this.run(req, sessionId, caller, nowMs, deadline), deadline, timeoutMs, sessionId, nowMs);
  }

  private async run(req: DecideRequest, sessionId: string, caller: Caller, nowMs: number, deadline: Deadline | null): Promise<DecideOutcome> {
    const token = await this.verifyToken(req, nowMs);
    return this.deps.sessions.withSession(sessionId, () => this.decideInSession(req, token, sessionId, caller, nowMs, deadline));
  }

  /**
   * One answer per request, and a 503 is never recorded. At the deadline:
   * - the record waits in the log's queue → it is withdrawn; the append fails and the request
   *   answers 503 deny through the normal path;
   * - the request has not reached the log yet (token keys, session read, the session's queue)
   *   → 503 deny now, and the late run stops before appending;
   * - a transaction already holds the record → its outcome is awaited (bounded by the store's
   *   own timeouts) so the answer matches what was recorded.
   */
  private withDeadline(run: Promise<DecideOutcome>, deadline: Deadline, timeoutMs: number, sessionId: string, nowMs: number): Promise<DecideOutcome> {
    return new Promise<DecideOutcome>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        deadline.expired = true;
        if (deadline.cancel !== null) {
          deadline.cancel(); // withdrawn → the run answers 503; in flight → wait for the commit
          return;
        }
        settled = true;
        resolve(this.unavailable(sessionId, 0, nowMs, new Error(`the decision did not complete within ${timeoutMs} ms (ARBITER_DECIDE_TIMEOUT_MS)`)));
      }, timeoutMs);
      run.then(
        (o) => {
          clearTimeout(timer);
          if (settled) return;
          settled = true;
          resolve(o);
        },
        (e) => {
          clearTimeout(timer);
          if (settled) return;
          settled = true;
          reject(e);
        },
      );
    });
  }

  /** A 503 deny given without a recorded decision (store or deadline failure), observed like one. */
  private unavailable(sessionId: string, step: number, nowMs: number, err: unknown): DecideOutcome {
    const id = uuidv7(nowMs);
    const ev = this.deps.evaluator;
    const base: DecideResponse = {
      decision_id: id,
      decision: 'deny',
      allow: false,
      reasons: [],
      policy: { revision: ev.revision ?? '', entrypoint: ev.entrypoint ?? '' },
      session: { id: sessionId, step },
    };
    const outcome: DecideOutcome = { status: 503, body: logUnavailable(base, err) };
    this.deps.observer?.decided({
      decision: 'deny',
      evalMicros: 0,
      status: 503,
      decisionId: id,
      sessionId,
      reasons: [ServiceReason.decisionLogUnavailable],
      error: outcome.body.error!.message,
    });
    return outcome;
  }

  private verifyToken(req: DecideRequest, nowMs: number): Promise<TokenInput> | TokenInput {
    if (req.claims !== undefined) return { present: true, valid: true, source: 'gateway', claims: req.claims, error: null };
    if (req.token !== undefined) return this.deps.tokens.verify(req.token, req.resource ?? null, nowMs);
    return NO_TOKEN;
  }

  private async decideInSession(
    req: DecideRequest,
    token: TokenInput,
    sessionId: string,
    caller: Caller,
    nowMs: number,
    deadline: Deadline | null,
  ): Promise<DecideOutcome> {
    // Already answered 503 at the deadline: do nothing more (no record, no session step).
    if (deadline?.expired) return EXPIRED;
    const who = callerIdentity(token);
    let view;
    try {
      view = await this.deps.sessions.load(sessionId, who, req.session?.history);
      if (deadline?.expired) return EXPIRED;
    } catch (err) {
      if (err instanceof ArbiterError && err.status < 500) throw err; // a refused request (bad client history): 400
      // The history lives in the store: unreadable store = no decision can be made and recorded.
      this.deps.sessions.invalidate(sessionId);
      return this.unavailable(sessionId, 0, nowMs, err ?? new Error('session read failed'));
    }
    const nowNs = nowMs * 1e6;
    const input = buildPolicyInput(req, token, view, caller, nowNs);
    // Serialized once: the record stores `stored` (the input without its history), the policy
    // evaluates the same text with the session's cached history JSON spliced in.
    const { stored, full } = this.serializer.serialize(input, view.historyJson);
    const ev = await this.deps.evaluator.evaluate(input, nowNs, full);
    if (deadline?.expired) return EXPIRED;
    const v = ev.verdict;
    const id = uuidv7(nowMs);
    const time = new Date(nowMs);
    const record: DecisionRecord = {
      id,
      time,
      sessionId,
      step: view.step,
      caller: caller.name,
      subject: who.subject,
      clientId: who.clientId,
      toolName: req.tool.name,
      toolServer: req.tool.server ?? null,
      decision: v.decision,
      reasons: v.reasons,
      obligations: v.obligations ?? null,
      input: stored,
      history: { source: view.historySource, through_step: view.step - 1, count: view.historyCount },
      result: resultText(ev),
      policyRevision: ev.revision,
      entrypoint: ev.entrypoint,
      pinned: ev.pinned,
      evalMicros: Math.round(ev.evalMicros),
      error: ev.error,
    };
    const upsert = sessionUpsertFor(view);
    const body: DecideOutcome['body'] = {
      decision_id: id,
      decision: v.decision,
      allow: v.allow,
      reasons: v.reasons,
      policy: { revision: ev.revision, entrypoint: ev.entrypoint },
      session: { id: sessionId, step: view.step },
    };
    if (v.obligations) body.obligations = v.obligations;
    let outcome: DecideOutcome;
    let appendError: unknown = null;
    try {
      await this.deps.log.append(record, upsert, deadline ?? undefined);
    } catch (err) {
      appendError = err ?? new Error('append failed');
    }
    if (appendError === null) {
      const stepJson = historyStepJsonOf({
        step: view.step,
        nowNs,
        toolName: record.toolName,
        toolServer: record.toolServer,
        args: input.tool.arguments,
        decision: record.decision,
        reasons: record.reasons,
      });
      this.deps.sessions.recordStep(view, { record, historyStepJson: stepJson });
      outcome = { status: 200, body };
    } else {
      // The log is the truth for session steps: reread it next time instead of guessing.
      this.deps.sessions.invalidate(sessionId);
      outcome = { status: 503, body: logUnavailable(body, appendError) };
    }
    this.deps.observer?.decided({
      decision: outcome.body.decision,
      evalMicros: ev.evalMicros,
      status: outcome.status,
      decisionId: id,
      sessionId,
      reasons: outcome.body.reasons.map((r) => r.code),
      error: outcome.status === 503 ? outcome.body.error!.message : ev.error,
    });
    return outcome;
  }
}

/**
 * The policy result as stored JSON text: the evaluator's own text when it sent one (evaluation
 * workers), else the value from JSON.parse (the engine), so stringify is safe and cheaper than the
 * log's generic value walk. Anything else goes as a value.
 */
function resultText(ev: Evaluation): unknown {
  if (ev.resultJson !== undefined) return new JsonText(ev.resultJson);
  const result = ev.result;
  if (result === undefined || result === null) return null;
  try {
    return new JsonText(JSON.stringify(result));
  } catch {
    return result;
  }
}

/** Fail closed: an unrecorded decision is a deny, whatever the policy said. */
function logUnavailable(body: DecideResponse, err: unknown): DecideOutcome['body'] {
  const message = `the decision could not be recorded: ${(err as Error)?.message ?? String(err)}`;
  return {
    decision_id: body.decision_id,
    decision: 'deny',
    allow: false,
    reasons: [{ code: ServiceReason.decisionLogUnavailable, message }],
    policy: body.policy,
    session: body.session,
    error: { code: ServiceReason.decisionLogUnavailable, message },
  };
}
