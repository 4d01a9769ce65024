// Holds the active policy, reloads it (compile + load, swapped atomically only on success) and
// evaluates it, failing closed on every error path.
import { statSync } from 'node:fs';
import type { LoadedPolicy, PolicyCompiler, PolicyHost } from './ports';
import { readPolicy, PolicySourceError, type PolicyLocation } from './policy-source';
import { evaluateLoaded, noPolicy, type EvalLimits, type Evaluation } from './evaluate-loaded';
import type { EvalPool, EvalPoolStats } from './worker/eval-pool';
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
  /**
   * Evaluation workers for {@link PolicyEngine.evaluateAsync} (the service's path). Every loaded
   * policy is loaded in this thread first (so a module that cannot load never reaches them), then
   * in the pool; the swap happens once the pool has it. The engine closes the pool.
   */
  pool?: EvalPool;
}

export interface ReloadResult {
  result: 'success' | 'failure' | 'unchanged';
  revision: string | null;
  errors: string[];
  at: string;
  durationMs: number;
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
  /** The evaluation workers (absent when evaluation runs on the calling thread). */
  workers?: EvalPoolStats;
}

interface Active {
  policy: LoadedPolicy;
  revision: string;
  loadedAt: string;
  /** What every evaluation of this policy is held to (and names). */
  limits: EvalLimits;
}

export class PolicyEngine {
  private active: Active | null = null;
  private lastReload: ReloadResult | null = null;
  private lastError: ReloadResult | null = null;
  private running: Promise<ReloadResult> | null = null;
  private again = false;
  private watcher: WatchHandle | null = null;
  private readonly fuel: number;

  constructor(private readonly opts: EngineOptions) {
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

  /** Stops watching and ends the evaluation workers (pending evaluations deny). */
  async close(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    await this.opts.pool?.close();
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
      if (this.opts.pool) {
        const loaded = await this.opts.pool.load({ revision: snap.revision, wasm, data: snap.data });
        if (!loaded.ok) return done('failure', snap.revision, [`evaluation workers could not load the policy: ${loaded.error}`]);
      }
      const limits: EvalLimits = { revision: snap.revision, entrypoint: this.opts.entrypoint, fuel: this.fuel, timeoutMs: this.opts.evalTimeoutMs };
      this.active = { policy, revision: snap.revision, loadedAt: new Date().toISOString(), limits };
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
    if (!active) return noPolicy(this.opts.entrypoint);
    return evaluateLoaded(active.policy, active.limits, input, nowNs, inputJson);
  }

  /**
   * Like {@link evaluate}, on an evaluation worker when the engine has a pool (the answer names
   * the revision the worker evaluated); in this thread otherwise.
   */
  evaluateAsync(input: unknown, nowNs: number, inputJson?: string | Uint8Array): Evaluation | Promise<Evaluation> {
    const active = this.active;
    if (!active) return noPolicy(this.opts.entrypoint);
    const pool = this.opts.pool;
    if (!pool || inputJson === undefined) return evaluateLoaded(active.policy, active.limits, input, nowNs, inputJson);
    return pool.evaluate(inputJson, nowNs);
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
      ...(this.opts.pool ? { workers: this.opts.pool.stats() } : {}),
    };
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return true;
  }
}
