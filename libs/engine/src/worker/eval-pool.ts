// Evaluation workers: policy evaluation off the service thread. Node runs the HTTP server, token
// checks, session history and the decision log on one thread; the Wasm evaluation (tens of us per
// decision with a session history) is the largest piece of that work that needs none of it, so it
// runs here, on worker threads that each hold an instance of the active policy.
//
// - Batching: evaluations requested during one turn of the event loop go to a worker as one
//   message (parallel arrays of JSON texts) and come back as one; per-message costs are shared.
// - Loading: `load` sends the module and data to every worker and resolves once all of them have
//   it; a worker started later (after a crash) loads the current policy before evaluating.
// - Failing closed: a worker that exits, or does not answer within `answerTimeoutMs`, is
//   terminated; its pending evaluations are denied (policy_error / policy_timeout) and a new worker
//   replaces it. With no live worker an evaluation is denied at once (policy_unavailable).
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ServiceReason } from '@arbiter/contracts';
import { failedEvaluation, type Evaluation } from '../evaluate-loaded';
import type { EngineLogger } from '../policy-engine';
import type { EvalMessage, FromWorker, LoadMessage, WireEvaluation, WorkerInit } from './protocol';

const UTF8 = new TextEncoder();

export interface EvalPoolOptions {
  /** Worker threads (>= 1). */
  size: number;
  entrypoint: string;
  /** Fuel budget per evaluation (steps). */
  fuel: number;
  /** Wall-clock limit per evaluation, checked after the fact (as in the engine). */
  timeoutMs: number;
  /**
   * A worker that holds an evaluation longer than this is presumed hung: it is terminated and
   * replaced, and its pending evaluations are denied (default max(2000, 20 × timeoutMs)).
   */
  answerTimeoutMs?: number;
  logger?: EngineLogger;
  /** The worker script (default: eval-worker.js next to this file). */
  workerScript?: string;
}

export interface EvalPoolStats {
  size: number;
  live: number;
  pending: number;
  restarts: number;
  /** Messages sent and evaluations they carried (their ratio is the mean batch size). */
  batches: number;
  evaluations: number;
}

interface PolicyImage {
  revision: string;
  wasm: Uint8Array;
  data: unknown;
}

/** Evaluations gathered for one message: inputs copied back to back into one buffer. */
interface Batch {
  ids: number[];
  nows: number[];
  /** Input i is bytes [ends[i-1] (or 0), ends[i]). */
  ends: number[];
  bytes: Uint8Array;
  used: number;
}

/** First buffer size of a batch (grown by doubling). */
const BATCH_BYTES = 64 * 1024;

interface Pending {
  resolve(ev: Evaluation): void;
}

interface Slot {
  worker: Worker | null;
  pending: Map<number, Pending>;
  /** Evaluations waiting for the next flush. */
  batch: Batch | null;
  /** performance.now() when the oldest unanswered batch was sent (0 = none outstanding). */
  oldestSent: number;
  loads: Map<number, (error: string | null) => void>;
  /** Consecutive failures, for the restart back-off. */
  failures: number;
  startedAt: number;
}

