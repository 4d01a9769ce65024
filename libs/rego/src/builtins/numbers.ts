// numbers.range, numbers.range_step, bits.*. Ranges are bounded so one call cannot exhaust
// memory; bit operations run on bigint (Go int64 semantics for the shifts' operands).

import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { bigInt, int, num } from './values';
import { exactInt } from './civil';

/** Largest array numbers.range* will build. */
export const MAX_RANGE = 1_000_000;

function build(fn: string, a: number, b: number, step: number): number[] {
  const n = Math.floor(Math.abs(b - a) / step) + 1;
  if (n > MAX_RANGE) throw new BuiltinError(fn, `range of ${n} elements exceeds the limit of ${MAX_RANGE}`);
  const dir = b >= a ? 1 : -1;
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = a + dir * i * step;
  return out;
}

function range(a: unknown, b: unknown): number[] {
  return build('numbers.range', int('numbers.range', 1, a), int('numbers.range', 2, b), 1);
}

function rangeStep(a: unknown, b: unknown, step: unknown): number[] {
  const fn = 'numbers.range_step';
  const s = int(fn, 3, step);
  if (s <= 0) throw new BuiltinError(fn, 'step must be a positive number above zero');
  return build(fn, int(fn, 1, a), int(fn, 2, b), s);
}

function bits2(name: string, op: (x: bigint, y: bigint) => bigint): (a: unknown, b: unknown) => number | bigint {
  const fn = `bits.${name}`;
  return (a, b) => exactInt(op(bigInt(fn, 1, a), bigInt(fn, 2, b)));
}

function shiftAmount(fn: string, v: unknown): bigint {
  const n = bigInt(fn, 2, v);
  if (n < 0n) throw new BuiltinError(fn, 'shift amount must be non-negative');
  if (n > 4096n) throw new BuiltinError(fn, 'shift amount too large');
  return n;
}

export const NUMBER_BUILTINS: Record<string, HostBuiltin> = {
  'numbers.range': range,
  'numbers.range_step': rangeStep,
  'bits.or': bits2('or', (x, y) => x | y),
  'bits.and': bits2('and', (x, y) => x & y),
  'bits.xor': bits2('xor', (x, y) => x ^ y),
  'bits.negate': (a: unknown) => exactInt(~bigInt('bits.negate', 1, a)),
  'bits.lsh': (a: unknown, b: unknown) => exactInt(bigInt('bits.lsh', 1, a) << shiftAmount('bits.lsh', b)),
  'bits.rsh': (a: unknown, b: unknown) => exactInt(bigInt('bits.rsh', 1, a) >> shiftAmount('bits.rsh', b)),
  abs: (a: unknown) => (typeof a === 'bigint' ? (a < 0n ? -a : a) : Math.abs(num('abs', 1, a))),
};
