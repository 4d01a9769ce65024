// The plain objects the service is made of, built once at boot (outside Nest, so the decide
// use-case and engine stay framework-free) and handed to the Nest module as values.
import type { FastifyBaseLogger } from 'fastify';
import { DecisionLog } from '@arbiter/decisions';
import { SessionHistory } from '@arbiter/sessions';
import { TokenVerifier } from '@arbiter/tokens';
import { EvalPool, PolicyEngine, regoCompiler, regoHost, type PolicyCompiler, type PolicyHost } from '@arbiter/engine';
import { DecideUseCase } from '@arbiter/decide';
import type { AppConfig } from './config/app-config';
import { CallerResolver } from './auth/caller-resolver';
import { Metrics } from './metrics/metrics';

export interface Runtime {
  config: AppConfig;
  logger: FastifyBaseLogger;
  metrics: Metrics;
  engine: PolicyEngine;
  verifier: TokenVerifier;
  log: DecisionLog;
  sessions: SessionHistory;
  decide: DecideUseCase;
  callers: CallerResolver;
}

export interface RuntimeOverrides {
  compiler?: PolicyCompiler;
  /** A fake host (tests): evaluation then stays on the service thread, whatever ARBITER_EVAL_WORKERS says. */
  host?: PolicyHost;
}

export async function buildRuntime(config: AppConfig, logger: FastifyBaseLogger, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  const metrics = new Metrics();
  const verifier = new TokenVerifier({
    jwksUrl: config.jwksUrl ?? undefined,
    jwksFile: config.jwksFile ?? undefined,
    issuers: config.jwtIssuers,
    algorithms: config.jwtAlgorithms,
    clockSkewS: config.clockSkewS,
    jwksTimeoutMs: config.jwksTimeoutMs,
    jwksStaleS: config.jwksStaleS,
    audienceTrailingSlash: config.jwtAudTrailingSlash,
  });
  // Evaluation workers run the real toolchain's host; a test's fake host evaluates in-thread.
  const pool =
    config.evalWorkers > 0 && !overrides.host
      ? new EvalPool({ size: config.evalWorkers, entrypoint: config.entrypoint, fuel: config.evalFuel, timeoutMs: config.evalTimeoutMs, logger })
      : undefined;
  const engine = new PolicyEngine({
    location: config.bundle ? { kind: 'bundle', path: config.bundle } : { kind: 'directory', path: config.policies },
    entrypoint: config.entrypoint,
    evalTimeoutMs: config.evalTimeoutMs,
    evalFuel: config.evalFuel,
    compiler: overrides.compiler ?? regoCompiler(),
    host: overrides.host ?? regoHost(),
    watch: config.policyWatch,
    poll: config.policyPoll,
    logger,
    onReload: (r) => metrics.reloads.labels(r.result).inc(),
    pool,
  });
  const log = await DecisionLog.open({
    databaseUrl: config.databaseUrl ?? undefined,
    dataDir: config.dataDir,
    schema: config.dbSchema ?? undefined,
    maxQueue: config.logMaxQueue ?? undefined,
    maxBatch: config.logMaxBatch,
    sqliteSynchronous: config.sqliteSynchronous ?? undefined,
    onCommit: (info) => metrics.logWrite.observe(info.latencyMs / 1000),
  });
  metrics.bindQueueDepth(() => log.stats().queueDepth);
  const sessions = new SessionHistory(log, { maxHistory: config.sessionHistoryMax, maxCachedSessions: config.sessionCacheSize });
  const debug = config.logLevel === 'debug' || config.logLevel === 'trace';
  const decide = new DecideUseCase(
    {
      tokens: verifier,
      evaluator: {
        evaluate: (input, nowNs, json) => engine.evaluateAsync(input, nowNs, json),
        get revision() {
          return engine.revision;
        },
        entrypoint: engine.entrypoint,
      },
      log,
      sessions,
      observer: {
        decided(o) {
          metrics.decided(o.decision, o.evalMicros);
          if (o.status !== 200) {
            metrics.logUnavailable.inc();
            logger.error({ decision_id: o.decisionId, session_id: o.sessionId, error: o.error }, 'decision not recorded; answered 503 deny');
          } else if (o.error) {
            logger.warn({ decision_id: o.decisionId, session_id: o.sessionId, decision: o.decision, reasons: o.reasons, error: o.error }, 'policy failed; denied');
          } else if (debug) {
            logger.debug({ decision_id: o.decisionId, session_id: o.sessionId, decision: o.decision, reasons: o.reasons }, 'decision');
          }
        },
      },
    },
    { maxDepth: config.maxDepth, timeoutMs: config.decideTimeoutMs },
  );
  await engine.start();
  return { config, logger, metrics, engine, verifier, log, sessions, decide, callers: new CallerResolver(config.apiKeys) };
}
