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
  private readonly uuids = new Map<string, string>();
  private readonly rands = new Map<string, number>();
  readonly errors: BuiltinFailure[] = [];

  constructor(opts: { nowNs?: bigint | string | number; pinned?: PinnedValues } = {}) {
    const pinnedNow = opts.nowNs ?? opts.pinned?.nowNs;
    this.nowNs = pinnedNow !== undefined ? BigInt(pinnedNow) : wallClockNs();
    for (const [k, v] of Object.entries(opts.pinned?.uuid ?? {})) this.uuids.set(k, v);
    for (const [k, v] of Object.entries(opts.pinned?.rand ?? {})) this.rands.set(k, v);
  }

  uuid(key: string): string {
    let v = this.uuids.get(key);
    if (v === undefined) {
      v = newUuidV4();
      this.uuids.set(key, v);
    }
    return v;
  }

  randIntn(key: string, n: number): number {
    const k = `${key}\u0000${n}`;
    let v = this.rands.get(k);
    if (v === undefined) {
      v = n === 0 ? 0 : n < 2 ** 48 ? randomInt(0, n) : Number(randomBytes(8).readBigUInt64BE() % BigInt(n));
      this.rands.set(k, v);
    }
    return v;
  }

  pinned(): PinnedValues {
    const out: PinnedValues = { nowNs: this.nowNs.toString() };
    if (this.uuids.size) out.uuid = Object.fromEntries(this.uuids);
    if (this.rands.size) out.rand = Object.fromEntries(this.rands);
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
