// Float formatting for sprintf, mirroring the host version (builtins/sprintf.ts): Go's verb
// layout over JavaScript's digit generation — shortest digits as Number#toString gives them,
// fixed/exponent precision rounded half-up on the exact binary value (toFixed/toExponential).
// A decimal lives in DIG[0..nd) with the point after `dp` digits: value = 0.DIG × 10^dp.

import { dtoa_buffered } from 'util/number';
import { wbyte, wascii } from './writer';
import { parseNumber } from './number';
import { toF64 } from './value';

const LIMBS: usize = memory.data(4 * 160, 8); // base-1e9 limbs, little-endian
const DIG: usize = memory.data(1200, 8);
const SCR: usize = memory.data(128, 8);
const EXACT: usize = memory.data(1200, 8);
const TEXT: usize = memory.data(64, 8);
export let nd: i32 = 0;
export let dp: i32 = 0;
let nl: i32 = 0;

@inline export function digitAt(i: i32): u8 { return load<u8>(DIG + i); }

function mulSmall(f: u64): void {
  let carry: u64 = 0;
  for (let i = 0; i < nl; i++) {
    const t = <u64>load<u32>(LIMBS + (<usize>i << 2)) * f + carry;
    store<u32>(LIMBS + (<usize>i << 2), <u32>(t % 1000000000));
    carry = t / 1000000000;
  }
  while (carry != 0) {
    store<u32>(LIMBS + (<usize>nl << 2), <u32>(carry % 1000000000));
    carry /= 1000000000;
    nl++;
  }
}

function stripZeros(): void {
  while (nd > 0 && load<u8>(DIG + nd - 1) == 48) nd--;
}

/** The exact decimal expansion of x > 0 (finite). */
export function exactDecimal(x: f64): void {
  const bits = reinterpret<u64>(x);
  const be = <i32>((bits >> 52) & 0x7ff);
  let m = bits & 0xfffffffffffff;
  let e: i32;
  if (be == 0) e = -1074; else { m |= 0x10000000000000; e = be - 1075; }
  while ((m & 1) == 0 && e < 0) { m >>= 1; e++; }
  nl = 0;
  while (m != 0) { store<u32>(LIMBS + (<usize>nl << 2), <u32>(m % 1000000000)); m /= 1000000000; nl++; }
  let k: i32 = 0;
  if (e > 0) {
    let r = e;
    while (r > 0) { const s = r > 29 ? 29 : r; mulSmall(<u64>1 << s); r -= s; }
  } else if (e < 0) {
    k = -e;
    let r = k;
    while (r > 0) {
      const s = r > 13 ? 13 : r;
      let f: u64 = 1;
      for (let i = 0; i < s; i++) f *= 5;
      mulSmall(f);
      r -= s;
    }
  }
  // Limbs → ASCII digits, most significant first.
  nd = 0;
  let top = load<u32>(LIMBS + (<usize>(nl - 1) << 2));
  let tn = 0;
  const tmp = SCR;
  while (top != 0) { store<u8>(tmp + tn, <u8>(48 + top % 10)); top /= 10; tn++; }
  while (tn > 0) { tn--; store<u8>(DIG + nd, load<u8>(tmp + tn)); nd++; }
  for (let i = nl - 2; i >= 0; i--) {
    let l = load<u32>(LIMBS + (<usize>i << 2));
    for (let j = 8; j >= 0; j--) { store<u8>(DIG + nd + j, <u8>(48 + l % 10)); l /= 10; }
    nd += 9;
  }
  dp = nd - k;
  stripZeros();
}

/**
 * Keeps `keep` digits, rounding half-up (JavaScript's toFixed/toExponential tie rule) or, with
 * `even`, half-to-even (Number#toString's).
 */
