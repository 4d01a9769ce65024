// Maps every error thrown in a controller/guard to `{error:{code,message,details?}}`.
import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { APP_LOGGER } from '../tokens';
import { toErrorResponse } from './error-response';

@Catch()
export class ArbiterExceptionFilter implements ExceptionFilter {
  constructor(@Inject(APP_LOGGER) private readonly log: FastifyBaseLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = toErrorResponse(exception);
    if (status >= 500) this.log.error({ err: exception, code: body.error.code }, 'request failed');
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
