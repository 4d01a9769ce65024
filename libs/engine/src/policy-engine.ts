// Holds the active policy, reloads it (compile + load, swapped atomically only on success) and
// evaluates it, failing closed on every error path.
import { statSync } from 'node:fs';
import { ServiceReason } from '@arbiter/contracts';
import type { LoadedPolicy, PolicyCompiler, PolicyHost } from './ports';
import { readPolicy, PolicySourceError, type PolicyLocation } from './policy-source';
import { denyVerdict, toVerdict, type Verdict } from './verdict';
import { watchPath, type WatchHandle } from './watcher';

export interface EngineLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Default fuel budget: ~250x what the default pack burns with a 256-step history (~4k). */
export const DEFAULT_EVAL_FUEL = 1_000_000;

export interface EngineOptions {
  location: PolicyLocation;
  entrypoint: string;
  /** Wall-clock limit, checked after the fact (synchronous Wasm cannot be pre-empted). */
  evalTimeoutMs: number;
  /** Fuel budget per evaluation (steps; default DEFAULT_EVAL_FUEL): stops runaway policies mid-run. */
  evalFuel?: number;
  compiler: PolicyCompiler;
  host: PolicyHost;
  watch?: boolean;
  poll?: boolean;
  debounceMs?: number;
  pollIntervalMs?: number;
  logger?: EngineLogger;
  onReload?: (r: ReloadResult) => void;
}

export interface ReloadResult {
  result: 'success' | 'failure' | 'unchanged';
  revision: string | null;
  errors: string[];
  at: string;
  durationMs: number;
}

export interface Evaluation {
  verdict: Verdict;
  /** The raw policy result (null when the policy did not run or its result was discarded). */
  result: unknown;
  /** Values a replay needs: now_ns, nondeterministic builtin values and the fuel budget (`fuel`). */
  pinned: Record<string, unknown>;
  evalMicros: number;
  error: string | null;
  revision: string;
  entrypoint: string;
  /** Fuel the evaluation burned (absent when the policy did not run or is not metered). */
  fuelUsed?: number;
}

export interface EngineStatus {
  loaded: boolean;
  revision: string | null;
  entrypoint: string;
  source: PolicyLocation;
  loadedAt: string | null;
  lastReload: ReloadResult | null;
  lastError: ReloadResult | null;
  watch: 'watch' | 'poll' | 'off';
}

interface Active {
  policy: LoadedPolicy;
  revision: string;
  loadedAt: string;
}

const NO_REVISION = 'none';

export class PolicyEngine {
  private active: Active | null = null;
  private lastReload: ReloadResult | null = null;
  private lastError: ReloadResult | null = null;
  private running: Promise<ReloadResult> | null = null;
  private again = false;
  private watcher: WatchHandle | null = null;
  private readonly timeoutNs: bigint;
  private readonly fuel: number;

  constructor(private readonly opts: EngineOptions) {
    this.timeoutNs = BigInt(Math.round(opts.evalTimeoutMs * 1e6));
    this.fuel = opts.evalFuel ?? DEFAULT_EVAL_FUEL;
  }

  get entrypoint(): string {
    return this.opts.entrypoint;
  }

  get revision(): string | null {
    return this.active?.revision ?? null;
  }

