// Deterministic fuel metering: generated code burns one unit of fuel at every function entry
// and every scan iteration (plus the element count of size-proportional builtin results), and
// aborts with `eval_fuel_exhausted: …` once the budget is spent. Evaluation is synchronous, so
// this is the only way a host can stop a runaway policy; being a count of steps rather than a
// clock, the same budget reproduces the same outcome on replay.
//
// ABI additions (opa-wasm ignores them; a module without them simply runs unmetered):
//   arbiter_fuel_set(budget: f64)  budget for every following evaluation (Infinity = unlimited,
//                                  the default; fractions truncate)
//   arbiter_fuel_used(): f64       fuel burned by the last evaluation
import type { BModule, Binaryen, Expr } from './binaryen';
import type { ConstPool } from './pool';

export const FUEL_SET_EXPORT = 'arbiter_fuel_set';
export const FUEL_USED_EXPORT = 'arbiter_fuel_used';
/** Start of the abort message; the host recognizes fuel exhaustion by it. */
export const FUEL_ABORT_PREFIX = 'eval_fuel_exhausted:';

const REMAINING = 'arbiter_fuel';
const BUDGET = 'arbiter_fuel_budget';
const EXHAUSTED = 'arbiter_fuel_exhausted';
const MSG_HEAD = `${FUEL_ABORT_PREFIX} evaluation used up its fuel budget of `;
const MSG_TAIL = ' steps';
/** Decimal digits of the largest i64. */
const MAX_DIGITS = 19;
const I64_MAX = 2n ** 63n - 1n;

/** Runtime builtins whose work and result grow with their input: charged per result element. */
const SIZED_RUNTIME_BUILTINS = new Set([
  'sort', 'array.concat', 'array.slice', 'array.reverse', 'object.keys', 'object.union',
  'object.remove', 'and', 'or', 'union', 'intersection', 'split',
]);

export function chargesResultSize(builtin: string, host: boolean): boolean {
  return host || SIZED_RUNTIME_BUILTINS.has(builtin);
}

export interface FuelMeter {
  /** Burns `n` units (a constant). */
  charge(n: number): Expr;
  /** Burns an i32 amount computed at run time. */
  chargeDynamic(amount: Expr): Expr;
  /** Burns an i64 amount computed at run time. */
  chargeI64(amount: Expr): Expr;
  /** The fuel left (i64; 0 when unmetered). */
  remaining(): Expr;
  /** Refills the remaining fuel from the budget (start of every evaluation). */
  refill(): Expr;
}

/** A meter whose charges compile to nothing (modules built with `fuel: false`). */
export function noFuel(mod: BModule): FuelMeter {
  return { charge: () => mod.nop(), chargeDynamic: () => mod.nop(), chargeI64: () => mod.nop(), remaining: () => mod.i64.const(BigInt(0)), refill: () => mod.nop() };
}

/** Adds the fuel globals, the exhaustion handler and the two exports; `abort` is rt_abort's internal name. */
export function installFuel(b: Binaryen, mod: BModule, pool: ConstPool, abort: string): FuelMeter {
  const { i64, f64 } = b;
  const unlimited = () => mod.i64.const(I64_MAX);
  mod.addGlobal(REMAINING, i64, true, unlimited());
  mod.addGlobal(BUDGET, i64, true, unlimited());

  addExhausted(b, mod, pool, abort);

  // budget ← trunc_sat(f64): NaN → 0, ±Infinity → i64 bounds.
  mod.addFunction(FUEL_SET_EXPORT, b.createType([f64]), b.none, [], mod.global.set(BUDGET, mod.i64.trunc_s_sat.f64(mod.local.get(0, f64))));
  mod.addFunction(
    FUEL_USED_EXPORT,
    b.none,
    f64,
    [],
    mod.f64.convert_s.i64(mod.i64.sub(mod.global.get(BUDGET, i64), mod.global.get(REMAINING, i64))),
  );
  mod.addFunctionExport(FUEL_SET_EXPORT, FUEL_SET_EXPORT);
  mod.addFunctionExport(FUEL_USED_EXPORT, FUEL_USED_EXPORT);

  const burn = (amount: Expr): Expr =>
    mod.block(null, [
      mod.global.set(REMAINING, mod.i64.sub(mod.global.get(REMAINING, i64), amount)),
      mod.if(mod.i64.lt_s(mod.global.get(REMAINING, i64), mod.i64.const(BigInt(0))), mod.call(EXHAUSTED, [], b.none)),
    ]);
  return {
    charge: (n) => burn(mod.i64.const(BigInt(n))),
    chargeDynamic: (amount) => burn(mod.i64.extend_u(amount)),
    chargeI64: (amount) => burn(amount),
    remaining: () => mod.global.get(REMAINING, i64),
    refill: () => mod.global.set(REMAINING, mod.global.get(BUDGET, i64)),
  };
}

/**
 * The abort handler: formats "<head><budget><tail>" into a scratch buffer in the constant
 * segment (digits right to left, then the head copied in front of them) and aborts with it.
 */
function addExhausted(b: Binaryen, mod: BModule, pool: ConstPool, abort: string): void {
  const { i32, i64 } = b;
  const head = new TextEncoder().encode(MSG_HEAD);
  const headSrc = pool.text(MSG_HEAD).addr;
  // Scratch: room for head + digits, then the tail and its NUL already in place.
  const scratch = pool.text(' '.repeat(head.length + MAX_DIGITS) + MSG_TAIL + '\0').addr;
  const digitsEnd = scratch + head.length + MAX_DIGITS;
  const V = 0; // i64: the number being printed
  const P = 1; // i32: write position (moves left)
  const K = 2; // i32: head bytes left to copy
  const v = () => mod.local.get(V, i64);
  const p = () => mod.local.get(P, i32);
  const k = () => mod.local.get(K, i32);
  const body = mod.block(null, [
    mod.local.set(V, mod.global.get(BUDGET, i64)),
    mod.local.set(P, mod.i32.const(digitsEnd)),
    mod.loop(
      'digits',
      mod.block(null, [
        mod.local.set(P, mod.i32.sub(p(), mod.i32.const(1))),
        mod.i32.store8(0, 1, p(), mod.i32.add(mod.i32.const(48), mod.i32.wrap(mod.i64.rem_u(v(), mod.i64.const(BigInt(10)))))),
        mod.local.set(V, mod.i64.div_u(v(), mod.i64.const(BigInt(10)))),
        mod.br('digits', mod.i64.ne(v(), mod.i64.const(BigInt(0)))),
      ]),
    ),
    mod.local.set(K, mod.i32.const(head.length)),
    mod.loop(
      'head',
      mod.block(null, [
        mod.local.set(K, mod.i32.sub(k(), mod.i32.const(1))),
        mod.local.set(P, mod.i32.sub(p(), mod.i32.const(1))),
        mod.i32.store8(0, 1, p(), mod.i32.load8_u(0, 1, mod.i32.add(mod.i32.const(headSrc), k()))),
        mod.br('head', k()),
      ]),
    ),
    mod.call(abort, [p()], b.none),
    mod.unreachable(),
  ]);
  mod.addFunction(EXHAUSTED, b.none, b.none, [i64, i32, i32], body);
}
