// JSON text → values, by recursive descent: one function per container kind, with the common
// scalars (strings, i64 integers) parsed inline in their loops and every other value through
// one dispatch function. Children wait on a slot stack, so each array or object is allocated
// once, at its exact size, when it closes. Unescaped strings point into the source text;
// integers that fit in i64 skip the general number path; objects whose keys arrive in strictly
// increasing order (the service sends sorted keys) skip the sort. (An earlier version ran one
// iterative loop with an explicit container stack: its many live variables made the compiled
// loop spill and cost several times as many instructions per value.)

import { malloc, arbiter_heap_ptr } from './mem';
import {
  NULL_V, TRUE_V, FALSE_V, EMPTY_STR, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, N_INT, mkStrAlloc, strPtr,
  SMALL_INTS, smallInt,
} from './value';
import { normalize } from './coll';
import { scanNumber, parseNumber } from './number';

/** Deepest nesting of arrays and objects accepted (deeper text is rejected, not overflowing the stack). */
const MAX_DEPTH: u32 = 1000;

// Pending children of the open containers (u32 value pointers; objects push key then value).
// A static area covers ordinary inputs; a bigger one is taken from the heap when it fills up.
const SLOTS_STATIC: usize = memory.data(4 * 8192, 8);
let slots: usize = SLOTS_STATIC;
let slotCap: u32 = 8192;
/** Slots in use. */
let top: u32 = 0;
/** Open containers. */
let depth: u32 = 0;
/** Strings own their bytes (else unescaped ones point into the source text). */
let copyStrings = false;
/** Where the text of the value parsed last by a called function ends. */
let after: usize = 0;

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** Nonzero when one of the 8 bytes of x is '"', '\\' or a control character (< 0x20). */
@inline function specialBytes(x: u64): u64 {
  const q = x ^ 0x2222222222222222;
  const b = x ^ 0x5c5c5c5c5c5c5c5c;
  return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((x - 0x2020202020202020) & ~x)) & HIGHS;
}

/**
 * Finds the closing quote of the string whose text starts at p. Returns its address, with bit
 * 31 set when the text contains escapes; 0 when the string is malformed (unterminated or a raw
 * control character). Linear memory is at most 1 GiB, so bit 31 is free.
 */
@inline function scanString(p: usize, end: usize): usize {
  let q = p;
  let esc: usize = 0;
  while (true) {
    if (q + 8 <= end) {
      const m = specialBytes(load<u64>(q));
      if (m == 0) { q += 8; continue; }
      // The lowest flagged byte is exact (borrows only flag bytes above a real match).
      q += <usize>(ctz(m) >> 3);
    } else {
      if (q >= end) return 0;
      const c = load<u8>(q);
      if (c != 34 && c != 92 && c >= 32) { q++; continue; }
    }
    const c = load<u8>(q);
    if (c == 34) return q | esc;
    if (c == 92) { esc = 0x80000000; q += 2; continue; }
    return 0;
  }
}

/** A string value for the text [p, q); `esc`: decode escapes; `copy`: own the bytes. */
@inline function makeString(p: usize, q: usize, esc: bool, copy: bool): usize {
  const n = <u32>(q - p);
  if (n == 0) return EMPTY_STR;
  if (esc) return decodeEscaped(p, n);
  if (copy) {
    const c = mkStrAlloc(n);
    memory.copy(strPtr(c), p, n);
    return c;
  }
  const v = alloc(12);
  store<u32>(v, T_STRING);
  store<u32>(v, n, 4);
  store<u32>(v, <u32>p, 8);
  return v;
}

function hex4(p: usize): i32 {
  let r: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const c = <i32>load<u8>(p + i);
    let d: i32;
    if (c >= 48 && c <= 57) d = c - 48;
    else if ((c | 32) >= 97 && (c | 32) <= 102) d = (c | 32) - 87;
    else return -1;
    r = (r << 4) | d;
  }
  return r;
}

