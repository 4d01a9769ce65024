// Value layout in linear memory (all values are pointers; 0 means "undefined"):
//   every value: tag u32 @0
//   bool:   value u32 @4
//   number: kind u32 @4 (INT | FLOAT | BIG); INT: i64 @8; FLOAT: f64 @8;
//           BIG (integer beyond i64): text ptr @8, text len @12, approximation f64 @16
//   string: byte length u32 @4, UTF-8 bytes ptr @8
//   array:  len u32 @4, cap u32 @8, elements ptr @12 (u32 value pointers)
//   object: len u32 @4, cap u32 @8, entries ptr @12 (key,value pointer pairs sorted by key)
//   set:    len u32 @4, cap u32 @8, elements ptr @12 (sorted, no duplicates)
// The tag order is OPA's type order, so comparing values of different types compares tags.
// The code generator lays out constant values with this same layout (codegen/layout.ts).

import { malloc, copyShort } from './mem';

export const T_NULL: u32 = 1;
export const T_BOOL: u32 = 2;
export const T_NUMBER: u32 = 3;
export const T_STRING: u32 = 4;
export const T_ARRAY: u32 = 5;
export const T_OBJECT: u32 = 6;
export const T_SET: u32 = 7;

export const N_INT: u32 = 0;
export const N_FLOAT: u32 = 1;
export const N_BIG: u32 = 2;

// Static singletons (in the runtime's data segment, never on the heap).
export const NULL_V: usize = memory.data<u32>([1, 0]);
export const FALSE_V: usize = memory.data<u32>([2, 0]);
export const TRUE_V: usize = memory.data<u32>([2, 1]);
export const EMPTY_STR: usize = memory.data<u32>([4, 0, 0]);

@inline export function tag(v: usize): u32 {
  return load<u32>(v);
}
@inline export function len(v: usize): u32 {
  return load<u32>(v, 4);
}
@inline export function cap(v: usize): u32 {
  return load<u32>(v, 8);
}
@inline export function items(v: usize): usize {
  return load<u32>(v, 12);
}
@inline export function strPtr(v: usize): usize {
  return load<u32>(v, 8);
}
@inline export function elem(v: usize, i: u32): usize {
  return load<u32>(load<u32>(v, 12) + (<usize>i << 2));
}
@inline export function objKey(v: usize, i: u32): usize {
  return load<u32>(load<u32>(v, 12) + (<usize>i << 3));
}
@inline export function objVal(v: usize, i: u32): usize {
  return load<u32>(load<u32>(v, 12) + (<usize>i << 3), 4);
}
@inline export function numKind(v: usize): u32 {
  return load<u32>(v, 4);
}
@inline export function intVal(v: usize): i64 {
  return load<i64>(v, 8);
}

@inline export function mkBool(b: bool): usize {
  return b ? TRUE_V : FALSE_V;
}

/** Integers 0..SMALL_INTS-1 as static values: counts and array indexes allocate nothing. */
export const SMALL_INTS: i64 = 256;
export const SMALL_INT_VALUES: usize = memory.data(16 * <i32>SMALL_INTS, 8);
for (let i: i64 = 0; i < SMALL_INTS; i++) {
  const v = SMALL_INT_VALUES + (<usize>i << 4);
  store<u32>(v, T_NUMBER);
  store<u32>(v, N_INT, 4);
  store<i64>(v, i, 8);
}

/** The static value of a small integer (0 <= i < SMALL_INTS). */
@inline export function smallInt(i: i64): usize {
  return SMALL_INT_VALUES + (<usize>i << 4);
}

export function mkInt(i: i64): usize {
  if (<u64>i < <u64>SMALL_INTS) return smallInt(i);
  const v = malloc(16);
  store<u32>(v, T_NUMBER);
  store<u32>(v, N_INT, 4);
  store<i64>(v, i, 8);
  return v;
}

