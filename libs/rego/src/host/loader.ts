// Loads a policy Wasm module (Arbiter's own or one built by `opa build -t wasm`) and evaluates
// it with Arbiter's host builtins.
//
// opa-wasm's LoadedPolicy does the data/heap bookkeeping; the module is instantiated here with
// Arbiter's own import object rather than through opa-wasm's loadPolicy, because that path
// (a) lets opa-wasm's JS builtins (sprintf-js, JS RegExp…) shadow ours for OPA-built modules,
// (b) parses builtin arguments with JSON.parse, losing integers beyond 2^53 (nanosecond
// timestamps), and (c) lets a builtin's exception escape `evaluate` instead of making the call
// undefined. Arguments and results cross the boundary as exact JSON (builtins/exact-json.ts).

import { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { WA, WasmGlobal, WasmInstance, WasmMemory, WasmModule } from './wasm-api';
import { HOST_BUILTINS, ARBITER_PREFIX } from '../builtins';
import type { HostBuiltin } from '../builtins/types';
import { BuiltinError } from '../builtins/types';
import { EvalContext, PinnedValues, BuiltinFailure, withEvalContext, enterEvalContext, leaveEvalContext } from '../builtins/context';
import { parseExact, stringifyExact } from '../builtins/exact-json';
import { fuelBudget, fuelUsed, isFuelAbort, setFuel } from './fuel';
import { PRECOMPUTE_BEGIN, PRECOMPUTE_DROP, PRECOMPUTE_RUN } from '../codegen/precompute';

/**
 * Step budget for precomputing one data-only rule: 5x the service's default per-evaluation
 * budget. A rule that needs more is dropped (and evaluated per call, where the evaluation's own
 * budget stops it as before); one that fits is charged its steps by every evaluation using it.
 */
const PRECOMPUTE_FUEL = 5_000_000;
import { printLine } from './print-line';
import { setStrictBuiltinErrors } from './strict-flag';

export interface LoadOptions {
  /** Base document (`data`). */
  data?: unknown;
  /** Initial linear memory, in 64 KiB pages (default 5). */
  memoryPages?: number;
  /** Upper bound on linear memory, in pages (default 16384 = 1 GiB). */
  maxMemoryPages?: number;
  /** Extra or overriding host builtins, by the name the module imports them under. */
  builtins?: Record<string, HostBuiltin>;
}

export interface EvaluateOptions {
  /** Pins time.now_ns() for this evaluation (nanoseconds since the epoch). */
  nowNs?: bigint | string | number;
  /** Values recorded by an earlier evaluation: replays reproduce them. */
  pinned?: PinnedValues;
  /** OPA's strict builtin errors: a builtin error aborts evaluation instead of being undefined. */
  strictBuiltinErrors?: boolean;
  /**
   * Integers beyond 2^53 in the result come back as exact bigint (default: plain numbers, as
   * opa-wasm does, so results stay JSON.stringify-able).
   */
  exactNumbers?: boolean;
  /**
   * The JSON of the input, as text or UTF-8 bytes: evaluated instead of `input` (text is
   * encoded straight into the module's memory, without an intermediate buffer).
   */
  inputJson?: string | Uint8Array;
  /**
   * Fuel budget (a positive integer; default unlimited): the evaluation aborts with
   * `eval_fuel_exhausted` after that many steps (function calls, loop iterations, result elements
   * of size-proportional builtins). Deterministic: a replay with the same budget ends the same way.
   */
  fuel?: number | bigint;
}

export interface Evaluation {
  /** The opa-wasm result set, e.g. [{ result: … }]; [] when undefined. */
  result: unknown;
  /** now_ns and every uuid.rfc4122 / rand.intn value used — pass back as `pinned` to replay. */
  pinned: PinnedValues;
  /** Builtin errors that made a call undefined (non-strict mode). */
  builtinErrors: BuiltinFailure[];
  /** Lines written by print(). */
  prints: string[];
  /** Fuel burned (absent for modules without fuel metering, e.g. built by `opa build`). */
  fuelUsed?: number;
}

export class PolicyLoadError extends Error {
  constructor(
    readonly code: 'invalid_wasm' | 'unsupported_abi' | 'unknown_builtin' | 'missing_export',
    message: string,
  ) {
    super(message);
  }
}

export class PolicyEvalError extends Error {
  constructor(
    readonly code: 'eval_abort' | 'eval_builtin_error' | 'eval_type_error' | 'unknown_entrypoint' | 'eval_fuel_exhausted',
    message: string,
  ) {
    super(message);
  }
}

interface Exports {
  memory?: WasmMemory;
  opa_malloc(n: number): number;
  opa_json_parse(addr: number, len: number): number;
  opa_json_dump(addr: number): number;
  opa_heap_ptr_get(): number;
  opa_heap_ptr_set(addr: number): void;
  opa_eval?(reserved: number, entrypoint: number, data: number, input: number, inputLen: number, heap: number, format: number): number;
  opa_eval_ctx_new(): number;
  opa_eval_ctx_set_input(ctx: number, addr: number): void;
  opa_eval_ctx_set_data(ctx: number, addr: number): void;
  opa_eval_ctx_set_entrypoint(ctx: number, ep: number): void;
  opa_eval_ctx_get_result(ctx: number): number;
  eval(ctx: number): number;
  builtins(): number;
  opa_wasm_abi_version?: WasmGlobal | number;
  opa_wasm_abi_minor_version?: WasmGlobal | number;
}

/** State shared between the import object and the policy (the instance exists only later). */
class Bridge {
  exports!: Exports;
  memory!: WasmMemory;
  /** Builtin id → implementation (filled from the module's `builtins` export). */
  impls: (HostBuiltin | undefined)[] = [];
  names: string[] = [];
  ctx: EvalContext | undefined;
  strict = false;
  prints: string[] = [];

  /**
   * A Buffer over the module memory. Memory growth detaches the old ArrayBuffer (its views then
   * have length 0), so the view is renewed only then: reading `memory.buffer` is a call into the
   * engine, too slow to make several times per evaluation.
   */
  private view: Buffer | undefined;

  bytes(): Buffer {
    let v = this.view;
    if (v === undefined || v.byteLength === 0) v = this.view = Buffer.from(this.memory.buffer as ArrayBuffer);
    return v;
  }

  /** Makes the memory at least `end` bytes long. */
  ensure(end: number): Buffer {
    const v = this.bytes();
    if (end <= v.byteLength) return v;
    this.memory.grow(Math.ceil((end - v.byteLength) / 65536));
    return this.bytes();
  }

  cString(addr: number): string {
    const view = this.bytes();
    const end = view.indexOf(0, addr);
    return view.toString('utf8', addr, end < 0 ? view.length : end);
  }

  dump(addr: number): unknown {
    return parseExact(this.cString(this.exports.opa_json_dump(addr)));
  }

  load(value: unknown): number {
    if (value === undefined) return 0;
    return this.loadBytes(new TextEncoder().encode(stringifyExact(value)));
  }

  /** Parses UTF-8 JSON text into the module's heap. */
  loadBytes(bytes: Uint8Array): number {
    const ptr = this.exports.opa_malloc(bytes.length);
    this.bytes().set(bytes, ptr);
    const addr = this.exports.opa_json_parse(ptr, bytes.length);
    if (addr === 0) throw new PolicyEvalError('eval_abort', 'host builtin result could not be loaded into the module');
    return addr;
  }

  call(id: number, argAddrs: number[]): number {
    const name = this.names[id] ?? `#${id}`;
    const impl = this.impls[id];
    if (!impl) throw new PolicyEvalError('eval_builtin_error', `builtin ${name} is not implemented`);
    const args = argAddrs.map((a) => this.dump(a));
    let result: unknown;
    try {
      result = impl(...args);
    } catch (e) {
      const err = e instanceof BuiltinError ? e : new BuiltinError(name, e instanceof Error ? e.message : String(e));
      if (this.strict) throw new PolicyEvalError(err.code, `${err.code}: ${err.message}`);
      this.ctx?.errors.push({ builtin: err.builtin, message: err.message, code: err.code });
      return 0;
    }
    return this.load(result);
  }
}

/** print() support: the lines go to the evaluation's `prints`. */
function printBuiltin(bridge: Bridge): HostBuiltin {
  return (args: unknown) => {
    bridge.prints.push(printLine(args));
    return true;
  };
}

/** The code of a runtime abort: strict builtin errors name theirs (`eval_type_error: …`). */
function abortCode(msg: string): PolicyEvalError['code'] {
  if (msg.startsWith('eval_builtin_error:')) return 'eval_builtin_error';
  if (msg.startsWith('eval_type_error:')) return 'eval_type_error';
  return 'eval_abort';
}

function importObject(bridge: Bridge, memory: WasmMemory): object {
  return {
    env: {
      memory,
      opa_abort: (addr: number) => {
        const msg = bridge.cString(addr);
        throw new PolicyEvalError(isFuelAbort(msg) ? 'eval_fuel_exhausted' : abortCode(msg), msg);
      },
      opa_println: (addr: number) => {
        bridge.prints.push(bridge.cString(addr));
      },
      opa_builtin0: (id: number) => bridge.call(id, []),
      opa_builtin1: (id: number, _ctx: number, a: number) => bridge.call(id, [a]),
      opa_builtin2: (id: number, _ctx: number, a: number, b: number) => bridge.call(id, [a, b]),
      opa_builtin3: (id: number, _ctx: number, a: number, b: number, c: number) => bridge.call(id, [a, b, c]),
      opa_builtin4: (id: number, _ctx: number, a: number, b: number, c: number, d: number) => bridge.call(id, [a, b, c, d]),
    },
  };
}

function globalValue(g: WasmGlobal | number | undefined): number | undefined {
  return g === undefined ? undefined : typeof g === 'number' ? g : (g.value as number);
}

function resolveBuiltin(name: string, extra: Record<string, HostBuiltin>, bridge: Bridge): HostBuiltin | undefined {
  if (extra[name]) return extra[name];
  if (name === 'internal.print' || name === ARBITER_PREFIX + 'internal.print') return printBuiltin(bridge);
  const bare = name.startsWith(ARBITER_PREFIX) ? name.slice(ARBITER_PREFIX.length) : name;
  return HOST_BUILTINS[name] ?? HOST_BUILTINS[bare];
}

export class ArbiterPolicy {
  private readonly inner: LoadedPolicy;
  private readonly minor: number;

  /** Entrypoint name → id. */
  readonly entrypoints: Readonly<Record<string, number>>;

  /** @internal use loadPolicy */
  constructor(
    private readonly bridge: Bridge,
    instance: WasmInstance,
    minor: number,
  ) {
    this.minor = minor;
    this.inner = new LoadedPolicy(instance as never, bridge.memory as never, minor);
    this.entrypoints = Object.freeze({ ...(this.inner.entrypoints as Record<string, number>) });
    this.entrypointIds = new Set(Object.values(this.entrypoints));
  }

  /** Replaces the base document (and precomputes the rules that depend on it alone). */
  setData(data: unknown): void {
    this.inner.setData(new TextEncoder().encode(stringifyExact(data ?? {})).buffer as ArrayBuffer);
    this.precompute();
  }

  /** Rules precomputed for the current data (0 for modules without the precompute exports). */
  precomputed = 0;

  /**
   * Evaluates the module's data-only rules once (codegen/precompute.ts) with the heap just past
   * the data, and keeps their values there: later evaluations start their heap after them. A rule
   * whose computation fails, runs out of its (large) fuel budget, meets a builtin error (computed
   * in strict mode) or prints is dropped and evaluated per call as before, where its error shows
   * up as usual.
   */
  private precompute(): void {
    const x = this.bridge.exports as unknown as Record<string, unknown>;
    const begin = x[PRECOMPUTE_BEGIN] as ((data: number) => number) | undefined;
    const run = x[PRECOMPUTE_RUN] as ((i: number) => void) | undefined;
    const drop = x[PRECOMPUTE_DROP] as ((i: number) => void) | undefined;
    this.precomputed = 0;
    if (typeof begin !== 'function' || typeof run !== 'function' || typeof drop !== 'function') return;
    const inner = this.inner as unknown as { dataAddr: number; dataHeapPtr: number };
    const bridge = this.bridge;
    bridge.exports.opa_heap_ptr_set(inner.dataHeapPtr);
    setFuel(x, PRECOMPUTE_FUEL);
    const n = begin(inner.dataAddr);
    const ctx = new EvalContext({});
    bridge.ctx = ctx;
    // Strict: any builtin error (runtime or host) aborts the rule's computation, so the rule is
    // dropped and each evaluation meets the error itself, strict or not.
    bridge.strict = true;
    setStrictBuiltinErrors(x, true);
    bridge.prints = [];
    try {
      for (let i = 0; i < n; i++) {
        const errors = ctx.errors.length;
        // A dropped rule's allocations are given back (nothing refers to them any more).
        const mark = bridge.exports.opa_heap_ptr_get();
        try {
          withEvalContext(ctx, () => run(i));
        } catch {
          drop(i);
          bridge.exports.opa_heap_ptr_set(mark);
          continue;
        }
        if (ctx.errors.length > errors || bridge.prints.length > 0) {
          drop(i);
          bridge.exports.opa_heap_ptr_set(mark);
          bridge.prints = [];
          continue;
        }
        this.precomputed++;
      }
    } finally {
      bridge.ctx = undefined;
      bridge.strict = false;
      setStrictBuiltinErrors(x, false);
      this.moduleStrict = false;
      // The precompute budget is still set: the next evaluation sets its own.
      this.moduleFuel = undefined;
      inner.dataHeapPtr = bridge.exports.opa_heap_ptr_get();
    }
  }

  /** Names of the builtins the module imports. */
  get builtins(): string[] {
    return [...this.bridge.names].filter((n) => n !== undefined);
  }

  /**
   * `input` is a value, or — like opa-wasm's own evaluate — its JSON text already encoded as
   * UTF-8 in a Uint8Array/ArrayBuffer (a caller that serializes the input anyway passes the
   * bytes and skips a second serialization here). `opts.inputJson` (text or UTF-8 bytes), when
   * given, is evaluated instead of `input`: text is encoded straight into the module's memory.
   */
  evaluate(input: unknown, entrypoint: string | number = 0, opts: EvaluateOptions = {}): Evaluation {
    const ep = typeof entrypoint === 'number' ? entrypoint : this.entrypoints[entrypoint];
    if (ep === undefined || !this.entrypointIds.has(ep)) {
      throw new PolicyEvalError('unknown_entrypoint', `entrypoint ${String(entrypoint)} is not in this policy (have: ${Object.keys(this.entrypoints).join(', ')})`);
    }
    const budget = fuelBudget(opts.fuel);
    const ctx = new EvalContext({ nowNs: opts.nowNs, pinned: opts.pinned });
    const bridge = this.bridge;
    bridge.ctx = ctx;
    const strict = opts.strictBuiltinErrors ?? false;
    bridge.strict = strict;
    bridge.prints = [];
    const exports = bridge.exports as unknown as Record<string, unknown>;
    const prev = enterEvalContext(ctx);
    try {
      this.setModuleStrict(strict);
      // The budget stays set in the module: it is set again only when it changes.
      if (budget !== this.moduleFuel) {
        this.metered = setFuel(exports, budget);
        this.moduleFuel = budget;
      }
      const json = opts.inputJson;
      const result = typeof json === 'string' ? this.run(undefined, json, ep, opts.exactNumbers ?? false) : this.run(json ?? input, undefined, ep, opts.exactNumbers ?? false);
      const out: Evaluation = { result, pinned: ctx.pinned(), builtinErrors: ctx.errors, prints: bridge.prints };
      if (this.metered) out.fuelUsed = fuelUsed(exports);
      return out;
    } catch (e) {
      if (e instanceof PolicyEvalError) throw e;
      throw new PolicyEvalError('eval_abort', e instanceof Error ? e.message : String(e));
    } finally {
      leaveEvalContext(prev);
      bridge.ctx = undefined;
      if (strict) this.setModuleStrict(false);
      bridge.strict = false;
    }
  }

  /** Entrypoint ids, for validating numeric entrypoints. */
  private readonly entrypointIds: ReadonlySet<number>;
  /** The fuel budget last set in the module (undefined: unknown, set it). */
  private moduleFuel: number | undefined;
  /** Whether the module is metered (known once a budget was set). */
  private metered = false;
  /** The module's strict builtin errors flag as last set (undefined: unknown). */
  private moduleStrict: boolean | undefined;

  private setModuleStrict(on: boolean): void {
    if (this.moduleStrict === on) return;
    setStrictBuiltinErrors(this.bridge.exports as unknown as Record<string, unknown>, on);
    this.moduleStrict = on;
  }

  /** Evaluates `input` (a value or UTF-8 JSON bytes), or `json` text when given. */
  private run(input: unknown, json: string | undefined, ep: number, exact: boolean): unknown {
    const bridge = this.bridge;
    const x = bridge.exports;
    const inner = this.inner as unknown as { dataAddr: number; dataHeapPtr: number };
    let text: string;
    if (this.minor >= 2 && x.opa_eval) {
      // ABI 1.2: write the input JSON right after the data, then one opa_eval call.
      const inputAddr = inner.dataHeapPtr;
      let len: number;
      if (json !== undefined) {
        len = Buffer.byteLength(json, 'utf8');
        bridge.ensure(inputAddr + len).write(json, inputAddr, len, 'utf8');
      } else {
        const bytes = input === undefined ? EMPTY : (jsonBytes(input) ?? new TextEncoder().encode(stringifyExact(input)));
        len = bytes.length;
        bridge.ensure(inputAddr + len).set(bytes, inputAddr);
      }
      text = bridge.cString(x.opa_eval(0, ep, inner.dataAddr, len ? inputAddr : 0, len, inputAddr + len, 0));
    } else {
      x.opa_heap_ptr_set(inner.dataHeapPtr);
      const raw = json !== undefined ? Buffer.from(json, 'utf8') : jsonBytes(input);
      const inputAddr = raw ? bridge.loadBytes(raw) : bridge.load(input);
      const ctx = x.opa_eval_ctx_new();
      if (inputAddr) x.opa_eval_ctx_set_input(ctx, inputAddr);
      x.opa_eval_ctx_set_data(ctx, inner.dataAddr);
      x.opa_eval_ctx_set_entrypoint(ctx, ep);
      x.eval(ctx);
      text = bridge.cString(x.opa_json_dump(x.opa_eval_ctx_get_result(ctx)));
    }
    return exact ? parseExact(text) : JSON.parse(text);
  }
}

const EMPTY = new Uint8Array(0);

/** Input passed as pre-serialized UTF-8 JSON (Uint8Array or ArrayBuffer), else undefined. */
function jsonBytes(input: unknown): Uint8Array | undefined {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  return undefined;
}

/**
 * Instantiates a policy module with Arbiter's host builtins. Every builtin the module imports
 * must have an implementation (under its own name, or `arbiter.<name>` for the names opa-wasm
 * would shadow); otherwise loading fails with `unknown_builtin`.
 */
export async function loadPolicy(wasm: Uint8Array | ArrayBuffer | WasmModule, opts: LoadOptions = {}): Promise<ArbiterPolicy> {
  let module: WasmModule;
  try {
    module = wasm instanceof WA.Module ? wasm : await WA.compile(wasm as Uint8Array | ArrayBuffer);
  } catch (e) {
    throw new PolicyLoadError('invalid_wasm', `not a valid WebAssembly module: ${(e as Error).message}`);
  }
  const importsMemory = WA.Module.imports(module).some((i) => i.module === 'env' && i.name === 'memory' && i.kind === 'memory');
  const bridge = new Bridge();
  const ownMemory = new WA.Memory({ initial: opts.memoryPages ?? 5, maximum: opts.maxMemoryPages ?? 16384 });
  let instance: WasmInstance;
  try {
    instance = await WA.instantiate(module, importObject(bridge, ownMemory));
  } catch (e) {
    throw new PolicyLoadError('invalid_wasm', `cannot instantiate policy module: ${(e as Error).message}`);
  }
  const exports = instance.exports as unknown as Exports;
  for (const name of ['opa_malloc', 'opa_json_parse', 'opa_json_dump', 'opa_heap_ptr_get', 'opa_heap_ptr_set', 'builtins', 'entrypoints'] as const) {
    if (typeof (exports as unknown as Record<string, unknown>)[name] !== 'function') throw new PolicyLoadError('missing_export', `policy module does not export ${name}`);
  }
  bridge.exports = exports;
  bridge.memory = importsMemory ? ownMemory : (exports.memory ?? ownMemory);

  const abi = globalValue(exports.opa_wasm_abi_version);
  if (abi !== undefined && abi !== 1) throw new PolicyLoadError('unsupported_abi', `unsupported ABI version ${abi}`);
  const minor = globalValue(exports.opa_wasm_abi_minor_version) ?? 0;

  const wanted = bridge.dump(exports.builtins()) as Record<string, number>;
  const missing: string[] = [];
  for (const [name, id] of Object.entries(wanted)) {
    bridge.names[id] = name;
    bridge.impls[id] = resolveBuiltin(name, opts.builtins ?? {}, bridge);
    if (!bridge.impls[id]) missing.push(name);
  }
  if (missing.length) throw new PolicyLoadError('unknown_builtin', `policy uses builtins with no host implementation: ${missing.sort().join(', ')}`);

  const policy = new ArbiterPolicy(bridge, instance, minor);
  if (opts.data !== undefined) policy.setData(opts.data);
  return policy;
}