function putUtf8(o: usize, cp: u32): usize {
  if (cp < 0x80) { store<u8>(o, <u8>cp); return o + 1; }
  if (cp < 0x800) {
    store<u8>(o, <u8>(0xc0 | (cp >> 6)));
    store<u8>(o + 1, <u8>(0x80 | (cp & 63)));
    return o + 2;
  }
  if (cp < 0x10000) {
    store<u8>(o, <u8>(0xe0 | (cp >> 12)));
    store<u8>(o + 1, <u8>(0x80 | ((cp >> 6) & 63)));
    store<u8>(o + 2, <u8>(0x80 | (cp & 63)));
    return o + 3;
  }
  store<u8>(o, <u8>(0xf0 | (cp >> 18)));
  store<u8>(o + 1, <u8>(0x80 | ((cp >> 12) & 63)));
  store<u8>(o + 2, <u8>(0x80 | ((cp >> 6) & 63)));
  store<u8>(o + 3, <u8>(0x80 | (cp & 63)));
  return o + 4;
}

/**
 * Decodes string text with escapes into a new string value (0 on a bad escape). Escapes never
 * make the text longer. Lone surrogates become U+FFFD.
 */
function decodeEscaped(start: usize, n: u32): usize {
  const v = mkStrAlloc(n);
  let o = strPtr(v);
  let p = start;
  const stop = start + n;
  while (p < stop) {
    const c = load<u8>(p);
    if (c != 92) { store<u8>(o++, c); p++; continue; }
    const e = load<u8>(p + 1);
    p += 2;
    switch (e) {
      case 34: store<u8>(o++, 34); break;
      case 92: store<u8>(o++, 92); break;
      case 47: store<u8>(o++, 47); break;
      case 98: store<u8>(o++, 8); break;
      case 102: store<u8>(o++, 12); break;
      case 110: store<u8>(o++, 10); break;
      case 114: store<u8>(o++, 13); break;
      case 116: store<u8>(o++, 9); break;
      case 117: {
        if (p + 4 > stop) return 0;
        let cp = hex4(p);
        if (cp < 0) return 0;
        p += 4;
        if (cp >= 0xd800 && cp < 0xdc00) {
          // A high surrogate: combine with a following low surrogate.
          if (p + 6 <= stop && load<u8>(p) == 92 && load<u8>(p + 1) == 117) {
            const lo = hex4(p + 2);
            if (lo >= 0xdc00 && lo < 0xe000) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              p += 6;
            } else cp = 0xfffd;
          } else cp = 0xfffd;
        } else if (cp >= 0xdc00 && cp < 0xe000) cp = 0xfffd;
        o = putUtf8(o, <u32>cp);
        break;
      }
      default: return 0;
    }
  }
  store<u32>(v, <u32>(o - strPtr(v)), 4);
  return v;
}

/** a < b for string values (byte order). */
@inline function strLess(a: usize, b: usize): bool {
  const an = load<u32>(a, 4), bn = load<u32>(b, 4);
  const ap = <usize>load<u32>(a, 8), bp = <usize>load<u32>(b, 8);
  const n = an < bn ? an : bn;
  for (let i: usize = 0; i < <usize>n; i++) {
    const x = load<u8>(ap + i), y = load<u8>(bp + i);
    if (x != y) return x < y;
  }
  return an < bn;
}

// Allocation during a parse: the heap pointer stays 8-aligned and memory is known to extend to
// `limit`, so an allocation is an add and a compare.
let limit: usize = 0;

@inline function alloc(size: usize): usize {
  const p = arbiter_heap_ptr;
  const e = p + ((size + 7) & ~<usize>7);
  if (e > limit) return allocSlow(size);
  arbiter_heap_ptr = e;
  return p;
}

function allocSlow(size: usize): usize {
  const p = malloc(size);
  limit = <usize>memory.size() << 16;
  return p;
}

/** Makes room for `need` slots, moving the stack to a bigger heap block. */
function growSlots(need: u32): void {
  let c = slotCap * 2;
  if (c < need) c = need;
  const p = malloc(<usize>c << 2);
  memory.copy(p, slots, <usize>slotCap << 2);
  slots = p;
  slotCap = c;
}

/**
 * Whether the keys of the object entries in slots [base, t) strictly increase: then the object
 * needs no sort (checked here in a loop of its own rather than as each key is read, which left
 * the parse loop with more live values than registers).
 */
function keysIncrease(base: u32, t: u32): bool {
  if (t - base <= 2) return true;
  let at = slots + (<usize>base << 2);
  const stop = slots + (<usize>t << 2) - 8;
  for (; at < stop; at += 8) {
    if (!strLess(load<u32>(at), load<u32>(at, 8))) return false;
  }
  return true;
}

