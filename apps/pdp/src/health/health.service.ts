// Liveness and readiness: ready = a policy is loaded and the decision store answers.
import { Inject, Injectable } from '@nestjs/common';
import type { PolicyEngine } from '@arbiter/engine';
import type { CommitInfo, DecisionLog } from '@arbiter/decisions';
import { DECISION_LOG, ENGINE } from '../tokens';

const PROBE_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  private lastCommit: CommitInfo | null = null;

  constructor(
    @Inject(ENGINE) private readonly engine: PolicyEngine,
    @Inject(DECISION_LOG) private readonly log: DecisionLog,
  ) {
    log.onCommit((info) => {
      this.lastCommit = info;
    });
  }

  live() {
    return { status: 'ok' };
  }

  async ready(): Promise<{ ready: boolean; body: object }> {
    const policy = this.engine.status();
    const store = await this.probeStore();
    const ready = policy.loaded && store.ok;
    return {
      ready,
      body: {
        status: ready ? 'ready' : 'not_ready',
        policy: {
          loaded: policy.loaded,
          revision: policy.revision,
          entrypoint: policy.entrypoint,
          source: policy.source,
          loaded_at: policy.loadedAt,
          watch: policy.watch,
          last_reload: policy.lastReload,
          last_error: policy.lastError,
        },
        store,
      },
    };
  }

  private async probeStore() {
    const stats = this.log.stats();
    const base = {
      driver: stats.driver,
      queue_depth: stats.queueDepth,
      max_queue: stats.maxQueue,
      commits: stats.commits,
      avg_batch: Math.round(stats.avgBatchSize * 10) / 10,
      ...(stats.sqlite
        ? { sqlite: { synchronous: stats.sqlite.synchronous, checkpoints: stats.sqlite.checkpoints, wal_drains: stats.sqlite.walDrains, wal_frames: stats.sqlite.walFrames } }
        : {}),
    };
    if (this.lastCommit && !this.lastCommit.ok) {
      return { ok: false, ...base, error: `last commit failed: ${String((this.lastCommit.error as Error)?.message ?? this.lastCommit.error)}` };
    }
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`store did not answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      });
      await Promise.race([this.log.getSession('__arbiter_ready_probe__'), timeout]).finally(() => clearTimeout(timer));
      return { ok: true, ...base };
    } catch (e) {
      return { ok: false, ...base, error: (e as Error).message };
    }
  }
}
