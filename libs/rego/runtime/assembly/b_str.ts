// String builtins. Offsets and lengths are in code points, as in OPA.

import {
  T_STRING, T_ARRAY, T_SET, tag, len, elem, strPtr, mkStrRef, mkStrAlloc, mkColl,
  mkInt, mkBool, arrPush, EMPTY_STR, T_NUMBER, numKind, N_INT,
} from './value';
import { newWriter, wbytes, wlen, wbuf } from './writer';
import { copyShort } from './mem';
import { builtinErr, typeErr, elemErr, intOperandErr } from './err';

@inline function isStr(v: usize): bool { return v != 0 && tag(v) == T_STRING; }

/** The type error of a builtin whose operands are all strings (0 when none is wrong). */
function strOperands(name: string, a: usize, b: usize, c: usize): usize {
  if (!isStr(a)) return typeErr(name, 1, "string", a);
  if (b != 0 && !isStr(b)) return typeErr(name, 2, "string", b);
  return typeErr(name, 3, "string", c);
}

/** Byte length of the UTF-8 sequence starting with byte c. */
@inline function seqLen(c: u8): u32 {
  if (c < 0x80) return 1;
  if (c < 0xe0) return 2;
  if (c < 0xf0) return 3;
  return 4;
}

function decodeAt(p: usize): u32 {
  const c = <u32>load<u8>(p);
  if (c < 0x80) return c;
  if (c < 0xe0) return ((c & 0x1f) << 6) | (load<u8>(p + 1) & 0x3f);
  if (c < 0xf0) return ((c & 0x0f) << 12) | ((<u32>load<u8>(p + 1) & 0x3f) << 6) | (load<u8>(p + 2) & 0x3f);
  return ((c & 0x07) << 18) | ((<u32>load<u8>(p + 1) & 0x3f) << 12) | ((<u32>load<u8>(p + 2) & 0x3f) << 6) | (load<u8>(p + 3) & 0x3f);
}

function find(h: usize, hn: u32, n: usize, nn: u32, from: u32): i32 {
  if (nn == 0) return <i32>from;
  if (nn > hn) return -1;
  const first = load<u8>(n);
  for (let i = from; i + nn <= hn; i++) {
    if (load<u8>(h + i) == first && memory.compare(h + i + 1, n + 1, nn - 1) == 0) return <i32>i;
  }
  return -1;
}

export function b_concat(d: usize, c: usize): usize {
  if (!isStr(d)) return typeErr("concat", 1, "string", d);
  if (c == 0 || (tag(c) != T_ARRAY && tag(c) != T_SET)) return typeErr("concat", 2, "one of {set, array}", c);
  const n = len(c);
  // Checked and measured first, so the result is allocated once at its exact size.
  let total: usize = n > 0 ? <usize>len(d) * (n - 1) : 0;
  for (let i: u32 = 0; i < n; i++) {
    const s = elem(c, i);
    if (!isStr(s)) return elemErr("concat", 2, c, "string", s);
    total += len(s);
  }
  const r = mkStrAlloc(<u32>total);
  let o = strPtr(r);
  for (let i: u32 = 0; i < n; i++) {
    const s = elem(c, i);
    if (i > 0) {
      copyShort(o, strPtr(d), len(d));
      o += len(d);
    }
    copyShort(o, strPtr(s), len(s));
    o += len(s);
  }
  return r;
}

export function b_contains(s: usize, t: usize): usize {
  if (!isStr(s) || !isStr(t)) return strOperands("contains", s, t, 0);
  return mkBool(find(strPtr(s), len(s), strPtr(t), len(t), 0) >= 0);
}

export function b_startswith(s: usize, t: usize): usize {
  if (!isStr(s) || !isStr(t)) return strOperands("startswith", s, t, 0);
  return mkBool(len(t) <= len(s) && memory.compare(strPtr(s), strPtr(t), len(t)) == 0);
}

export function b_endswith(s: usize, t: usize): usize {
  if (!isStr(s) || !isStr(t)) return strOperands("endswith", s, t, 0);
  const sn = len(s), tn = len(t);
  return mkBool(tn <= sn && memory.compare(strPtr(s) + sn - tn, strPtr(t), tn) == 0);
}