/** The collection closing with children slots [base, top); pops them. */
@inline function close(kind: u32, base: u32, sorted: bool): usize {
  const n = top - base;
  const v = alloc(16 + (<usize>n << 2));
  const count = kind == T_OBJECT ? n >> 1 : n;
  store<u32>(v, kind);
  store<u32>(v, count, 4);
  store<u32>(v, count, 8);
  store<u32>(v, <u32>(v + 16), 12);
  // A loop of 8-byte moves (an object entry each): memory.copy costs a call into the engine,
  // too much for a few pointers.
  const from = slots + (<usize>base << 2);
  const to = v + 16;
  const bytes = <usize>n << 2;
  let i: usize = 0;
  for (; i + 8 <= bytes; i += 8) store<u64>(to + i, load<u64>(from + i));
  if (i < bytes) store<u32>(to + i, load<u32>(from + i));
  top = base;
  if (!sorted) normalize(v);
  return v;
}

/** The integer value m. */
@inline function makeInt(m: i64): usize {
  if (<u64>m < <u64>SMALL_INTS) return smallInt(m);
  const v = alloc(16);
  store<u32>(v, T_NUMBER);
  store<u32>(v, N_INT, 4);
  store<i64>(v, m, 8);
  return v;
}

@inline function isWs(c: u32): bool {
  // One compare for the common case (no whitespace in compact JSON).
  return c <= 32 && (c == 32 || c == 10 || c == 13 || c == 9);
}

/** The first position at or after p that is not whitespace (end if none). */
@inline function skipWs(p: usize, end: usize): usize {
  while (p < end && isWs(<u32>load<u8>(p))) p++;
  return p;
}

/** The string whose opening quote is at p; sets `after`. 0 when malformed. */
@inline function stringAt(p: usize, end: usize): usize {
  const r = scanString(p + 1, end);
  if (r == 0) return 0;
  const q = r & 0x7fffffff;
  after = q + 1;
  return makeString(p + 1, q, r != q, copyStrings);
}

/**
 * The number starting at p (first byte c); sets `after`. Integers of up to 19 plain digits that
 * fit i64 are read inline; everything else goes through scanNumber / parseNumber. 0 when malformed.
 */
@inline function numberAt(p: usize, c: u32, end: usize): usize {
  let q = p;
  if (c == 45) q++;
  const d0 = q;
  let m: u64 = 0;
  while (q < end) {
    const d = <u32>load<u8>(q) - 48;
    if (d >= 10) break;
    m = m * 10 + <u64>d;
    q++;
  }
  const nd = q - d0;
  const next = q < end ? <u32>load<u8>(q) : 0;
  if (nd - 1 < 19 && (nd == 1 || load<u8>(d0) != 48) && next != 46 && (next | 32) != 101
    && m <= (c == 45 ? <u64>0x8000000000000000 : <u64>0x7fffffffffffffff)) {
    after = q;
    return makeInt(c == 45 ? <i64>(0 - m) : <i64>m);
  }
  return generalNumber(p, end);
}

function generalNumber(p: usize, end: usize): usize {
  const e = scanNumber(p, end);
  if (e == 0) return 0;
  after = e;
  return parseNumber(p, <u32>(e - p), copyStrings);
}

/** Any value starting at p (first byte c, not whitespace); sets `after`. 0 when malformed. */
function valueAt(p: usize, c: u32, end: usize): usize {
  if (c == 34) return stringAt(p, end);
  if (c == 123) return objectAt(p + 1, end);
  if (c == 91) return arrayAt(p + 1, end);
  if (c == 45 || c - 48 < 10) return numberAt(p, c, end);
  if (c == 116) {
    if (p + 4 > end || load<u32>(p) != 0x65757274) return 0;
    after = p + 4;
    return TRUE_V;
  }
  if (c == 102) {
    if (p + 5 > end || load<u32>(p + 1) != 0x65736c61) return 0;
    after = p + 5;
    return FALSE_V;
  }
  if (c == 110) {
    if (p + 4 > end || load<u32>(p) != 0x6c6c756e) return 0;
    after = p + 4;
    return NULL_V;
  }
  return 0;
}

/**
 * An element or entry value at p (first byte c): strings and integers inline, the rest through
 * valueAt (with `top` synced: a nested container stacks its children above the caller's).
 */