/** The result text parsed on first use: the service only needs it as text for the log. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
interface PooledEvaluation extends Omit<WireEvaluation, 'resultJson'> {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
class PooledEvaluation implements Evaluation {
  resultJson?: string;
  private parsed: unknown = undefined;

  constructor(w: WireEvaluation) {
    const { resultJson, ...rest } = w;
    Object.assign(this, rest);
    if (resultJson !== null) this.resultJson = resultJson;
  }

  get result(): unknown {
    if (this.parsed === undefined) this.parsed = this.resultJson === undefined ? null : (JSON.parse(this.resultJson) as unknown);
    return this.parsed;
  }
}

export class EvalPool {
  private readonly slots: Slot[] = [];
  private readonly init: WorkerInit;
  private readonly answerTimeoutMs: number;
  private readonly script: string;
  private image: PolicyImage | null = null;
  private nextId = 1;
  private nextSeq = 1;
  private flushScheduled = false;
  private closed = false;
  private restarts = 0;
  private batches = 0;
  private evaluations = 0;
  private readonly watchdog: NodeJS.Timeout;

  constructor(private readonly opts: EvalPoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new RangeError(`eval pool size must be a positive integer, got ${opts.size}`);
    this.init = { entrypoint: opts.entrypoint, fuel: opts.fuel, timeoutMs: opts.timeoutMs };
    this.answerTimeoutMs = opts.answerTimeoutMs ?? Math.max(2000, 20 * opts.timeoutMs);
    this.script = opts.workerScript ?? join(__dirname, 'eval-worker.js');
    for (let i = 0; i < opts.size; i++) {
      const slot: Slot = { worker: null, pending: new Map(), batch: null, oldestSent: 0, loads: new Map(), failures: 0, startedAt: 0 };
      this.slots.push(slot);
      this.start(slot);
    }
    this.watchdog = setInterval(() => this.checkAnswers(), Math.min(250, this.answerTimeoutMs)).unref();
  }

  /** Loads a policy into every worker; `ok: false` if any of them could not (the previous policy is restored). */
  async load(image: PolicyImage): Promise<{ ok: true } | { ok: false; error: string }> {
    if (this.closed) return { ok: false, error: 'the evaluation pool is closed' };
    const previous = this.image;
    // A compact copy: a view into a larger buffer would copy all of that buffer to every worker.
    this.image = { revision: image.revision, wasm: image.wasm.slice(), data: image.data };
    const errors = (await Promise.all(this.slots.map((s) => this.sendLoad(s)))).filter((e): e is string => e !== null);
    if (errors.length === 0) return { ok: true };
    this.image = previous;
    if (previous) await Promise.all(this.slots.map((s) => this.sendLoad(s)));
    return { ok: false, error: errors[0] };
  }

  /**
   * Evaluates `inputJson` (the policy input as JSON text or UTF-8 bytes) on a worker. Bytes are
   * copied here (the caller may reuse its buffer). Never rejects.
   */
  evaluate(inputJson: string | Uint8Array, nowNs: number): Promise<Evaluation> {
    const slot = this.pick();
    if (!slot) return Promise.resolve(this.unavailable(this.closed ? 'the evaluation workers are stopped' : 'no evaluation worker is running'));
    const id = this.nextId++;
    // Copied now, straight into the batch buffer: the caller may reuse its buffer at once.
    addInput((slot.batch ??= { ids: [], nows: [], ends: [], bytes: new Uint8Array(BATCH_BYTES), used: 0 }), id, inputJson, nowNs);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return new Promise((resolve) => slot.pending.set(id, { resolve }));
  }

  stats(): EvalPoolStats {
    let pending = 0;
    let live = 0;
    for (const s of this.slots) {
      pending += s.pending.size;
      if (s.worker) live++;
    }
    return { size: this.slots.length, live, pending, restarts: this.restarts, batches: this.batches, evaluations: this.evaluations };
  }

  /** Ends the workers; evaluations still pending are denied. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    await Promise.all(
      this.slots.map(async (s) => {
        const w = s.worker;
        s.worker = null;
        this.failPending(s, ServiceReason.policyUnavailable, 'the evaluation workers stopped');
        if (w) await w.terminate();
      }),
    );
  }

  /** The live worker with the fewest evaluations outstanding. */
  private pick(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) {
      if (!s.worker) continue;
      if (!best || s.pending.size < best.pending.size) best = s;
    }
    return best;
  }

  private flush(): void {
    this.flushScheduled = false;
    const now = performance.now();
    for (const s of this.slots) {
      const b = s.batch;
      if (!b) continue;
      s.batch = null;
      const msg: EvalMessage = { t: 'eval', ids: b.ids, bytes: b.bytes, ends: b.ends, nows: b.nows };
      if (s.oldestSent === 0) s.oldestSent = now;
      this.batches++;
      this.evaluations += msg.ids.length;
      // The buffer is handed over, not copied (the next batch starts a new one).
      s.worker?.postMessage(msg, [b.bytes.buffer as ArrayBuffer]);
    }
  }

  private start(slot: Slot): void {
    const worker = new Worker(this.script, { workerData: this.init });
    slot.worker = worker;
    slot.startedAt = performance.now();
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (err) => this.opts.logger?.error({ event: 'eval_worker_error', err: err.message }, 'evaluation worker failed'));
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return; // replaced already (terminated by the watchdog)
      this.lost(slot, ServiceReason.policyError, `the evaluation worker exited (code ${code})`);
    });
    if (this.image) void this.sendLoad(slot);
  }

  private sendLoad(slot: Slot): Promise<string | null> {
    const image = this.image;
    const worker = slot.worker;
    if (!image || !worker) return Promise.resolve(null);
    const seq = this.nextSeq++;
    const msg: LoadMessage = { t: 'load', seq, revision: image.revision, wasm: image.wasm, data: image.data };
    return new Promise((resolve) => {
      slot.loads.set(seq, resolve);
      worker.postMessage(msg);
    });
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.t === 'loaded') {
      const done = slot.loads.get(m.seq);
      slot.loads.delete(m.seq);
      if (m.error === null) slot.failures = 0;
      else this.opts.logger?.error({ event: 'eval_worker_load_failed', error: m.error }, 'an evaluation worker could not load the policy');
      done?.(m.error);
      return;
    }
    for (let i = 0; i < m.ids.length; i++) {
      const p = slot.pending.get(m.ids[i]);
      if (!p) continue;
      slot.pending.delete(m.ids[i]);
      p.resolve(new PooledEvaluation(m.evals[i]));
    }
    // Batches are answered in order: when this one is done, the next outstanding one (if any)
    // was sent no earlier than now, as far as the watchdog is concerned.
    slot.oldestSent = slot.pending.size === 0 ? 0 : performance.now();
  }

  private checkAnswers(): void {
    const now = performance.now();
    for (const s of this.slots) {
      if (s.worker && s.oldestSent !== 0 && now - s.oldestSent > this.answerTimeoutMs) {
        const w = s.worker;
        this.lost(s, ServiceReason.policyTimeout, `the evaluation worker did not answer within ${this.answerTimeoutMs} ms and was restarted`);
        void w.terminate();
      }
    }
  }

  /** A worker is gone: deny what it held, and start a replacement (backing off if it keeps failing). */
  private lost(slot: Slot, code: string, message: string): void {
    slot.worker = null;
    slot.oldestSent = 0;
    slot.batch = null;
    this.failPending(slot, code, message);
    for (const done of slot.loads.values()) done(message);
    slot.loads.clear();
    if (this.closed) return;
    this.opts.logger?.error({ event: 'eval_worker_lost', reason: code, message }, 'evaluation worker lost; starting a new one');
    // A worker that ran a while before failing restarts at once; repeated early failures back off.
    if (performance.now() - slot.startedAt > 10_000) slot.failures = 0;
    const delay = slot.failures === 0 ? 0 : Math.min(5000, 100 * 2 ** (slot.failures - 1));
    slot.failures++;
    this.restarts++;
    setTimeout(() => {
      if (!this.closed) this.start(slot);
    }, delay).unref();
  }

  private failPending(slot: Slot, code: string, message: string): void {
    const pending = [...slot.pending.values()];
    slot.pending.clear();
    for (const p of pending) p.resolve(failedEvaluation(code, message, this.image?.revision ?? 'none', this.opts.entrypoint, 0, {}));
  }

  private unavailable(message: string): Evaluation {
    return failedEvaluation(ServiceReason.policyUnavailable, message, this.image?.revision ?? 'none', this.opts.entrypoint, 0, {});
  }
}

function addInput(b: Batch, id: number, input: string | Uint8Array, nowNs: number): void {
  // UTF-8 needs at most 3 bytes per UTF-16 unit.
  const need = b.used + (typeof input === 'string' ? input.length * 3 : input.length);
  if (need > b.bytes.length) {
    const grown = new Uint8Array(Math.max(need, 2 * b.bytes.length));
    grown.set(b.bytes.subarray(0, b.used));
    b.bytes = grown;
  }
  if (typeof input === 'string') b.used += UTF8.encodeInto(input, b.bytes.subarray(b.used)).written;
  else {
    b.bytes.set(input, b.used);
    b.used += input.length;
  }
  b.ids.push(id);
  b.nows.push(nowNs);
  b.ends.push(b.used);
}
