// The evaluation context of the host builtins. opa-wasm calls host builtins synchronously from
// inside `evaluate`, so one module-level context is set before an evaluation and cleared after
// it. It pins the nondeterministic builtins: `time.now_ns` is constant within an evaluation,
// and every `uuid.rfc4122` / `rand.intn` value is recorded so that a replay (passing the
// recorded values back as `pinned`) reproduces it.

import { randomBytes, randomInt } from 'node:crypto';

/** Nondeterministic values of one evaluation, JSON-safe (nanoseconds as a decimal string). */
export interface PinnedValues {
  /** time.now_ns() of the evaluation, in decimal (exceeds 2^53). */
  nowNs?: string;
  /** uuid.rfc4122(key) → uuid. */
  uuid?: Record<string, string>;
  /** rand.intn(key, n) by `${key}\u0000${n}` → integer. */
  rand?: Record<string, number>;
}

/** A builtin error swallowed as "undefined" (OPA's non-strict mode), kept for diagnostics. */
export interface BuiltinFailure {
  builtin: string;
  message: string;
  code: string;
}

export class EvalContext {
  readonly nowNs: bigint;
  // Created on first use: one context is made per evaluation and most never draw a value.
  private uuids: Map<string, string> | undefined;
  private rands: Map<string, number> | undefined;
  readonly errors: BuiltinFailure[] = [];

  constructor(opts: { nowNs?: bigint | string | number; pinned?: PinnedValues } = {}) {
    const pinnedNow = opts.nowNs ?? opts.pinned?.nowNs;
    this.nowNs = pinnedNow !== undefined ? BigInt(pinnedNow) : wallClockNs();
    const pinned = opts.pinned;
    if (pinned?.uuid) this.uuids = new Map(Object.entries(pinned.uuid));
    if (pinned?.rand) this.rands = new Map(Object.entries(pinned.rand));
  }

  uuid(key: string): string {
    const uuids = (this.uuids ??= new Map());
    let v = uuids.get(key);
    if (v === undefined) {
      v = newUuidV4();
      uuids.set(key, v);
    }
    return v;
  }

  randIntn(key: string, n: number): number {
    const k = `${key}\u0000${n}`;
    const rands = (this.rands ??= new Map());
    let v = rands.get(k);
    if (v === undefined) {
      v = n === 0 ? 0 : n < 2 ** 48 ? randomInt(0, n) : Number(randomBytes(8).readBigUInt64BE() % BigInt(n));
      rands.set(k, v);
    }
    return v;
  }

  pinned(): PinnedValues {
    const out: PinnedValues = { nowNs: this.nowNs.toString() };
    if (this.uuids?.size) out.uuid = Object.fromEntries(this.uuids);
    if (this.rands?.size) out.rand = Object.fromEntries(this.rands);
    return out;
  }
}

export function wallClockNs(): bigint {
  // Date.now() gives milliseconds; hrtime adds sub-millisecond precision relative to it.
  return BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
}

function newUuidV4(): string {
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

let current: EvalContext | undefined;

/** Runs fn with ctx as the current evaluation context (restoring the previous one after). */
export function withEvalContext<T>(ctx: EvalContext, fn: () => T): T {
  const prev = current;
  current = ctx;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/**
 * withEvalContext without the closure, for the host's per-evaluation path: makes ctx current and
 * returns the previous context, which the caller restores with leaveEvalContext in a finally.
 */
export function enterEvalContext(ctx: EvalContext): EvalContext | undefined {
  const prev = current;
  current = ctx;
  return prev;
}

export function leaveEvalContext(prev: EvalContext | undefined): void {
  current = prev;
}

/** The context of the evaluation in progress, if any (no throwaway fallback). */
export function activeEvalContext(): EvalContext | undefined {
  return current;
}

/**
 * The current context; outside an evaluation (e.g. a unit test calling a builtin directly) a
 * fresh throwaway context, so builtins still behave, just without pinning across calls.
 */
export function evalContext(): EvalContext {
  return current ?? new EvalContext();
}
