// One evaluation of a loaded policy, failing closed on every error path. Shared by the engine's
// in-thread path and the evaluation workers, so both answer exactly alike.
import { ServiceReason } from '@arbiter/contracts';
import type { LoadedPolicy } from './ports';
import { denyVerdict, toVerdict, type Verdict } from './verdict';

export interface Evaluation {
  verdict: Verdict;
  /** The raw policy result (null when the policy did not run or its result was discarded). */
  result: unknown;
  /**
   * `result` as JSON text, when the evaluator has it already (an evaluation worker sends the text
   * so that the service thread neither parses nor re-serializes it).
   */
  resultJson?: string;
  /** Values a replay needs: now_ns, nondeterministic builtin values and the fuel budget (`fuel`). */
  pinned: Record<string, unknown>;
  evalMicros: number;
  error: string | null;
  revision: string;
  entrypoint: string;
  /** Fuel the evaluation burned (absent when the policy did not run or is not metered). */
  fuelUsed?: number;
}

/** What an evaluation is held to, and what its answer names. */
export interface EvalLimits {
  revision: string;
  entrypoint: string;
  /** Fuel budget (steps): a runaway policy stops mid-run and is denied policy_timeout. */
  fuel: number;
  /** Wall-clock limit, checked after the fact (synchronous Wasm cannot be pre-empted). */
  timeoutMs: number;
}

/** The revision named by answers given while no policy is loaded. */
export const NO_REVISION = 'none';

export function evaluateLoaded(policy: LoadedPolicy, limits: EvalLimits, input: unknown, nowNs: number, inputJson?: string | Uint8Array): Evaluation {
  const { revision, entrypoint, fuel } = limits;
  const t0 = process.hrtime.bigint();
  let out: { result: unknown; pinned?: Record<string, unknown>; fuelUsed?: number };
  try {
    out = policy.evaluate(input, entrypoint, inputJson === undefined ? { nowNs, fuel } : { nowNs, inputJson, fuel });
  } catch (e) {
    const micros = Number(process.hrtime.bigint() - t0) / 1000;
    if ((e as { code?: unknown } | null)?.code === 'eval_fuel_exhausted') {
      // Deterministic: replaying with pinned.fuel stops at the same step.
      const ev = failedEvaluation(ServiceReason.policyTimeout, `policy evaluation ran out of fuel (budget ${fuel} steps)`, revision, entrypoint, micros, { now_ns: nowNs, fuel });
      ev.fuelUsed = fuel;
      return ev;
    }
    return failedEvaluation(ServiceReason.policyError, `policy evaluation failed: ${(e as Error | null)?.message ?? String(e)}`, revision, entrypoint, micros, { now_ns: nowNs, fuel });
  }
  const evalMicros = Number(process.hrtime.bigint() - t0) / 1000;
  const pinned = out.pinned ?? { now_ns: nowNs };
  pinned.fuel = fuel;
  if (evalMicros > limits.timeoutMs * 1000) {
    // Evaluation is synchronous Wasm and cannot be pre-empted; an overlong run is discarded.
    return failedEvaluation(ServiceReason.policyTimeout, `policy evaluation exceeded ${limits.timeoutMs} ms`, revision, entrypoint, evalMicros, pinned);
  }
  return { verdict: toVerdict(out.result), result: out.result ?? null, pinned, evalMicros, error: null, revision, entrypoint, fuelUsed: out.fuelUsed };
}

/** A deny that names why the policy gave no usable answer. */
export function failedEvaluation(code: string, message: string, revision: string, entrypoint: string, micros: number, pinned: Record<string, unknown>): Evaluation {
  return { verdict: denyVerdict(code, message), result: null, pinned, evalMicros: micros, error: `${code}: ${message}`, revision, entrypoint };
}

export function noPolicy(entrypoint: string): Evaluation {
  return failedEvaluation(ServiceReason.policyUnavailable, 'no policy is loaded', NO_REVISION, entrypoint, 0, {});
}
