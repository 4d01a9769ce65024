// array.* builtins (also implemented in the Wasm runtime; kept here for host fallback).

import type { HostBuiltin } from './types';
import { arr, int } from './values';

function concat(a: unknown, b: unknown): unknown[] {
  return [...arr('array.concat', 1, a), ...arr('array.concat', 2, b)];
}

/** array.slice clamps both indexes into range; start > stop gives []. */
function slice(a: unknown, start: unknown, stop: unknown): unknown[] {
  const xs = arr('array.slice', 1, a);
  const lo = Math.max(0, int('array.slice', 2, start));
  const hi = Math.min(xs.length, int('array.slice', 3, stop));
  return lo >= hi ? [] : xs.slice(lo, hi);
}

function reverse(a: unknown): unknown[] {
  return [...arr('array.reverse', 1, a)].reverse();
}

export const ARRAY_BUILTINS: Record<string, HostBuiltin> = {
  'array.concat': concat,
  'array.slice': slice,
  'array.reverse': reverse,
};
