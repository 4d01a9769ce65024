// What the decide use-case needs from its collaborators (narrow, so tests use small fakes).
import type { PolicyInput, TokenInput } from '@arbiter/contracts';
import type { SessionHistory } from '@arbiter/sessions';
import type { AppendTicket, DecisionRecord, SessionUpsert } from '@arbiter/decisions';
import type { Evaluation } from '@arbiter/engine';

export interface TokenPort {
  verify(raw: string, resource: string | null, nowMs?: number): Promise<TokenInput>;
}

export interface EvaluatorPort {
  /**
   * `inputJson`: the JSON of `input`, text or UTF-8 bytes (what a real engine evaluates; fakes may
   * use `input`). The bytes may be reused after the call returns (an evaluator that answers later
   * copies them). A promise when the evaluation runs elsewhere (evaluation workers).
   */
  evaluate(input: PolicyInput, nowNs: number, inputJson?: string | Uint8Array): Evaluation | Promise<Evaluation>;
  /** The active revision/entrypoint, for answers given without evaluating (store or deadline failures). */
  readonly revision?: string | null;
  readonly entrypoint?: string;
}

export interface DecisionLogPort {
  /** `ticket.cancel` is set while the record waits in the queue (see AppendTicket). */
  append(record: DecisionRecord, session: SessionUpsert, ticket?: AppendTicket): Promise<void>;
}

/** The session history store (SessionHistory of @arbiter/sessions, or a fake). */
export type SessionPort = Pick<SessionHistory, 'withSession' | 'load' | 'recordStep' | 'invalidate'>;

/** Metrics/log hooks; kept out of the use-case so it stays transport- and vendor-free. */
export interface DecideObserver {
  decided(outcome: { decision: string; evalMicros: number; status: number; decisionId: string; sessionId: string; reasons: string[]; error: string | null }): void;
}