export function mkFloat(f: f64): usize {
  // Integral floats that fit i64 become ints so that arithmetic stays exact.
  if (f == Math.trunc(f) && f >= -9.2e18 && f <= 9.2e18) return mkInt(<i64>f);
  const v = malloc(16);
  store<u32>(v, T_NUMBER);
  store<u32>(v, N_FLOAT, 4);
  store<f64>(v, f, 8);
  return v;
}

export function mkBig(text: usize, n: u32, approx: f64): usize {
  const v = malloc(24);
  store<u32>(v, T_NUMBER);
  store<u32>(v, N_BIG, 4);
  store<u32>(v, <u32>text, 8);
  store<u32>(v, n, 12);
  store<f64>(v, approx, 16);
  return v;
}

export function toF64(v: usize): f64 {
  const k = numKind(v);
  if (k == N_INT) return <f64>load<i64>(v, 8);
  if (k == N_FLOAT) return load<f64>(v, 8);
  return load<f64>(v, 16);
}

/** The string value over existing bytes (no copy). */
export function mkStrRef(p: usize, n: u32): usize {
  const v = malloc(12);
  store<u32>(v, T_STRING);
  store<u32>(v, n, 4);
  store<u32>(v, <u32>p, 8);
  return v;
}

export function mkStrCopy(p: usize, n: u32): usize {
  const v = malloc(12 + n);
  const b = v + 12;
  copyShort(b, p, n);
  store<u32>(v, T_STRING);
  store<u32>(v, n, 4);
  store<u32>(v, <u32>b, 8);
  return v;
}

/** A string value with n uninitialised bytes to fill. */
export function mkStrAlloc(n: u32): usize {
  const v = malloc(12 + n);
  store<u32>(v, T_STRING);
  store<u32>(v, n, 4);
  store<u32>(v, <u32>(v + 12), 8);
  return v;
}

/** An empty array, object or set with room for `c` elements. */
export function mkColl(t: u32, c: u32): usize {
  const width: usize = t == T_OBJECT ? 8 : 4;
  const v = malloc(16 + width * c);
  store<u32>(v, t);
  store<u32>(v, 0, 4);
  store<u32>(v, c, 8);
  store<u32>(v, <u32>(v + 16), 12);
  return v;
}

/** Ensures room for one more element (doubling). */
export function reserve(v: usize, need: u32): void {
  const c = cap(v);
  if (need <= c) return;
  let nc: u32 = c < 4 ? 4 : c * 2;
  if (nc < need) nc = need;
  const width: usize = tag(v) == T_OBJECT ? 8 : 4;
  const nb = malloc(width * nc);
  copyShort(nb, items(v), width * len(v));
  store<u32>(v, nc, 8);
  store<u32>(v, <u32>nb, 12);
}

export function arrPush(a: usize, x: usize): void {
  const n = len(a);
  if (n >= cap(a)) reserve(a, n + 1);
  store<u32>(items(a) + (<usize>n << 2), <u32>x);
  store<u32>(a, n + 1, 4);
}

/** Insertion into a sorted collection at index i (makes room, shifts the tail). */
export function insertAt(v: usize, i: u32, k: usize, x: usize): void {
  const n = len(v);
  if (n >= cap(v)) reserve(v, n + 1);
  const obj = tag(v) == T_OBJECT;
  const width: usize = obj ? 8 : 4;
  const base = items(v);
  const at = base + width * i;
  if (i < n) {
    // The tail moves up one entry (overlapping: a word loop from the end, or memory.copy).
    const bytes = width * (n - i);
    if (bytes >= 64) memory.copy(at + width, at, bytes);
    else for (let j = bytes; j > 0; j -= 4) store<u32>(at + width + j - 4, load<u32>(at + j - 4));
  }
  store<u32>(at, <u32>k);
  if (obj) store<u32>(at, <u32>x, 4);
  store<u32>(v, n + 1, 4);
}

export function removeAt(v: usize, i: u32): void {
  const n = len(v);
  const width: usize = tag(v) == T_OBJECT ? 8 : 4;
  const at = items(v) + width * i;
  memory.copy(at, at + width, width * (n - i - 1));
  store<u32>(v, n - 1, 4);
}
