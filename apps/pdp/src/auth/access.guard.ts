// Route guard: resolves the caller and checks the permission the route declares with @Access.
import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ArbiterError, type Caller } from '@arbiter/contracts';
import { CALLERS } from '../tokens';
import type { CallerResolver } from './caller-resolver';

export type Permission = 'decide' | 'admin';
const ACCESS = 'arbiter:access';

/** Declares what a route needs: 'decide' (gateways) or 'admin'. */
export const Access = (p: Permission) => SetMetadata(ACCESS, p);

export interface CallerRequest {
  headers: Record<string, string | string[] | undefined>;
  caller?: Caller;
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(CALLERS) private readonly callers: CallerResolver,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const permission = this.reflector.get<Permission | undefined>(ACCESS, ctx.getHandler());
    if (!permission) return true;
    const req = ctx.switchToHttp().getRequest<CallerRequest>();
    const caller = this.callers.resolve(req.headers);
    if (permission === 'decide' ? !caller.canDecide : !caller.canAdmin) {
      throw new ArbiterError('forbidden', `caller ${caller.name} (${caller.role}) may not ${permission === 'decide' ? 'request decisions' : 'use admin endpoints'}`);
    }
    req.caller = caller;
    return true;
  }
}
