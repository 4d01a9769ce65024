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
    // With evaluation workers, at least one must be running (a replacement may be starting).
    const ready = policy.loaded && store.ok && (policy.workers === undefined || policy.workers.live > 0);
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
          ...(policy.workers ? { workers: policy.workers } : {}),
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
    // Always probe live: an unready instance gets no traffic, so no later commit would clear a
    // stale failure. A failed last commit only counts while the live probe also fails.
    const failedCommit = this.lastCommit && !this.lastCommit.ok ? this.lastCommit : null;
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`store did not answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      });
      // Both tables the decide path uses: a session read and a decision lookup by key.
      const probe = Promise.all([this.log.getSession('__arbiter_ready_probe__'), this.log.get('__arbiter_ready_probe__')]);
      await Promise.race([probe, timeout]).finally(() => clearTimeout(timer));
      if (failedCommit && this.lastCommit === failedCommit) this.lastCommit = null;
      return { ok: true, ...base };
    } catch (e) {
      const last = failedCommit ? ` (last commit failed: ${String((failedCommit.error as Error)?.message ?? failedCommit.error)})` : '';
      return { ok: false, ...base, error: `${(e as Error).message}${last}` };
    }
  }
}