/** Case mapping of a two-byte code point (Latin-1, Latin Extended-A, Greek, Cyrillic). */
function mapCp(cp: u32, upper: bool): u32 {
  if (upper) {
    if ((cp >= 0xe0 && cp <= 0xfe && cp != 0xf7)) return cp - 0x20;
    if (cp == 0xff) return 0x178;
    if (cp >= 0x100 && cp <= 0x17f && cp != 0x130 && cp != 0x131 && cp != 0x138 && cp != 0x149) {
      // Pairs: even/odd below U+0138, odd/even from U+0139 to U+0148 and U+0179 to U+017E.
      const oddUpper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e);
      if (oddUpper) { if ((cp & 1) == 0) return cp - 1; } else if ((cp & 1) == 1 && cp != 0x17f) return cp - 1;
      return cp;
    }
    if (cp >= 0x3b1 && cp <= 0x3c9 && cp != 0x3c2) return cp - 0x20;
    if (cp >= 0x430 && cp <= 0x44f) return cp - 0x20;
    if (cp >= 0x450 && cp <= 0x45f) return cp - 0x50;
    return cp;
  }
  if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7)) return cp + 0x20;
  if (cp == 0x178) return 0xff;
  if (cp >= 0x100 && cp <= 0x17f && cp != 0x130 && cp != 0x131 && cp != 0x138 && cp != 0x149) {
    const oddUpper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e);
    if (oddUpper) { if ((cp & 1) == 1) return cp + 1; } else if ((cp & 1) == 0) return cp + 1;
    return cp;
  }
  if (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2) return cp + 0x20;
  if (cp >= 0x410 && cp <= 0x42f) return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40f) return cp + 0x50;
  return cp;
}

function mapCase(s: usize, upper: bool): usize {
  if (!isStr(s)) return typeErr(upper ? "upper" : "lower", 1, "string", s);
  const n = len(s);
  const r = mkStrAlloc(n);
  const p = strPtr(s), o = strPtr(r);
  let i: u32 = 0;
  while (i < n) {
    let c = load<u8>(p + i);
    if (c < 0x80) {
      if (upper) { if (c >= 97 && c <= 122) c -= 32; } else if (c >= 65 && c <= 90) c += 32;
      store<u8>(o + i, c);
      i++;
      continue;
    }
    if (c >= 0xc0 && c < 0xe0 && i + 1 < n) {
      // Every mapped code point stays two bytes long.
      const cp = mapCp(((<u32>c & 0x1f) << 6) | (load<u8>(p + i + 1) & 0x3f), upper);
      store<u8>(o + i, <u8>(0xc0 | (cp >> 6)));
      store<u8>(o + i + 1, <u8>(0x80 | (cp & 0x3f)));
      i += 2;
      continue;
    }
    store<u8>(o + i, c);
    i++;
  }
  return r;
}

export function b_lower(s: usize): usize { return mapCase(s, false); }
export function b_upper(s: usize): usize { return mapCase(s, true); }

export function b_split(s: usize, d: usize): usize {
  if (!isStr(s) || !isStr(d)) return strOperands("split", s, d, 0);
  const p = strPtr(s), n = len(s), dp = strPtr(d), dn = len(d);
  const a = mkColl(T_ARRAY, 4);
  if (dn == 0) {
    let i: u32 = 0;
    while (i < n) {
      const k = min(seqLen(load<u8>(p + i)), n - i);
      arrPush(a, mkStrRef(p + i, k));
      i += k;
    }
    return a;
  }
  let start: u32 = 0;
  while (true) {
    const j = find(p, n, dp, dn, start);
    if (j < 0) break;
    arrPush(a, mkStrRef(p + start, <u32>j - start));
    start = <u32>j + dn;
  }
  arrPush(a, mkStrRef(p + start, n - start));
  return a;
}

function inCutset(cp: u32, cs: usize, cn: u32): bool {
  let i: u32 = 0;
  while (i < cn) {
    if (decodeAt(cs + i) == cp) return true;
    i += seqLen(load<u8>(cs + i));
  }
  return false;
}

/** Start of the last code point that begins before `end`. */
function prevStart(p: usize, end: u32): u32 {
  let i = end - 1;
  while (i > 0 && (load<u8>(p + i) & 0xc0) == 0x80) i--;
  return i;
}

function trimImpl(s: usize, cs: usize, left: bool, right: bool): usize {
  if (!isStr(s) || !isStr(cs)) return strOperands(left ? (right ? "trim" : "trim_left") : "trim_right", s, cs, 0);
  const p = strPtr(s), c = strPtr(cs), cn = len(cs);
  let a: u32 = 0, b = len(s);
  if (left) {
    while (a < b && inCutset(decodeAt(p + a), c, cn)) a += seqLen(load<u8>(p + a));
  }
  if (right) {
    while (b > a) {
      const st = prevStart(p, b);
      if (!inCutset(decodeAt(p + st), c, cn)) break;
      b = st;
    }
  }
  if (a == 0 && b == len(s)) return s;
  return mkStrRef(p + a, b - a);
}

