// Argument checking and small value helpers shared by the host builtins.
// Values arrive from the JSON bridge: sets come as arrays, non-string object keys as strings,
// integers beyond 2^53 as bigint (see host/exact-json.ts).

import { BuiltinError } from './types';

export type Json = null | boolean | number | bigint | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: unknown };

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    case 'object':
      return 'object';
    default:
      return typeof v;
  }
}

function typeError(fn: string, pos: number, want: string, got: unknown): BuiltinError {
  return new BuiltinError(fn, `operand ${pos} must be ${want} but got ${typeName(got)}`, 'eval_type_error');
}

export function str(fn: string, pos: number, v: unknown): string {
  if (typeof v !== 'string') throw typeError(fn, pos, 'string', v);
  return v;
}

export function num(fn: string, pos: number, v: unknown): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number') throw typeError(fn, pos, 'number', v);
  return v;
}

/** A number that must be an integer (bigint kept exact when given). */
export function int(fn: string, pos: number, v: unknown): number {
  const n = num(fn, pos, v);
  if (!Number.isInteger(n)) throw new BuiltinError(fn, `operand ${pos} must be an integer number but got ${n}`, 'eval_type_error');
  return n;
}

/** An integer as bigint, exact even for values beyond 2^53 that arrived as bigint. */
export function bigInt(fn: string, pos: number, v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  const n = int(fn, pos, v);
  return BigInt(n);
}

export function arr(fn: string, pos: number, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw typeError(fn, pos, 'array', v);
  return v;
}

/** An array or a set (sets arrive as arrays). */
export function coll(fn: string, pos: number, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw typeError(fn, pos, 'array or set', v);
  return v;
}

export function obj(fn: string, pos: number, v: unknown): JsonObject {
  if (!isObject(v)) throw typeError(fn, pos, 'object', v);
  return v;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function fail(fn: string, message: string): never {
  throw new BuiltinError(fn, message);
}

/** Strings as arrays of code points: OPA indexes strings by rune. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

/** Code-point index of a UTF-16 index into s. */
export function cpIndex(s: string, utf16Index: number): number {
  let n = 0;
  for (let i = 0; i < utf16Index; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < utf16Index) i++;
    n++;
  }
  return n;
}

/** Rego's total order across types: null < boolean < number < string < array < object. */
export function compare(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return (a ? 1 : 0) - (b ? 1 : 0);
    case 2: {
      const x = a as number | bigint;
      const y = b as number | bigint;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 4: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compare(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    default: {
      const x = a as JsonObject;
      const y = b as JsonObject;
      const kx = Object.keys(x).sort();
      const ky = Object.keys(y).sort();
      for (let i = 0; i < Math.min(kx.length, ky.length); i++) {
        if (kx[i] !== ky[i]) return kx[i] < ky[i] ? -1 : 1;
        const c = compare(x[kx[i]], y[ky[i]]);
        if (c !== 0) return c;
      }
      return kx.length - ky.length;
    }
  }
}

function rank(v: unknown): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
    default:
      return Array.isArray(v) ? 4 : 5;
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return compare(a, b) === 0;
}

/** Sorted, de-duplicated array: how a set result travels over the JSON bridge. */
export function toSet(values: Iterable<unknown>): unknown[] {
  const out = [...values].sort(compare);
  return out.filter((v, i) => i === 0 || compare(out[i - 1], v) !== 0);
}
