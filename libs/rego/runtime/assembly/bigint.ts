// Exact integer arithmetic beyond i64 (OPA's numbers are arbitrary precision): magnitudes as
// little-endian base-10^9 limbs on the heap; results that fit i64 become ints again.

import { malloc } from './mem';
import { N_INT, N_BIG, numKind, mkInt, mkBig } from './value';
import { itoa_buffered } from 'util/number';

const BASE: u64 = 1000000000;

// A magnitude: limb count u32 @0, limbs u32 @4…
@inline function nl(m: usize): u32 { return load<u32>(m); }
@inline function limb(m: usize, i: u32): u32 { return i < load<u32>(m) ? load<u32>(m + 4 + (<usize>i << 2)) : 0; }

function newMag(n: u32): usize {
  const m = malloc(4 + (<usize>n << 2));
  store<u32>(m, n);
  memory.fill(m + 4, 0, <usize>n << 2);
  return m;
}

function trim(m: usize): usize {
  let n = nl(m);
  while (n > 0 && load<u32>(m + 4 + (<usize>(n - 1) << 2)) == 0) n--;
  store<u32>(m, n);
  return m;
}

/** Magnitude of decimal digits [p, p+n). */
function fromDigits(p: usize, n: u32): usize {
  const m = newMag((n + 8) / 9);
  let li: u32 = 0;
  let end = <i32>n;
  while (end > 0) {
    const start = end > 9 ? end - 9 : 0;
    let v: u32 = 0;
    for (let i = start; i < end; i++) v = v * 10 + (load<u8>(p + i) - 48);
    store<u32>(m + 4 + (<usize>li << 2), v);
    li++;
    end = start;
  }
  return trim(m);
}

const TMP: usize = memory.data(48, 8);

/** Sign and magnitude of an integral number value. */
function split(v: usize, negOut: usize): usize {
  if (numKind(v) == N_INT) {
    const x = load<i64>(v, 8);
    store<u8>(negOut, x < 0 ? 1 : 0);
    // |i64.MIN| does not fit i64: go through u64.
    let u: u64 = x < 0 ? <u64>(0 - x) : <u64>x;
    const m = newMag(3);
    for (let i: u32 = 0; i < 3; i++) { store<u32>(m + 4 + (<usize>i << 2), <u32>(u % BASE)); u /= BASE; }
    return trim(m);
  }
  const p = load<u32>(v, 8), n = load<u32>(v, 12);
  const neg = load<u8>(p) == 45;
  store<u8>(negOut, neg ? 1 : 0);
  return neg ? fromDigits(p + 1, n - 1) : fromDigits(p, n);
}