export function roundTo(keep: i32, even: bool = false): void {
  if (keep >= nd) return;
  if (keep < 0) { nd = 0; return; }
  let up = load<u8>(DIG + keep) >= 53;
  if (even && load<u8>(DIG + keep) == 53 && keep + 1 == nd) up = keep > 0 && (load<u8>(DIG + keep - 1) & 1) == 1;
  nd = keep;
  if (up) {
    let i = keep - 1;
    while (i >= 0 && load<u8>(DIG + i) == 57) i--;
    if (i < 0) { store<u8>(DIG, 49); nd = 1; dp++; }
    else { store<u8>(DIG + i, load<u8>(DIG + i) + 1); nd = i + 1; }
  }
  stripZeros();
}

/** Whether the current digits (at most 17) read back as x. */
function roundTrips(x: f64): bool {
  let o = TEXT;
  store<u8>(o++, 48); store<u8>(o++, 46);
  for (let i = 0; i < nd; i++) store<u8>(o++, load<u8>(DIG + i));
  store<u8>(o++, 101);
  let e = dp;
  if (e < 0) { store<u8>(o++, 45); e = -e; }
  if (e >= 100) store<u8>(o++, <u8>(48 + e / 100));
  if (e >= 10) store<u8>(o++, <u8>(48 + (e / 10) % 10));
  store<u8>(o++, <u8>(48 + e % 10));
  return toF64(parseNumber(TEXT, <u32>(o - TEXT), false)) == x;
}

/**
 * Shortest round-trip digits of x > 0, closest to x among those (Number#toString's choice).
 * dtoa (Grisu2) gets the length right but may miss the closest last digit or, rarely, a
 * shorter form near 17 digits: those lengths are settled on the exact expansion.
 */
export function shortestDecimal(x: f64): void {
  grisuDecimal(x);
  const g = nd;
  if (g < 16) return;
  exactDecimal(x);
  const ne = nd, de = dp;
  memory.copy(EXACT, DIG, <usize>ne);
  let best = g;
  for (let k = g - 1; k >= 1; k--) {
    roundTo(k, true);
    const ok = roundTrips(x);
    memory.copy(DIG, EXACT, <usize>ne); nd = ne; dp = de;
    if (!ok) break;
    best = k;
  }
  roundTo(best, true);
}

function grisuDecimal(x: f64): void {
  const n = <i32>dtoa_buffered(SCR, x);
  nd = 0;
  let intDigits: i32 = 0;
  let seenPoint = false;
  let exp: i32 = 0;
  let i: i32 = 0;
  let lead = true;
  let zeros: i32 = 0;
  for (; i < n; i++) {
    const c = load<u16>(SCR + (<usize>i << 1));
    if (c == 46) { seenPoint = true; continue; }
    if (c == 101) break;
    if (c < 48 || c > 57) continue;
    if (!seenPoint) intDigits++;
    if (lead && c == 48) { zeros++; continue; }
    lead = false;
    store<u8>(DIG + nd, <u8>c);
    nd++;
  }
  if (i < n) {
    i++;
    let neg = false;
    const s = load<u16>(SCR + (<usize>i << 1));
    if (s == 45) { neg = true; i++; } else if (s == 43) i++;
    for (; i < n; i++) exp = exp * 10 + <i32>(load<u16>(SCR + (<usize>i << 1)) - 48);
    if (neg) exp = -exp;
  }
  dp = intDigits - zeros + exp;
  stripZeros();
}

/** TS decimalDigits: |x| to `sig` significant digits (0 = shortest); zero is "0" with dp 1. */
export function decimalDigits(x: f64, sig: i32): void {
  const a = Math.abs(x);
  if (a == 0) { store<u8>(DIG, 48); nd = 1; dp = 1; return; }
  if (sig == 0) shortestDecimal(a);
  else { exactDecimal(a); roundTo(sig); }
}

function writeExp(w: usize, exp: i32, upper: bool): void {
  wbyte(w, upper ? 69 : 101);
  wbyte(w, exp < 0 ? 45 : 43);
  const e = exp < 0 ? -exp : exp;
  if (e < 10) wbyte(w, 48);
  if (e >= 100) wbyte(w, <u8>(48 + e / 100));
  if (e >= 10) wbyte(w, <u8>(48 + (e / 10) % 10));
  wbyte(w, <u8>(48 + e % 10));
}

