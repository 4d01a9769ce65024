// JSON parsing into values and JSON / Rego-syntax dumping.

import { malloc } from './mem';
import {
  NULL_V, TRUE_V, FALSE_V, EMPTY_STR, T_NULL, T_BOOL, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, N_BIG,
  tag, len, elem, objKey, objVal, strPtr, numKind, mkColl, mkStrRef, mkStrAlloc, arrPush, insertAt,
} from './value';
import { normalize } from './coll';
import { scanNumber, parseNumber, formatNumber } from './number';
import { newWriter, wreserve, wadvance, wbyte, wbytes, wascii, wfinish } from './writer';

// Parser state (one parse at a time; builtins never re-enter the parser mid-parse).
let pos: usize = 0;
let end: usize = 0;
let failed = false;
let copyStrings = false;

@inline function skipWs(): void {
  while (pos < end) {
    const c = load<u8>(pos);
    if (c == 32 || c == 10 || c == 13 || c == 9) pos++;
    else break;
  }
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

function parseString(): usize {
  // pos is just after the opening quote.
  const start = pos;
  let escapes = false;
  while (pos < end) {
    const c = load<u8>(pos);
    if (c == 34) break;
    if (c == 92) { escapes = true; pos += 2; continue; }
    if (c < 32) { failed = true; return 0; }
    pos++;
  }
  if (pos >= end) { failed = true; return 0; }
  const n = <u32>(pos - start);
  pos++;
  if (n == 0) return EMPTY_STR;
  if (!escapes) {
    if (!copyStrings) return mkStrRef(start, n);
    const v = mkStrAlloc(n);
    memory.copy(strPtr(v), start, n);
    return v;
  }
  // Escapes never make the text longer.
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
        if (p + 4 > stop) { failed = true; return 0; }
        let cp = hex4(p);
        if (cp < 0) { failed = true; return 0; }
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
      default: failed = true; return 0;
    }
  }
  store<u32>(v, <u32>(o - strPtr(v)), 4);
  return v;
}

function matchWord(w: u32, n: u32): bool {
  // Compares the next n (3 or 4) bytes against a little-endian packed word.
  if (pos + n > end) return false;
  const got = n == 4 ? load<u32>(pos) : (<u32>load<u16>(pos) | (<u32>load<u8>(pos + 2) << 16));
  if (got != w) return false;
  pos += n;
  return true;
}

function parseValue(depth: i32): usize {
  if (depth > 1000) { failed = true; return 0; }
  skipWs();
  if (pos >= end) { failed = true; return 0; }
  const c = load<u8>(pos);
  if (c == 34) { pos++; return parseString(); }
  if (c == 123) {
    pos++;
    const o = mkColl(T_OBJECT, 4);
    skipWs();
    if (pos < end && load<u8>(pos) == 125) { pos++; return o; }
    let sorted = true;
    while (true) {
      skipWs();
      if (pos >= end || load<u8>(pos) != 34) { failed = true; return 0; }
      pos++;
      const k = parseString();
      if (failed) return 0;
      skipWs();
      if (pos >= end || load<u8>(pos) != 58) { failed = true; return 0; }
      pos++;
      const v = parseValue(depth + 1);
      if (failed) return 0;
      const n = len(o);
      if (sorted && n > 0 && !strLess(objKey(o, n - 1), k)) sorted = false;
      insertAt(o, n, k, v);
      skipWs();
      if (pos >= end) { failed = true; return 0; }
      const d = load<u8>(pos++);
      if (d == 44) continue;
      if (d == 125) break;
      failed = true;
      return 0;
    }
    if (!sorted) normalize(o);
    return o;
  }
  if (c == 91) {
    pos++;
    const a = mkColl(T_ARRAY, 4);
    skipWs();
    if (pos < end && load<u8>(pos) == 93) { pos++; return a; }
    while (true) {
      const v = parseValue(depth + 1);
      if (failed) return 0;
      arrPush(a, v);
      skipWs();
      if (pos >= end) { failed = true; return 0; }
      const d = load<u8>(pos++);
      if (d == 44) continue;
      if (d == 93) break;
      failed = true;
      return 0;
    }
    return a;
  }
  if (c == 116) { if (matchWord(0x65757274, 4)) return TRUE_V; failed = true; return 0; }
  if (c == 102) { pos++; if (matchWord(0x65736c61, 4)) return FALSE_V; failed = true; return 0; }
  if (c == 110) { if (matchWord(0x6c6c756e, 4)) return NULL_V; failed = true; return 0; }
  const q = scanNumber(pos, end);
  if (q == 0) { failed = true; return 0; }
  const v = parseNumber(pos, <u32>(q - pos), copyStrings);
  pos = q;
  return v;
}

