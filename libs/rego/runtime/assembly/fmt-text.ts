// Text helpers for sprintf: Go's strconv.Quote, Rego's term text (as OPA's String() prints
// values handed to %v), code-point counting and digit strings in bases 2/8/10/16.

import {
  T_NULL, T_BOOL, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET,
  tag, len, elem, objKey, objVal, strPtr,
} from './value';
import { wbyte, wbytes, wascii } from './writer';
import { writeNumber } from './json';
import { writeJsFloat } from './fmt-float';
import { numKind, N_FLOAT } from './value';

const HEXL: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
const HEXU: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 65, 66, 67, 68, 69, 70]);
const LIMBS: usize = memory.data(4 * 256, 8);
const OUT: usize = memory.data(8192, 8);
/** Longest decimal text writeBigDigits converts to another base. */
export const MAX_BIG_DIGITS: u32 = 2250;

@inline export function hexDigit(d: u32, upper: bool): u8 {
  return load<u8>((upper ? HEXU : HEXL) + d);
}

/** Byte length of the UTF-8 sequence starting with byte c. */
@inline export function seqLen(c: u8): u32 {
  if (c < 0x80) return 1;
  if (c < 0xe0) return 2;
  if (c < 0xf0) return 3;
  return 4;
}

export function decodeAt(p: usize): u32 {
  const c = <u32>load<u8>(p);
  if (c < 0x80) return c;
  if (c < 0xe0) return ((c & 0x1f) << 6) | (load<u8>(p + 1) & 0x3f);
  if (c < 0xf0) return ((c & 0x0f) << 12) | ((<u32>load<u8>(p + 1) & 0x3f) << 6) | (load<u8>(p + 2) & 0x3f);
  return ((c & 0x07) << 18) | ((<u32>load<u8>(p + 1) & 0x3f) << 12) | ((<u32>load<u8>(p + 2) & 0x3f) << 6) | (load<u8>(p + 3) & 0x3f);
}

export function countCps(p: usize, n: u32): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) c++;
  return c;
}

/** Byte length of the first `k` code points of [p, p+n). */
export function cpPrefix(p: usize, n: u32, k: u32): u32 {
  let i: u32 = 0;
  while (i < n && k > 0) { i += seqLen(load<u8>(p + i)); k--; }
  return i > n ? n : i;
}

export function writeCp(w: usize, cp: u32): void {
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate cannot be UTF-8
  if (cp < 0x80) wbyte(w, <u8>cp);
  else if (cp < 0x800) { wbyte(w, <u8>(0xc0 | (cp >> 6))); wbyte(w, <u8>(0x80 | (cp & 0x3f))); }
  else if (cp < 0x10000) {
    wbyte(w, <u8>(0xe0 | (cp >> 12))); wbyte(w, <u8>(0x80 | ((cp >> 6) & 0x3f))); wbyte(w, <u8>(0x80 | (cp & 0x3f)));
  } else {
    wbyte(w, <u8>(0xf0 | (cp >> 18))); wbyte(w, <u8>(0x80 | ((cp >> 12) & 0x3f)));
    wbyte(w, <u8>(0x80 | ((cp >> 6) & 0x3f))); wbyte(w, <u8>(0x80 | (cp & 0x3f)));
  }
}

/**
 * Non-ASCII code points that are letters, marks, numbers, punctuation or symbols (Go's and the
 * host's "printable"). Without Unicode tables this excludes the known controls, format
 * characters, separators, surrogates, private use and noncharacters; unassigned code points in
 * other ranges count as printable here (the host escapes them).
 */
function printable(cp: u32): bool {
  if (cp < 0xa1) return false; // C1 controls and U+00A0
  if (cp == 0xad || (cp >= 0x600 && cp <= 0x605) || cp == 0x61c || cp == 0x6dd || cp == 0x70f) return false;
  if (cp == 0x8e2 || cp == 0x180e || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200f)) return false;
  if ((cp >= 0x2028 && cp <= 0x202f) || (cp >= 0x205f && cp <= 0x206f) || cp == 0x3000) return false;
  if ((cp >= 0xd800 && cp <= 0xf8ff) || cp == 0xfeff || (cp >= 0xfff0 && cp <= 0xfffb)) return false;
  if ((cp & 0xfffe) == 0xfffe || (cp >= 0xfdd0 && cp <= 0xfdef)) return false;
  if (cp == 0x110bd || cp == 0x110cd || (cp >= 0x13430 && cp <= 0x1343f) || (cp >= 0x1bca0 && cp <= 0x1bca3)) return false;
  if ((cp >= 0x1d173 && cp <= 0x1d17a) || (cp >= 0xe0000 && cp <= 0xe0fff) || cp >= 0xf0000) return false;
  return true;
}

