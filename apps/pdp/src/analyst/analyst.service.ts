import { Inject, Injectable } from '@nestjs/common';
import { ArbiterError } from '@arbiter/contracts';
import type { DecisionLog } from '@arbiter/decisions';
import { reconstructInput, ReplayError } from '@arbiter/sessions';
import { DECISION_LOG } from '../tokens';
import { parseListQuery, parseStepsQuery } from './query-params';
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

  /** One page of the session's steps (oldest first); `next_after_step` continues, null = last page. */
  async getSession(id: string, query: unknown = {}) {
    const { limit, afterStep } = parseStepsQuery(query);
    const s = await this.log.getSession(id);
    if (!s) throw new ArbiterError('not_found', `no session ${id}`);
    const rows = await this.log.sessionSteps(id, { afterStep, limit: limit + 1 });
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return { ...sessionView(s, page), next_after_step: more ? page[page.length - 1].step : null };
  }
}
