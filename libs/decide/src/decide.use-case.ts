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
import { historyStep, sessionUpsertFor } from '@arbiter/sessions';
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
  now?: () => number;
}

/** 200 with the decision, or 503 with a deny body when the decision could not be recorded. */
export interface DecideOutcome {
  status: 200 | 503;
  body: DecideResponse & { error?: { code: string; message: string } };
}

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
    const token = await this.verifyToken(req, nowMs);
    const sessionId = req.session?.id ?? randomUUID();
    return this.deps.sessions.withSession(sessionId, () => this.decideInSession(req, token, sessionId, caller, nowMs));
  }

  private verifyToken(req: DecideRequest, nowMs: number): Promise<TokenInput> | TokenInput {
    if (req.claims !== undefined) return { present: true, valid: true, source: 'gateway', claims: req.claims, error: null };
    if (req.token !== undefined) return this.deps.tokens.verify(req.token, req.resource ?? null, nowMs);
    return NO_TOKEN;
  }

  private async decideInSession(req: DecideRequest, token: TokenInput, sessionId: string, caller: Caller, nowMs: number): Promise<DecideOutcome> {
    const who = callerIdentity(token);
    const view = await this.deps.sessions.load(sessionId, who, req.session?.history);
    const nowNs = nowMs * 1e6;
    const input = buildPolicyInput(req, token, view, caller, nowNs);
    // Serialized once: the record stores `stored` (the input without its history), the policy
    // evaluates the same text with the session's cached history JSON spliced in.
    const { stored, full } = this.serializer.serialize(input, view.historyJson);
    const ev = this.deps.evaluator.evaluate(input, nowNs, full);
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
      result: resultText(ev.result),
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
      await this.deps.log.append(record, upsert);
    } catch (err) {
      appendError = err ?? new Error('append failed');
    }
    if (appendError === null) {
      const step = historyStep({
        step: view.step,
        nowNs,
        toolName: record.toolName,
        toolServer: record.toolServer,
        args: input.tool.arguments,
        decision: record.decision,
        reasons: record.reasons,
      });
      this.deps.sessions.recordStep(view, { record, historyStep: step });
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
 * The policy result as stored JSON text: it came out of JSON.parse (the engine), so stringify
 * is safe and cheaper than the log's generic value walk. Anything else goes as a value.
 */
function resultText(result: unknown): unknown {
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
