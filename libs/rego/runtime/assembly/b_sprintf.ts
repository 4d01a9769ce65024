// sprintf with the host version's semantics (builtins/sprintf.ts): OPA hands Go's fmt.Sprintf
// integers (int or *big.Int), float64s, strings, and for every other value its Rego text.
// Output is built in a heap writer; each directive's body goes to a scratch writer first so
// that width padding can count code points.

import {
  T_STRING, T_ARRAY, T_NUMBER, N_INT, N_FLOAT, tag, len, elem, strPtr, numKind, mkStrRef, toF64,
} from './value';
import { newWriter, wbyte, wbytes, wascii, wbuf, wlen } from './writer';
import { typeErr, builtinErr, builtinErrWriter, raiseErr } from './err';
import { writeG, writeE, writeFixed, writeJsFloat, decimalDigits, exactDecimal, nd, dp, digitAt } from './fmt-float';
import {
  goQuote, writeRego, countCps, cpPrefix, seqLen, decodeAt, writeCp, writeU64, writeBigDigits,
  hexDigit, MAX_BIG_DIGITS,
} from './fmt-text';

const MAX_WIDTH: i32 = 100000;

// The current argument.
const A_INT: u32 = 0; // i64 in aInt
const A_BIG: u32 = 1; // decimal digits [aP, aP+aN), sign in aNeg
const A_FLOAT: u32 = 2;
const A_STR: u32 = 3; // UTF-8 bytes [aP, aP+aN)
let aV: usize = 0; // the argument value
let aKind: u32 = 0;
let aInt: i64 = 0;
let aF: f64 = 0;
let aP: usize = 0;
let aN: u32 = 0;
let aNeg: bool = false;
let aGoInt: bool = false; // an A_BIG that Go sees as int (a float in [9.2e18, 2^63))

// The current directive.
let fMinus = false, fPlus = false, fSharp = false, fSpace = false, fZero = false;
let width: i32 = -1, prec: i32 = -1;
let verbP: usize = 0, verbN: u32 = 0, verbC: u32 = 0;
let tw: usize = 0; // where the body goes: a scratch writer when padding, else the output
let failed = false;

function fail(msg: string): void {
  failed = true;
  builtinErr("sprintf", msg);
}

function loadArg(v: usize): void {
  aV = v;
  aGoInt = false;
  const t = tag(v);
  if (t == T_NUMBER) {
    const k = numKind(v);
    if (k == N_INT) { aKind = A_INT; aInt = load<i64>(v, 8); return; }
    if (k == N_FLOAT) {
      const f = load<f64>(v, 8);
      // Integral floats below 1e21 reach the host as integer JSON text.
      if (f == Math.trunc(f) && Math.abs(f) < 1e21) {
        exactDecimal(Math.abs(f));
        const w = newWriter(<u32>dp + 1);
        for (let i = 0; i < dp; i++) wbyte(w, i < nd ? digitAt(i) : 48);
        aKind = A_BIG; aP = wbuf(w); aN = wlen(w); aNeg = f < 0;
        aGoInt = Math.abs(f) < 9223372036854775808.0;
        return;
      }
      aKind = A_FLOAT; aF = f; return;
    }
    aKind = A_BIG;
    aP = load<u32>(v, 8); aN = load<u32>(v, 12);
    aNeg = load<u8>(aP) == 45;
    if (aNeg) { aP++; aN--; }
    return;
  }
  aKind = A_STR;
  if (t == T_STRING) { aP = strPtr(v); aN = len(v); return; }
  const w = newWriter(64);
  writeRego(w, v);
  aP = wbuf(w); aN = wlen(w);
}

function goTypeName(w: usize): void {
  if (aKind == A_INT || (aKind == A_BIG && aGoInt)) wascii(w, "int");
  else if (aKind == A_BIG) wascii(w, "*big.Int");
  else if (aKind == A_FLOAT) wascii(w, "float64");
  else wascii(w, "string");
}

function plainValue(w: usize): void {
  if (aKind == A_INT) {
    if (aInt < 0) wbyte(w, 45);
    writeU64(w, aInt < 0 ? <u64>(0 - aInt) : <u64>aInt, 10, false);
  } else if (aKind == A_BIG) { if (aNeg) wbyte(w, 45); wbytes(w, aP, aN); }
  else if (aKind == A_FLOAT) writeG(w, aF, -1, false);
  else wbytes(w, aP, aN);
}

function badVerb(w: usize): void {
  wbyte(w, 37); wbyte(w, 33);
  wbytes(w, verbP, verbN);
  wbyte(w, 40);
  if (aKind == A_BIG && !aGoInt) wascii(w, "big.Int"); else goTypeName(w);
  wbyte(w, 61);
  plainValue(w);
  wbyte(w, 41);
}