function cmpMag(a: usize, b: usize): i32 {
  if (nl(a) != nl(b)) return nl(a) < nl(b) ? -1 : 1;
  for (let i = <i32>nl(a) - 1; i >= 0; i--) {
    const x = limb(a, i), y = limb(b, i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

function addMag(a: usize, b: usize): usize {
  const n = max(nl(a), nl(b)) + 1;
  const r = newMag(n);
  let carry: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const s = <u64>limb(a, i) + limb(b, i) + carry;
    store<u32>(r + 4 + (<usize>i << 2), <u32>(s % BASE));
    carry = s / BASE;
  }
  return trim(r);
}

/** a - b with |a| ≥ |b|. */
function subMag(a: usize, b: usize): usize {
  const n = nl(a);
  const r = newMag(n);
  let borrow: i64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let d = <i64>limb(a, i) - <i64>limb(b, i) - borrow;
    borrow = 0;
    if (d < 0) { d += <i64>BASE; borrow = 1; }
    store<u32>(r + 4 + (<usize>i << 2), <u32>d);
  }
  return trim(r);
}

function mulMag(a: usize, b: usize): usize {
  const r = newMag(nl(a) + nl(b) + 1);
  for (let i: u32 = 0; i < nl(a); i++) {
    let carry: u64 = 0;
    const x = <u64>limb(a, i);
    for (let j: u32 = 0; j <= nl(b); j++) {
      const at = r + 4 + (<usize>(i + j) << 2);
      const t = <u64>load<u32>(at) + x * <u64>limb(b, j) + carry;
      store<u32>(at, <u32>(t % BASE));
      carry = t / BASE;
    }
  }
  return trim(r);
}

/** The number value for sign and magnitude (an int when it fits i64). */
function toValue(neg: bool, m: usize): usize {
  const n = nl(m);
  if (n == 0) return mkInt(0);
  if (n <= 3) {
    let u: u64 = 0;
    let fits = true;
    for (let i = <i32>n - 1; i >= 0; i--) {
      const next = u * BASE + limb(m, i);
      if (u > 18446744073 || next < u) { fits = false; break; }
      u = next;
    }
    if (fits && (u <= 9223372036854775807 || (neg && u == 9223372036854775808))) return mkInt(neg ? <i64>(0 - u) : <i64>u);
  }
  // Decimal text: sign, top limb unpadded, the rest as 9 digits each.
  const text = malloc(1 + <usize>n * 9);
  let o: usize = text;
  if (neg) store<u8>(o++, 45);
  let approx: f64 = 0;
  for (let i = <i32>n - 1; i >= 0; i--) {
    const v = limb(m, i);
    approx = approx * 1e9 + <f64>v;
    const k = itoa_buffered<u32>(TMP, v);
    if (i != <i32>n - 1) for (let z = k; z < 9; z++) store<u8>(o++, 48);
    for (let c: u32 = 0; c < k; c++) store<u8>(o++, <u8>load<u16>(TMP + (<usize>c << 1)));
  }
  return mkBig(text, <u32>(o - text), neg ? -approx : approx);
}

const SIGNS: usize = memory.data(2);

/** a + b (negateB: a - b) for integral numbers. */
export function bigAdd(a: usize, b: usize, negateB: bool): usize {
  const ma = split(a, SIGNS), mb = split(b, SIGNS + 1);
  const na = load<u8>(SIGNS) != 0;
  let nb = load<u8>(SIGNS + 1) != 0;
  if (negateB) nb = !nb;
  if (na == nb) return toValue(na, addMag(ma, mb));
  const c = cmpMag(ma, mb);
  if (c == 0) return mkInt(0);
  return c > 0 ? toValue(na, subMag(ma, mb)) : toValue(nb, subMag(mb, ma));
}

export function bigMul(a: usize, b: usize): usize {
  const ma = split(a, SIGNS), mb = split(b, SIGNS + 1);
  return toValue((load<u8>(SIGNS) != 0) != (load<u8>(SIGNS + 1) != 0), mulMag(ma, mb));
}

@inline export function isIntegral(v: usize): bool {
  const k = numKind(v);
  return k == N_INT || k == N_BIG;
}

/** m * k + d for small k and d. */
function mulSmallAdd(m: usize, k: u32, d: u32): usize {
  const n = nl(m) + 1;
  const r = newMag(n);
  let carry: u64 = d;
  for (let i: u32 = 0; i < n; i++) {
    const t = <u64>limb(m, i) * k + carry;
    store<u32>(r + 4 + (<usize>i << 2), <u32>(t % BASE));
    carry = t / BASE;
  }
  return trim(r);
}

let remMag: usize = 0;

/** |a| / |b| (b non-zero) by decimal long division; the remainder is left in remMag. */
function divModMag(a: usize, b: usize): usize {
  let q = newMag(0);
  let r = newMag(0);
  for (let i = <i32>nl(a) - 1; i >= 0; i--) {
    const v = limb(a, i);
    for (let p: u32 = 100000000; p > 0; p /= 10) {
      r = mulSmallAdd(r, 10, (v / p) % 10);
      let digit: u32 = 0;
      while (cmpMag(r, b) >= 0) {
        r = subMag(r, b);
        digit++;
      }
      q = mulSmallAdd(q, 10, digit);
    }
  }
  remMag = r;
  return q;
}

/**
 * Truncated quotient (wantRem false) or remainder (true, the dividend's sign, like Go's
 * big.Int Quo/Rem) of integral numbers; b must not be zero. Exact at any size.
 */
export function bigQuoRem(a: usize, b: usize, wantRem: bool): usize {
  const ma = split(a, SIGNS), mb = split(b, SIGNS + 1);
  const na = load<u8>(SIGNS) != 0, nb = load<u8>(SIGNS + 1) != 0;
  const q = divModMag(ma, mb);
  return wantRem ? toValue(na, remMag) : toValue(na != nb, q);
}

/** True when integral a is a multiple of integral non-zero b. */
export function bigDivides(a: usize, b: usize): bool {
  const r = bigQuoRem(a, b, true);
  return numKind(r) == N_INT && load<i64>(r, 8) == 0;
}
