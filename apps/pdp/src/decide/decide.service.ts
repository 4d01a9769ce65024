// HTTP face of the decide use-case: sets the status (200, or 503 when the log cannot record).
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ArbiterError, type Caller } from '@arbiter/contracts';
import type { DecideOutcome, DecideUseCase } from '@arbiter/decide';
import { DECIDE } from '../tokens';
import { Metrics } from '../metrics/metrics';

@Injectable()
export class DecideService {
  constructor(
    @Inject(DECIDE) private readonly useCase: DecideUseCase,
    private readonly metrics: Metrics,
  ) {}

  async decide(body: unknown, caller: Caller, reply: FastifyReply): Promise<DecideOutcome['body']> {
    let outcome: DecideOutcome;
    try {
      outcome = await this.useCase.decide(body, caller);
    } catch (err) {
      if (err instanceof ArbiterError) this.metrics.rejected.labels(err.code).inc();
      throw err;
    }
    reply.status(outcome.status);
    return outcome.body;
  }
}