/** Writes the body in tw to w, padded to the width (TS pad()). */
function pad(w: usize, zeroOk: bool): void {
  if (width < 0) return; // no width: the body was written straight to w (tw == w)
  const p = wbuf(tw), n = wlen(tw);
  const cps = <i32>countCps(p, n);
  if (cps >= width) { wbytes(w, p, n); return; }
  const fill = width - cps;
  if (fMinus) { wbytes(w, p, n); for (let i = 0; i < fill; i++) wbyte(w, 32); return; }
  if (fZero && zeroOk) {
    let s: u32 = 0;
    if (n > 0) { const c = load<u8>(p); if (c == 43 || c == 45 || c == 32) s = 1; }
    let pre: u32 = 0;
    if (n >= s + 2 && load<u8>(p + s) == 48) {
      const c = load<u8>(p + s + 1);
      if (c == 120 || c == 88 || c == 98 || c == 111) pre = 2;
    }
    wbytes(w, p, s + pre);
    for (let i = 0; i < fill; i++) wbyte(w, 48);
    wbytes(w, p + s + pre, n - s - pre);
    return;
  }
  for (let i = 0; i < fill; i++) wbyte(w, 32);
  wbytes(w, p, n);
}

function sign(neg: bool): void {
  if (neg) wbyte(tw, 45); else if (fPlus) wbyte(tw, 43); else if (fSpace) wbyte(tw, 32);
}

function isZeroInt(): bool {
  return aKind == A_INT ? aInt == 0 : aN == 1 && load<u8>(aP) == 48;
}

function writeAbs(w: usize, base: u32, upper: bool): void {
  if (aKind == A_INT) writeU64(w, aInt < 0 ? <u64>(0 - aInt) : <u64>aInt, base, upper);
  else writeBigDigits(w, aP, aN, base, upper);
}

/** A code point for %c / %q, or -1 after failing like String.fromCodePoint. */
function codePoint(): i64 {
  if (aKind == A_INT && aInt >= 0 && aInt <= 0x10ffff) return aInt;
  // String.fromCodePoint's RangeError, which prints the number as a double.
  failed = true;
  const w = builtinErrWriter("sprintf");
  if (w != 0) {
    wascii(w, "Invalid code point ");
    writeJsFloat(w, toF64(aV));
    raiseErr(w);
  }
  return -1;
}

function formatInt(w: usize): void {
  const neg = aKind == A_INT ? aInt < 0 : aNeg;
  // Base conversion of big integers works in fixed scratch buffers (about 2250 digits).
  const based = verbC == 98 || verbC == 111 || verbC == 79 || verbC == 120 || verbC == 88 || verbC == 85;
  if (aKind == A_BIG && based && aN > MAX_BIG_DIGITS) { fail("integer too long for this verb"); return; }
  let base: u32 = 10;
  let upper = false;
  let prefix: string = "";
  switch (verbC) {
    case 118: case 100: break; // v d
    case 115: if (aKind == A_INT || aGoInt) { badVerb(w); return; } break; // s
    case 98: base = 2; if (fSharp) prefix = "0b"; break;
    case 111: base = 8; if (fSharp) prefix = "0"; break;
    case 79: base = 8; prefix = "0o"; break;
    case 120: base = 16; if (fSharp) prefix = "0x"; break;
    case 88: base = 16; upper = true; if (fSharp) prefix = "0X"; break;
    case 99: { // c
      const cp = codePoint(); if (cp < 0) return;
      writeCp(tw, <u32>cp); pad(w, true); return;
    }
    case 113: { // q
      const cp = codePoint(); if (cp < 0) return;
      wbyte(tw, 39); writeCp(tw, <u32>cp); wbyte(tw, 39); pad(w, false); return;
    }
    case 85: { // U
      wascii(tw, "U+");
      const dw = newWriter(32);
      writeAbs(dw, 16, true);
      for (let i = wlen(dw); i < 4; i++) wbyte(tw, 48);
      wbytes(tw, wbuf(dw), wlen(dw));
      pad(w, false);
      return;
    }
    default: badVerb(w); return;
  }
  sign(neg);
  wascii(tw, prefix);
  if (prec >= 0) {
    if (prec == 0 && isZeroInt()) { pad(w, false); return; }
    const dw = newWriter(32);
    writeAbs(dw, base, upper);
    for (let i = <i32>wlen(dw); i < prec; i++) wbyte(tw, 48);
    wbytes(tw, wbuf(dw), wlen(dw));
    pad(w, false);
    return;
  }
  writeAbs(tw, base, upper);
  pad(w, true);
}