@inline function childAt(p: usize, c: u32, end: usize, t: u32): usize {
  if (c == 34) return stringAt(p, end);
  if (c - 48 < 10) return numberAt(p, c, end);
  top = t;
  if (c == 123) return objectAt(p + 1, end);
  if (c == 91) return arrayAt(p + 1, end);
  return valueAt(p, c, end);
}

// The container loops keep the slot stack's top in a local (`t`; a global costs a load or a
// store each time) and store it to `top` only before a nested container, which stacks its
// children above and leaves `top` as it found it.

/** The array whose text continues at p (just after '['); sets `after`. */
function arrayAt(p: usize, end: usize): usize {
  if (depth >= MAX_DEPTH) return 0;
  depth++;
  const base = top;
  let t = base;
  p = skipWs(p, end);
  if (p >= end) return 0;
  let c = <u32>load<u8>(p);
  if (c != 93) {
    while (true) {
      const v = childAt(p, c, end, t);
      if (v == 0) return 0;
      if (t >= slotCap) growSlots(t + 1);
      store<u32>(slots + (<usize>t << 2), <u32>v);
      t++;
      p = after;
      if (p >= end) return 0;
      c = <u32>load<u8>(p);
      if (c <= 32) {
        p = skipWs(p, end);
        if (p >= end) return 0;
        c = <u32>load<u8>(p);
      }
      if (c != 44) break;
      p++;
      if (p >= end) return 0;
      c = <u32>load<u8>(p);
      if (c <= 32) {
        p = skipWs(p, end);
        if (p >= end) return 0;
        c = <u32>load<u8>(p);
      }
    }
    if (c != 93) return 0;
  }
  after = p + 1;
  depth--;
  top = t;
  return close(T_ARRAY, base, true);
}

/** The object whose text continues at p (just after '{'); sets `after`. */
function objectAt(p: usize, end: usize): usize {
  if (depth >= MAX_DEPTH) return 0;
  depth++;
  const base = top;
  let t = base;
  p = skipWs(p, end);
  if (p >= end) return 0;
  let c = <u32>load<u8>(p);
  if (c != 125) {
    while (true) {
      if (c != 34) return 0;
      const k = stringAt(p, end);
      if (k == 0) return 0;
      p = after;
      if (p >= end) return 0;
      c = <u32>load<u8>(p);
      if (c <= 32) {
        p = skipWs(p, end);
        if (p >= end) return 0;
        c = <u32>load<u8>(p);
      }
      if (c != 58) return 0;
      p++;
      if (p >= end) return 0;
      c = <u32>load<u8>(p);
      if (c <= 32) {
        p = skipWs(p, end);
        if (p >= end) return 0;
        c = <u32>load<u8>(p);
      }
      const v = childAt(p, c, end, t);
      if (v == 0) return 0;
      if (t + 2 > slotCap) growSlots(t + 2);
      const at = slots + (<usize>t << 2);
      store<u32>(at, <u32>k);
      store<u32>(at, <u32>v, 4);
      t += 2;
      p = after;
      if (p >= end) return 0;
      c = <u32>load<u8>(p);
      if (c <= 32) {
        p = skipWs(p, end);
        if (p >= end) return 0;
        c = <u32>load<u8>(p);
      }
      if (c != 44) break;
      p++;
      if (p >= end) return 0;
      c = <u32>load<u8>(p);
      if (c <= 32) {
        p = skipWs(p, end);
        if (p >= end) return 0;
        c = <u32>load<u8>(p);
      }
    }
    if (c != 125) return 0;
  }
  after = p + 1;
  depth--;
  top = t;
  return close(T_OBJECT, base, keysIncrease(base, t));
}

/** Parses JSON text; 0 on malformed input. copy=false lets strings point into the text. */
export function parseJson(src: usize, n: u32, copy: bool): usize {
  slots = SLOTS_STATIC;
  slotCap = 8192;
  top = 0;
  depth = 0;
  copyStrings = copy;
  arbiter_heap_ptr = (arbiter_heap_ptr + 7) & ~<usize>7;
  limit = <usize>memory.size() << 16;
  const end = src + n;
  const p = skipWs(src, end);
  if (p >= end) return 0;
  const v = valueAt(p, <u32>load<u8>(p), end);
  if (v == 0) return 0;
  if (skipWs(after, end) != end) return 0;
  return v;
}
