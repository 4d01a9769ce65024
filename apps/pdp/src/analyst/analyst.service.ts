import { Inject, Injectable } from '@nestjs/common';
import { ArbiterError } from '@arbiter/contracts';
import type { DecisionLog } from '@arbiter/decisions';
import { reconstructInput, ReplayError } from '@arbiter/sessions';
import { DECISION_LOG } from '../tokens';
import { parseListQuery } from './query-params';
import { decisionView, sessionView } from './views';

@Injectable()
export class AnalystService {
  constructor(@Inject(DECISION_LOG) private readonly log: DecisionLog) {}

  async listDecisions(query: unknown) {
    const page = await this.log.list(parseListQuery(query));
    return { items: page.items.map(decisionView), next_cursor: page.nextCursor };
  }

  async getDecision(id: string) {
    const r = await this.log.get(id);
    if (!r) throw new ArbiterError('not_found', `no decision ${id}`);
    // Records store the input without session.history; one decision is shown with its full input.
    try {
      return { ...decisionView(r), input: await reconstructInput(r, this.log) };
    } catch (err) {
      if (!(err instanceof ReplayError)) throw err;
      return { ...decisionView(r), input_error: err.message };
    }
  }

  async getSession(id: string) {
    const s = await this.log.getSession(id);
    if (!s) throw new ArbiterError('not_found', `no session ${id}`);
    return sessionView(s, await this.log.sessionSteps(id));
  }
}