function hexEscape(w: usize, prefix: u8, cp: u32, digits: i32): void {
  wbyte(w, 92);
  wbyte(w, prefix);
  for (let i = digits - 1; i >= 0; i--) wbyte(w, hexDigit((cp >> (<u32>i * 4)) & 15, false));
}

/** Go's strconv.Quote of the UTF-8 bytes [p, p+n). */
export function goQuote(w: usize, p: usize, n: u32): void {
  wbyte(w, 34);
  let i: u32 = 0;
  while (i < n) {
    const c = load<u8>(p + i);
    if (c < 0x80) {
      i++;
      if (c == 34 || c == 92) { wbyte(w, 92); wbyte(w, c); }
      else if (c >= 32 && c < 127) wbyte(w, c);
      else if (c == 7) { wbyte(w, 92); wbyte(w, 97); }
      else if (c == 8) { wbyte(w, 92); wbyte(w, 98); }
      else if (c == 12) { wbyte(w, 92); wbyte(w, 102); }
      else if (c == 10) { wbyte(w, 92); wbyte(w, 110); }
      else if (c == 13) { wbyte(w, 92); wbyte(w, 114); }
      else if (c == 9) { wbyte(w, 92); wbyte(w, 116); }
      else if (c == 11) { wbyte(w, 92); wbyte(w, 118); }
      else hexEscape(w, 120, c, 2);
      continue;
    }
    const l = seqLen(c);
    const cp = decodeAt(p + i);
    if (printable(cp)) wbytes(w, p + i, l);
    else if (cp < 0x10000) hexEscape(w, 117, cp, 4);
    else hexEscape(w, 85, cp, 8);
    i += l;
  }
  wbyte(w, 34);
}

/** A value in Rego's text form (strings Go-quoted, sets in braces). */
export function writeRego(w: usize, v: usize): void {
  const t = tag(v);
  if (t == T_NULL) { wascii(w, "null"); return; }
  if (t == T_BOOL) { wascii(w, load<u32>(v, 4) != 0 ? "true" : "false"); return; }
  if (t == T_NUMBER) {
    // Floats as the host prints them (JSON output's dtoa may pick another round-trip digit).
    if (numKind(v) == N_FLOAT) writeJsFloat(w, load<f64>(v, 8)); else writeNumber(w, v);
    return;
  }
  if (t == T_STRING) { goQuote(w, strPtr(v), len(v)); return; }
  const n = len(v);
  if (t == T_SET && n == 0) { wascii(w, "set()"); return; }
  wbyte(w, t == T_ARRAY ? 91 : 123);
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) { wbyte(w, 44); wbyte(w, 32); }
    if (t == T_OBJECT) {
      writeRego(w, objKey(v, i));
      wbyte(w, 58);
      wbyte(w, 32);
      writeRego(w, objVal(v, i));
    } else writeRego(w, elem(v, i));
  }
  wbyte(w, t == T_ARRAY ? 93 : 125);
}

/** Digits of |x| in `base` (2, 8, 10 or 16). */
export function writeU64(w: usize, x: u64, base: u32, upper: bool): void {
  if (x == 0) { wbyte(w, 48); return; }
  let k = 0;
  const tmp = LIMBS; // 64 bytes suffice for 64 binary digits
  while (x != 0) { store<u8>(tmp + k, hexDigit(<u32>(x % base), upper)); x /= base; k++; }
  while (k > 0) { k--; wbyte(w, load<u8>(tmp + k)); }
}

/** Digits of a decimal digit string [p, p+n) in `base`; base 10 copies. */
export function writeBigDigits(w: usize, p: usize, n: u32, base: u32, upper: bool): void {
  if (base == 10) { wbytes(w, p, n); return; }
  // Decimal text → base-1e9 limbs (most significant first), then repeated division.
  let nl: i32 = 0;
  let first = <i32>(n % 9);
  if (first == 0) first = 9;
  let i: u32 = 0;
  while (i < n) {
    const take: u32 = nl == 0 ? <u32>first : 9;
    let l: u32 = 0;
    for (let j: u32 = 0; j < take; j++) l = l * 10 + (load<u8>(p + i + j) - 48);
    store<u32>(LIMBS + (<usize>nl << 2), l);
    nl++;
    i += take;
  }
  const out = OUT;
  let k = 0;
  let lo = 0;
  while (lo < nl) {
    let rem: u64 = 0;
    for (let j = lo; j < nl; j++) {
      const cur = rem * 1000000000 + load<u32>(LIMBS + (<usize>j << 2));
      store<u32>(LIMBS + (<usize>j << 2), <u32>(cur / base));
      rem = cur % base;
    }
    store<u8>(out + k, hexDigit(<u32>rem, upper));
    k++;
    while (lo < nl && load<u32>(LIMBS + (<usize>lo << 2)) == 0) lo++;
  }
  if (k == 0) { wbyte(w, 48); return; }
  while (k > 0) { k--; wbyte(w, load<u8>(out + k)); }
}