  /** First load, then watch for changes when enabled. A failed first load leaves the engine denying. */
  async start(): Promise<ReloadResult> {
    const r = await this.reload();
    if (this.opts.watch !== false && !this.watcher) {
      const loc = this.opts.location;
      this.watcher = watchPath(loc.path, isDirectory(loc.path), () => void this.reload(), {
        debounceMs: this.opts.debounceMs ?? 150,
        pollIntervalMs: this.opts.pollIntervalMs ?? 1000,
        poll: this.opts.poll,
      });
    }
    return r;
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  /** Reloads now; concurrent calls coalesce into one follow-up reload. */
  reload(): Promise<ReloadResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let r: ReloadResult;
      do {
        this.again = false;
        r = await this.reloadOnce();
      } while (this.again);
      this.running = null;
      return r;
    })();
    return this.running;
  }

  private async reloadOnce(): Promise<ReloadResult> {
    const started = Date.now();
    const done = (result: ReloadResult['result'], revision: string | null, errors: string[]): ReloadResult => {
      const r: ReloadResult = { result, revision, errors, at: new Date().toISOString(), durationMs: Date.now() - started };
      this.lastReload = r;
      if (result === 'failure') this.lastError = r;
      this.opts.onReload?.(r);
      const log = this.opts.logger;
      if (result === 'failure') log?.error({ event: 'policy_reload', ...r }, 'policy reload failed; keeping the previous policy');
      else if (result === 'success') log?.info({ event: 'policy_reload', revision, durationMs: r.durationMs }, 'policy loaded');
      return r;
    };
    try {
      const snap = await readPolicy(this.opts.location, this.opts.entrypoint);
      if (this.active && snap.revision === this.active.revision) return done('unchanged', snap.revision, []);
      let wasm: Uint8Array;
      if (snap.kind === 'source') {
        const out = await this.opts.compiler.compile({ modules: snap.modules, entrypoints: [this.opts.entrypoint] });
        if (out.errors.length > 0 || !out.wasm) {
          const errors = out.errors.map((d) => `${d.file}:${d.line}:${d.col}: ${d.code}: ${d.message}`);
          return done('failure', snap.revision, errors.length ? errors : ['compiler produced no module']);
        }
        wasm = out.wasm;
      } else {
        wasm = snap.wasm;
      }
      const policy = await this.opts.host.load(wasm, snap.data);
      this.active = { policy, revision: snap.revision, loadedAt: new Date().toISOString() };
      return done('success', snap.revision, []);
    } catch (e) {
      const errors = e instanceof PolicySourceError ? e.errors : [`${(e as Error).message ?? String(e)}`];
      return done('failure', null, errors);
    }
  }

  /**
   * Evaluates synchronously; never throws, never allows on failure. `inputJson` (the JSON of
   * `input` as text or UTF-8 bytes, when the caller has it) is evaluated instead of serializing
   * `input` again.
   */
  evaluate(input: unknown, nowNs: number, inputJson?: string | Uint8Array): Evaluation {
    const active = this.active;
    const entrypoint = this.opts.entrypoint;
    if (!active) {
      return failed(ServiceReason.policyUnavailable, 'no policy is loaded', NO_REVISION, entrypoint, 0, {});
    }
    const t0 = process.hrtime.bigint();
    const fuel = this.fuel;
    let out: { result: unknown; pinned?: Record<string, unknown>; fuelUsed?: number };
    try {
      out = active.policy.evaluate(input, entrypoint, inputJson === undefined ? { nowNs, fuel } : { nowNs, inputJson, fuel });
    } catch (e) {
      const micros = Number(process.hrtime.bigint() - t0) / 1000;
      if ((e as { code?: unknown } | null)?.code === 'eval_fuel_exhausted') {
        // Deterministic: replaying with pinned.fuel stops at the same step.
        const ev = failed(ServiceReason.policyTimeout, `policy evaluation ran out of fuel (budget ${fuel} steps)`, active.revision, entrypoint, micros, { now_ns: nowNs, fuel });
        ev.fuelUsed = fuel;
        return ev;
      }
      return failed(ServiceReason.policyError, `policy evaluation failed: ${(e as Error | null)?.message ?? String(e)}`, active.revision, entrypoint, micros, { now_ns: nowNs, fuel });
    }
    const elapsed = process.hrtime.bigint() - t0;
    const evalMicros = Number(elapsed) / 1000;
    const pinned = out.pinned ?? { now_ns: nowNs };
    pinned.fuel = fuel;
    if (elapsed > this.timeoutNs) {
      // Evaluation is synchronous Wasm and cannot be pre-empted; an overlong run is discarded.
      return failed(ServiceReason.policyTimeout, `policy evaluation exceeded ${this.opts.evalTimeoutMs} ms`, active.revision, entrypoint, evalMicros, pinned);
    }
    return { verdict: toVerdict(out.result), result: out.result ?? null, pinned, evalMicros, error: null, revision: active.revision, entrypoint, fuelUsed: out.fuelUsed };
  }

  status(): EngineStatus {
    return {
      loaded: this.active !== null,
      revision: this.active?.revision ?? null,
      entrypoint: this.opts.entrypoint,
      source: this.opts.location,
      loadedAt: this.active?.loadedAt ?? null,
      lastReload: this.lastReload,
      lastError: this.lastError,
      watch: this.watcher?.mode ?? 'off',
    };
  }
}

function failed(code: string, message: string, revision: string, entrypoint: string, micros: number, pinned: Record<string, unknown>): Evaluation {
  return { verdict: denyVerdict(code, message), result: null, pinned, evalMicros: micros, error: `${code}: ${message}`, revision, entrypoint };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return true;
  }
}