export function b_trim(s: usize, c: usize): usize { return trimImpl(s, c, true, true); }
export function b_trim_left(s: usize, c: usize): usize { return trimImpl(s, c, true, false); }
export function b_trim_right(s: usize, c: usize): usize { return trimImpl(s, c, false, true); }

export function b_trim_space(s: usize): usize {
  if (!isStr(s)) return typeErr("trim_space", 1, "string", s);
  const p = strPtr(s);
  let a: u32 = 0, b = len(s);
  while (a < b && isSpace(load<u8>(p + a))) a++;
  while (b > a && isSpace(load<u8>(p + b - 1))) b--;
  if (a == 0 && b == len(s)) return s;
  return mkStrRef(p + a, b - a);
}
@inline function isSpace(c: u8): bool {
  return c == 32 || (c >= 9 && c <= 13);
}

export function b_trim_prefix(s: usize, t: usize): usize {
  if (!isStr(s) || !isStr(t)) return strOperands("trim_prefix", s, t, 0);
  const tn = len(t);
  if (tn <= len(s) && memory.compare(strPtr(s), strPtr(t), tn) == 0) return mkStrRef(strPtr(s) + tn, len(s) - tn);
  return s;
}

export function b_trim_suffix(s: usize, t: usize): usize {
  if (!isStr(s) || !isStr(t)) return strOperands("trim_suffix", s, t, 0);
  const sn = len(s), tn = len(t);
  if (tn <= sn && memory.compare(strPtr(s) + sn - tn, strPtr(t), tn) == 0) return mkStrRef(strPtr(s), sn - tn);
  return s;
}

function cpCount(p: usize, n: u32): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) c++;
  return c;
}

export function b_indexof(s: usize, t: usize): usize {
  if (!isStr(s) || !isStr(t)) return strOperands("indexof", s, t, 0);
  const j = find(strPtr(s), len(s), strPtr(t), len(t), 0);
  if (j < 0) return mkInt(-1);
  return mkInt(<i64>cpCount(strPtr(s), <u32>j));
}

function intArg(v: usize): i64 {
  if (v == 0 || tag(v) != T_NUMBER || numKind(v) != N_INT) return i64.MIN_VALUE;
  return load<i64>(v, 8);
}

/** Byte offset of code point index k (clamped to n). */
function byteOffset(p: usize, n: u32, k: i64): u32 {
  let i: u32 = 0;
  let c: i64 = 0;
  while (i < n && c < k) { i += seqLen(load<u8>(p + i)); c++; }
  return i < n ? i : n;
}

export function b_substring(s: usize, off: usize, ln: usize): usize {
  if (!isStr(s)) return typeErr("substring", 1, "string", s);
  const o = intArg(off), l = intArg(ln);
  if (o == i64.MIN_VALUE) return intOperandErr("substring", 2, off);
  if (l == i64.MIN_VALUE) return intOperandErr("substring", 3, ln);
  if (o < 0) return builtinErr("substring", "negative offset");
  const p = strPtr(s), n = len(s);
  const a = byteOffset(p, n, o);
  if (a >= n) return EMPTY_STR;
  let b: u32 = n;
  if (l >= 0) b = a + byteOffset(p + a, n - a, l);
  return mkStrRef(p + a, b - a);
}

export function b_replace(s: usize, old: usize, nw: usize): usize {
  if (!isStr(s) || !isStr(old) || !isStr(nw)) return strOperands("replace", s, old, nw);
  const p = strPtr(s), n = len(s), op = strPtr(old), on = len(old);
  const w = newWriter(n + 16);
  if (on == 0) {
    // Go inserts the replacement before every code point and at the end.
    let i: u32 = 0;
    while (i < n) {
      wbytes(w, strPtr(nw), len(nw));
      const k = min(seqLen(load<u8>(p + i)), n - i);
      wbytes(w, p + i, k);
      i += k;
    }
    wbytes(w, strPtr(nw), len(nw));
    return mkStrRef(wbuf(w), wlen(w));
  }
  let start: u32 = 0;
  while (true) {
    const j = find(p, n, op, on, start);
    if (j < 0) break;
    wbytes(w, p + start, <u32>j - start);
    wbytes(w, strPtr(nw), len(nw));
    start = <u32>j + on;
  }
  if (start == 0) return s;
  wbytes(w, p + start, n - start);
  return mkStrRef(wbuf(w), wlen(w));
}