function formatFloat(w: usize): void {
  const x = aF;
  switch (verbC) {
    case 118: case 103: case 71: // v g G
      if (prec > 101) { fail("toExponential() argument must be between 0 and 100"); return; }
      sign(x < 0);
      writeG(tw, Math.abs(x), prec, verbC == 71);
      break;
    case 102: case 70: { // f F
      const p = prec < 0 ? 6 : prec;
      if (p > 100 && Math.abs(x) < 1e21) { fail("toFixed() digits argument must be between 0 and 100"); return; }
      sign(x < 0);
      writeFixed(tw, x, p);
      break;
    }
    case 101: case 69: { // e E
      const p = prec < 0 ? 6 : prec;
      if (p > 100) { fail("toExponential() argument must be between 0 and 100"); return; }
      sign(x < 0);
      decimalDigits(x, p + 1);
      writeE(tw, p, verbC == 69);
      break;
    }
    default: badVerb(w); return;
  }
  pad(w, true);
}

function formatString(w: usize): void {
  switch (verbC) {
    case 118: case 115: // v s
      wbytes(tw, aP, prec >= 0 ? cpPrefix(aP, aN, <u32>prec) : aN);
      break;
    case 113: goQuote(tw, aP, aN); break; // q
    case 120: case 88: { // x X
      const n = prec >= 0 && <u32>prec < aN ? <u32>prec : aN;
      for (let i: u32 = 0; i < n; i++) {
        const b = load<u8>(aP + i);
        wbyte(tw, hexDigit(b >> 4, verbC == 88));
        wbyte(tw, hexDigit(b & 15, verbC == 88));
      }
      break;
    }
    default: badVerb(w); return;
  }
  pad(w, true);
}

/** Reads decimal digits at i (saturating); returns the end, value in `numVal` (-1: none). */
let numVal: i32 = -1;
function readNumber(p: usize, n: u32, i: u32): u32 {
  numVal = -1;
  let v: i64 = 0;
  const s = i;
  while (i < n) {
    const d = <u32>load<u8>(p + i) - 48;
    if (d >= 10) break;
    if (v < 1000000000) v = v * 10 + d;
    i++;
  }
  if (i > s) numVal = <i32>v;
  return i;
}

export function b_sprintf(f: usize, a: usize): usize {
  if (f == 0 || tag(f) != T_STRING) return typeErr("sprintf", 1, "string", f);
  if (a == 0 || tag(a) != T_ARRAY) return typeErr("sprintf", 2, "array", a);
  const p = strPtr(f), n = len(f);
  const argc = len(a);
  const w = newWriter(n + 32);
  let scratch: usize = 0;
  failed = false;
  let next: u32 = 0;
  let i: u32 = 0;
  while (i < n) {
    let j = i;
    while (j < n && load<u8>(p + j) != 37) j++;
    if (j > i) wbytes(w, p + i, j - i);
    if (j >= n) break;
    i = j + 1;
    fMinus = fPlus = fSharp = fSpace = fZero = false;
    for (; i < n; i++) {
      const c = load<u8>(p + i);
      if (c == 45) fMinus = true;
      else if (c == 43) fPlus = true;
      else if (c == 35) fSharp = true;
      else if (c == 32) fSpace = true;
      else if (c == 48) fZero = !fMinus;
      else break;
    }
    i = readNumber(p, n, i);
    width = numVal;
    prec = -1;
    if (i < n && load<u8>(p + i) == 46) {
      i = readNumber(p, n, i + 1);
      prec = numVal < 0 ? 0 : numVal;
    }
    if (width > MAX_WIDTH || prec > MAX_WIDTH) return builtinErr("sprintf", "width or precision above 100000 in format");
    if (i >= n) { wascii(w, "%!(NOVERB)"); break; }
    verbP = p + i;
    verbN = seqLen(load<u8>(verbP));
    if (i + verbN > n) verbN = n - i;
    verbC = decodeAt(verbP);
    i += verbN;
    if (verbC == 37) { wbyte(w, 37); continue; }
    if (next >= argc) {
      wbyte(w, 37); wbyte(w, 33); wbytes(w, verbP, verbN); wascii(w, "(MISSING)");
      continue;
    }
    loadArg(elem(a, next++));
    if (width >= 0) {
      if (scratch == 0) scratch = newWriter(64);
      store<u32>(scratch, 0, 4);
      tw = scratch;
    } else tw = w;
    if (aKind == A_STR) formatString(w);
    else if (aKind == A_FLOAT) formatFloat(w);
    else formatInt(w);
    if (failed) return 0;
  }
  if (next < argc) {
    wascii(w, "%!(EXTRA ");
    for (let k = next; k < argc; k++) {
      if (k > next) wascii(w, ", ");
      loadArg(elem(a, k));
      goTypeName(w);
      wbyte(w, 61);
      plainValue(w);
    }
    wbyte(w, 41);
  }
  return mkStrRef(wbuf(w), wlen(w));
}
