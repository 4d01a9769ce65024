// Prometheus metrics (own registry, so several app instances in one process never collide).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly decisions = this.counter('arbiter_decisions_total', 'Decisions answered, by decision (503 answers count as deny)', ['decision'] as const);
  readonly evalDuration = this.histogram('arbiter_eval_duration_seconds', 'Policy evaluation time', [
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5,
  ]);
  readonly logWrite = this.histogram('arbiter_decision_log_write_seconds', 'Decision log group-commit duration', [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
  ]);
  readonly reloads = this.counter('arbiter_policy_reloads_total', 'Policy reload attempts by result (success, failure, unchanged)', ['result'] as const);
  readonly rejected = this.counter('arbiter_decide_rejected_total', '/decide requests refused before evaluation, by error code', ['code'] as const);
  readonly logUnavailable = this.counter('arbiter_decision_log_unavailable_total', 'Decisions answered 503 because the decision log could not record them');
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

  private counter<L extends string = string>(name: string, help: string, labelNames?: readonly L[]): Counter<L> {
    return new Counter<L>({ name, help, ...(labelNames ? { labelNames } : {}), registers: [this.registry] });
  }

  private histogram(name: string, help: string, buckets: number[]): Histogram {
    return new Histogram({ name, help, buckets, registers: [this.registry] });
  }
}
