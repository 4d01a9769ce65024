import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Caller } from '@arbiter/contracts';
import type { CallerRequest } from './access.guard';

/** The caller the AccessGuard authenticated. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  return ctx.switchToHttp().getRequest<CallerRequest>().caller!;
});
