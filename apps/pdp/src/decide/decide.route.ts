// POST /decide as a plain Fastify route: the hot path skips Nest's per-request pipeline
// (execution context, reflector lookups, guard/pipe/interceptor chains, response controller)
// and does the same three things the controller + AccessGuard + exception filter did:
// authenticate the caller, run the decide use-case, map errors to `{error:{code,message}}`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ArbiterError, type Caller } from '@arbiter/contracts';
import type { Runtime } from '../runtime';
import { toErrorResponse } from '../http/error-response';

const callerOf = new WeakMap<FastifyRequest, Caller>();

export function registerDecideRoute(fastify: FastifyInstance, runtime: Runtime): void {
  const { callers, decide, metrics, logger } = runtime;
  fastify.route({
    method: 'POST',
    url: '/decide',
    // Own error handler: the same mapping as ArbiterExceptionFilter, independent of Nest's.
    errorHandler(err: unknown, _req: FastifyRequest, reply: FastifyReply) {
      const { status, body } = toErrorResponse(err);
      if (status >= 500) logger.error({ err, code: body.error.code }, 'request failed');
      void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
    },
    // Authenticate before the body is parsed (onRequest runs ahead of the content-type parser).
    onRequest(req, _reply, done) {
      try {
        const caller = callers.resolve(req.headers);
        if (!caller.canDecide) throw new ArbiterError('forbidden', `caller ${caller.name} (${caller.role}) may not request decisions`);
        callerOf.set(req, caller);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    async handler(req, reply) {
      const caller = callerOf.get(req) ?? callers.resolve(req.headers);
      try {
        const outcome = await decide.decide(req.body, caller);
        void reply.status(outcome.status);
        return outcome.body;
      } catch (err) {
        if (err instanceof ArbiterError) metrics.rejected.labels(err.code).inc();
        throw err;
      }
    },
  });
}