function isZeroDec(): bool { return nd == 1 && load<u8>(DIG) == 48; }

/** fmtE over the current decimal. */
export function writeE(w: usize, prec: i32, upper: bool): void {
  wbyte(w, load<u8>(DIG));
  if (prec > 0) {
    wbyte(w, 46);
    for (let i = 1; i <= prec; i++) wbyte(w, i < nd ? load<u8>(DIG + i) : 48);
  }
  writeExp(w, isZeroDec() ? 0 : dp - 1, upper);
}

/** fmtF over the current decimal. */
export function writeF(w: usize, prec: i32): void {
  if (dp > 0) { for (let i = 0; i < dp; i++) wbyte(w, i < nd ? load<u8>(DIG + i) : 48); }
  else wbyte(w, 48);
  if (prec > 0) {
    wbyte(w, 46);
    for (let i = 0; i < prec; i++) {
      const idx = dp + i;
      wbyte(w, idx >= 0 && idx < nd ? load<u8>(DIG + idx) : 48);
    }
  }
}

/** Go's %g over |x| (prec < 0: shortest), with a '-' for negative x. */
export function writeG(w: usize, x: f64, prec: i32, upper: bool): void {
  if (x < 0) wbyte(w, 45);
  decimalDigits(x, prec < 0 ? 0 : prec == 0 ? 1 : prec);
  let p = prec < 0 ? nd : prec == 0 ? 1 : prec;
  let eprec = p;
  if (eprec > nd && nd >= dp) eprec = nd;
  if (prec < 0) eprec = 6;
  const exp = dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (p > nd) p = nd;
    writeE(w, p - 1, upper);
  } else {
    if (p > dp) p = nd;
    writeF(w, p - dp > 0 ? p - dp : 0);
  }
}

/** |x| as toFixed(prec) (exact integer digits from 1e21 up, as BigInt gives them). */
export function writeFixed(w: usize, x: f64, prec: i32): void {
  const a = Math.abs(x);
  if (a == 0) { nd = 0; dp = 0; }
  else { exactDecimal(a); roundTo(dp + prec); }
  if (nd == 0) { dp = 1; store<u8>(DIG, 48); nd = 1; }
  writeF(w, prec);
}

export { wascii };

/** x as JavaScript's Number#toString writes it (shortest digits, closest to x). */
export function writeJsFloat(w: usize, x: f64): void {
  if (x < 0) wbyte(w, 45);
  const a = Math.abs(x);
  if (a == 0) { wbyte(w, 48); return; }
  shortestDecimal(a);
  const k = nd, n = dp;
  if (k <= n && n <= 21) {
    for (let i = 0; i < n; i++) wbyte(w, i < k ? load<u8>(DIG + i) : 48);
  } else if (0 < n && n <= 21) {
    for (let i = 0; i < k; i++) { if (i == n) wbyte(w, 46); wbyte(w, load<u8>(DIG + i)); }
  } else if (-6 < n && n <= 0) {
    wbyte(w, 48); wbyte(w, 46);
    for (let i = 0; i < -n; i++) wbyte(w, 48);
    for (let i = 0; i < k; i++) wbyte(w, load<u8>(DIG + i));
  } else {
    wbyte(w, load<u8>(DIG));
    if (k > 1) { wbyte(w, 46); for (let i = 1; i < k; i++) wbyte(w, load<u8>(DIG + i)); }
    const e = n - 1;
    wbyte(w, 101);
    wbyte(w, e < 0 ? 45 : 43);
    const m = e < 0 ? -e : e;
    if (m >= 100) wbyte(w, <u8>(48 + m / 100));
    if (m >= 10) wbyte(w, <u8>(48 + (m / 10) % 10));
    wbyte(w, <u8>(48 + m % 10));
  }
}