function strLess(a: usize, b: usize): bool {
  const an = len(a), bn = len(b);
  const n = an < bn ? an : bn;
  const c = memory.compare(strPtr(a), strPtr(b), n);
  if (c != 0) return c < 0;
  return an < bn;
}

/** Parses JSON text; 0 on malformed input. copy=false lets strings point into the text. */
export function parseJson(p: usize, n: u32, copy: bool): usize {
  pos = p;
  end = p + n;
  failed = false;
  copyStrings = copy;
  const v = parseValue(0);
  if (failed) return 0;
  skipWs();
  if (pos != end) return 0;
  return v;
}

// ---- dumping -------------------------------------------------------------------------------

const HEX: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

export function writeString(w: usize, p: usize, n: u32): void {
  // Worst case every byte becomes \u00XX.
  let o = wreserve(w, n * 6 + 2);
  const o0 = o;
  store<u8>(o++, 34);
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c >= 32 && c != 34 && c != 92) { store<u8>(o++, c); continue; }
    store<u8>(o++, 92);
    if (c == 34 || c == 92) store<u8>(o++, c);
    else if (c == 10) store<u8>(o++, 110);
    else if (c == 9) store<u8>(o++, 116);
    else if (c == 13) store<u8>(o++, 114);
    else {
      store<u8>(o, 117);
      store<u8>(o + 1, 48);
      store<u8>(o + 2, 48);
      store<u8>(o + 3, load<u8>(HEX + (c >> 4)));
      store<u8>(o + 4, load<u8>(HEX + (c & 15)));
      o += 5;
    }
  }
  store<u8>(o++, 34);
  wadvance(w, <u32>(o - o0));
}

export function writeNumber(w: usize, v: usize): void {
  if (numKind(v) == N_BIG) {
    wbytes(w, load<u32>(v, 8), load<u32>(v, 12));
    return;
  }
  const p = wreserve(w, 40);
  const n = formatNumber(v, p);
  wadvance(w, n);
}

/**
 * rego=false: compact JSON (sets as arrays, non-string keys as their JSON text);
 * rego=true: Rego syntax as OPA prints terms (`{1, 2}`, `{"a": 1}`, `set()`).
 */
export function writeValue(w: usize, v: usize, rego: bool): void {
  switch (tag(v)) {
    case T_NULL: wascii(w, "null"); return;
    case T_BOOL: wascii(w, load<u32>(v, 4) != 0 ? "true" : "false"); return;
    case T_NUMBER: writeNumber(w, v); return;
    case T_STRING: writeString(w, strPtr(v), len(v)); return;
    case T_ARRAY:
    case T_SET: {
      const n = len(v);
      const set = tag(v) == T_SET && rego;
      if (set && n == 0) { wascii(w, "set()"); return; }
      wbyte(w, set ? 123 : 91);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) { wbyte(w, 44); if (rego) wbyte(w, 32); }
        writeValue(w, elem(v, i), rego);
      }
      wbyte(w, set ? 125 : 93);
      return;
    }
    case T_OBJECT: {
      const n = len(v);
      wbyte(w, 123);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) { wbyte(w, 44); if (rego) wbyte(w, 32); }
        const k = objKey(v, i);
        if (tag(k) == T_STRING || rego) writeValue(w, k, rego);
        else {
          const kw = newWriter(32);
          writeValue(kw, k, false);
          writeString(w, load<u32>(kw), load<u32>(kw, 4));
        }
        wbyte(w, 58);
        if (rego) wbyte(w, 32);
        writeValue(w, objVal(v, i), rego);
      }
      wbyte(w, 125);
      return;
    }
  }
}

export function dumpJson(v: usize): usize {
  const w = newWriter(256);
  writeValue(w, v, false);
  return wfinish(w);
}

export function dumpRego(v: usize): usize {
  const w = newWriter(256);
  writeValue(w, v, true);
  return wfinish(w);
}

export { malloc, T_SET };
