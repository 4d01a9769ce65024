import { Inject, Injectable } from '@nestjs/common';
import { ArbiterError } from '@arbiter/contracts';
import type { PolicyEngine } from '@arbiter/engine';
import { ENGINE } from '../tokens';

@Injectable()
export class PoliciesService {
  constructor(@Inject(ENGINE) private readonly engine: PolicyEngine) {}

  /** Reloads now; a failed reload keeps the active policy and answers 422 with the errors. */
  async reload() {
    const r = await this.engine.reload();
    if (r.result === 'failure') {
      throw new ArbiterError('policy_reload_failed', 'policy reload failed; the previous policy stays active', {
        errors: r.errors,
        active_revision: this.engine.revision,
      });
    }
    return { result: r.result, revision: r.revision, duration_ms: r.durationMs };
  }
}
