import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccessGuard } from './auth/access.guard';
import { AnalystController } from './analyst/analyst.controller';
import { AnalystService } from './analyst/analyst.service';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { ArbiterExceptionFilter } from './http/arbiter-exception.filter';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { PoliciesController } from './policies/policies.controller';
import { PoliciesService } from './policies/policies.service';
import type { Runtime } from './runtime';
import { APP_LOGGER, CALLERS, CONFIG, DECIDE, DECISION_LOG, ENGINE, SESSIONS, TOKEN_VERIFIER } from './tokens';

const RUNTIME = Symbol('RUNTIME');

/** Stops the policy watcher and flushes the decision log when the app closes. */
class RuntimeLifecycle implements OnApplicationShutdown {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.engine.close();
    await this.runtime.log.close();
  }
}

@Module({})
export class AppModule {
  static register(runtime: Runtime): DynamicModule {
    return {
      module: AppModule,
      // POST /decide is a plain Fastify route (decide/decide.route.ts), registered by app.factory.
      controllers: [AnalystController, HealthController, MetricsController, PoliciesController],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: CONFIG, useValue: runtime.config },
        { provide: APP_LOGGER, useValue: runtime.logger },
        { provide: ENGINE, useValue: runtime.engine },
        { provide: TOKEN_VERIFIER, useValue: runtime.verifier },
        { provide: DECISION_LOG, useValue: runtime.log },
        { provide: SESSIONS, useValue: runtime.sessions },
        { provide: DECIDE, useValue: runtime.decide },
        { provide: CALLERS, useValue: runtime.callers },
        { provide: Metrics, useValue: runtime.metrics },
        { provide: APP_FILTER, useClass: ArbiterExceptionFilter },
        AccessGuard,
        AnalystService,
        HealthService,
        PoliciesService,
        RuntimeLifecycle,
      ],
    };
  }
}
