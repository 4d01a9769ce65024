// Exact decimal → double rounding for the slow path of number parsing: refines an
// approximation by comparing mant·10^e with the halfway points between neighbouring doubles,
// using small fixed-size big integers (little-endian u32 limbs) in scratch memory.

const LIMBS: u32 = 128; // 4096 bits: enough for 10^±400 · 2^1100
const A: usize = memory.data(<i32>LIMBS * 4, 8);
const B: usize = memory.data(<i32>LIMBS * 4, 8);

function setU64(x: usize, v: u64): void {
  memory.fill(x, 0, <usize>LIMBS * 4);
  store<u32>(x, <u32>v);
  store<u32>(x + 4, <u32>(v >> 32));
}

function mulSmall(x: usize, m: u32): void {
  let carry: u64 = 0;
  for (let i: u32 = 0; i < LIMBS; i++) {
    const p = <u64>load<u32>(x + (<usize>i << 2)) * m + carry;
    store<u32>(x + (<usize>i << 2), <u32>p);
    carry = p >> 32;
  }
}

function mulPow10(x: usize, e: i32): void {
  while (e >= 9) { mulSmall(x, 1000000000); e -= 9; }
  let m: u32 = 1;
  while (e > 0) { m *= 10; e--; }
  if (m != 1) mulSmall(x, m);
}

function shl(x: usize, n: i32): void {
  const words = n >> 5, bits = n & 31;
  for (let i = <i32>LIMBS - 1; i >= 0; i--) {
    const src = i - words;
    let v: u32 = 0;
    if (src >= 0) {
      v = load<u32>(x + (<usize>src << 2)) << bits;
      if (bits != 0 && src >= 1) v |= load<u32>(x + (<usize>(src - 1) << 2)) >> (32 - bits);
    }
    store<u32>(x + (<usize>i << 2), v);
  }
}

function cmp(x: usize, y: usize): i32 {
  for (let i = <i32>LIMBS - 1; i >= 0; i--) {
    const a = load<u32>(x + (<usize>i << 2)), b = load<u32>(y + (<usize>i << 2));
    if (a != b) return a < b ? -1 : 1;
  }
  return 0;
}

/** Compares mant·10^e with hm·2^hk exactly. */
function compareWith(mant: u64, e: i32, hm: u64, hk: i32): i32 {
  setU64(A, mant);
  setU64(B, hm);
  if (e >= 0) mulPow10(A, e); else mulPow10(B, -e);
  if (hk >= 0) shl(B, hk); else shl(A, -hk);
  return cmp(A, B);
}

/** The double nearest to mant·10^e (mant > 0), starting from an approximation z. */
export function refine(mant: u64, e: i32, z: f64): f64 {
  if (e < -400 || e > 400 || !isFinite(z) || z <= 0) return z;
  for (let iter = 0; iter < 4; iter++) {
    const bits = reinterpret<u64>(z);
    const be = <i32>((bits >> 52) & 0x7ff);
    let m2: u64, k: i32;
    if (be == 0) { m2 = bits & 0xfffffffffffff; k = -1074; }
    else { m2 = (bits & 0xfffffffffffff) | 0x10000000000000; k = be - 1075; }
    // Upper halfway point (2·m2 + 1)·2^(k-1).
    const up = compareWith(mant, e, (m2 << 1) + 1, k - 1);
    if (up > 0 || (up == 0 && (m2 & 1) == 1)) { z = reinterpret<f64>(bits + 1); continue; }
    // Lower halfway point; at a power of two the gap below is half as wide.
    let low: i32;
    if (m2 == 0x10000000000000 && be > 1) low = compareWith(mant, e, (m2 << 2) - 1, k - 2);
    else low = compareWith(mant, e, (m2 << 1) - 1, k - 1);
    if (low < 0 || (low == 0 && (m2 & 1) == 1)) { z = reinterpret<f64>(bits - 1); continue; }
    return z;
  }
  return z;
}
