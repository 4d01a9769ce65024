// Prometheus metrics (own registry, so several app instances in one process never collide).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly decisions = new Counter({
    name: 'arbiter_decisions_total',
    help: 'Decisions answered, by decision (503 answers count as deny)',
    labelNames: ['decision'] as const,
    registers: [this.registry],
  });
  readonly evalDuration = new Histogram({
    name: 'arbiter_eval_duration_seconds',
    help: 'Policy evaluation time',
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly logWrite = new Histogram({
    name: 'arbiter_decision_log_write_seconds',
    help: 'Decision log group-commit duration',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly reloads = new Counter({
    name: 'arbiter_policy_reloads_total',
    help: 'Policy reload attempts by result (success, failure, unchanged)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'arbiter_decide_rejected_total',
    help: '/decide requests refused before evaluation, by error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly logUnavailable = new Counter({
    name: 'arbiter_decision_log_unavailable_total',
    help: 'Decisions answered 503 because the decision log could not record them',
    registers: [this.registry],
  });
  private queueDepthSource: () => number = () => 0;
  private readonly byDecision = {
    allow: this.decisions.labels('allow'),
    deny: this.decisions.labels('deny'),
    ask: this.decisions.labels('ask'),
  };

  constructor() {
    const self = this;
    new Gauge({
      name: 'arbiter_decision_log_queue_depth',
      help: 'Decision records waiting for the group-commit writer',
      registers: [this.registry],
      collect() {
        this.set(self.queueDepthSource());
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  bindQueueDepth(source: () => number): void {
    this.queueDepthSource = source;
  }

  decided(decision: string, evalMicros: number): void {
    (this.byDecision[decision as 'allow'] ?? this.decisions.labels(decision)).inc();
    this.evalDuration.observe(evalMicros / 1e6);
  }
}
