// Number parsing (JSON grammar) and formatting.

import { dtoa_buffered, itoa_buffered } from 'util/number';
import { malloc } from './mem';
import { refine } from './bigcmp';
import { N_INT, N_FLOAT, N_BIG, numKind, mkInt, mkFloat, mkBig } from './value';

const SCRATCH: usize = memory.data(128, 8);

// Exact powers of ten representable in f64.
const POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

function scale(m: f64, e: i32): f64 {
  if (e == 0) return m;
  if (e > 0 && e <= 22) return m * unchecked(POW10[e]);
  if (e < 0 && e >= -22) return m / unchecked(POW10[-e]);
  if (e > 308 + 22) return m == 0 ? 0 : Infinity;
  if (e < -343) return 0;
  // Two steps keep intermediate values in range.
  if (e > 0) return m * Math.pow(10, <f64>e);
  if (e < -300) return (m / 1e300) / Math.pow(10, <f64>(-e - 300));
  return m / Math.pow(10, <f64>(-e));
}

/** End offset of the JSON number starting at p (max end), or 0 when malformed. */
export function scanNumber(p: usize, end: usize): usize {
  let q = p;
  if (q < end && load<u8>(q) == 45) q++;
  if (q >= end) return 0;
  let c = load<u8>(q);
  if (c == 48) q++;
  else if (c >= 49 && c <= 57) {
    while (q < end && <u32>(load<u8>(q) - 48) < 10) q++;
  } else return 0;
  if (q < end && load<u8>(q) == 46) {
    q++;
    const s = q;
    while (q < end && <u32>(load<u8>(q) - 48) < 10) q++;
    if (q == s) return 0;
  }
  if (q < end && (load<u8>(q) | 32) == 101) {
    q++;
    if (q < end && (load<u8>(q) == 43 || load<u8>(q) == 45)) q++;
    const s = q;
    while (q < end && <u32>(load<u8>(q) - 48) < 10) q++;
    if (q == s) return 0;
  }
  return q;
}

/** Parses a well-formed JSON number text [p, p+n). `copy` makes big integers own their text. */
export function parseNumber(p: usize, n: u32, copy: bool): usize {
  const end = p + n;
  let q = p;
  const neg = load<u8>(q) == 45;
  if (neg) q++;
  let mant: u64 = 0;
  let digits: i32 = 0; // significant digits accumulated into mant
  let dropped: i32 = 0; // integer digits beyond what mant holds
  let isInt = true;
  let intOverflow = false;
  while (q < end) {
    const d = <u32>(load<u8>(q) - 48);
    if (d >= 10) break;
    if (digits < 19) {
      if (mant != 0 || d != 0) digits++;
      mant = mant * 10 + d;
    } else { dropped++; intOverflow = true; }
    q++;
  }
  let exp: i32 = dropped;
  if (q < end && load<u8>(q) == 46) {
    isInt = false;
    q++;
    while (q < end) {
      const d = <u32>(load<u8>(q) - 48);
      if (d >= 10) break;
      if (digits < 19) {
        if (mant != 0 || d != 0) digits++;
        mant = mant * 10 + d;
        exp--;
      }
      q++;
    }
  }
  if (q < end && (load<u8>(q) | 32) == 101) {
    isInt = false;
    q++;
    let eneg = false;
    if (load<u8>(q) == 45) { eneg = true; q++; } else if (load<u8>(q) == 43) q++;
    let e: i32 = 0;
    while (q < end) {
      const d = <i32>(load<u8>(q) - 48);
      if (e < 100000) e = e * 10 + d;
      q++;
    }
    exp += eneg ? -e : e;
  }
  if (isInt && !intOverflow) {
    if (neg) {
      if (mant <= 9223372036854775808) return mkInt(<i64>(0 - mant));
    } else if (mant <= 9223372036854775807) return mkInt(<i64>mant);
  }
  let f = scale(<f64>mant, exp);
  // Exact when mant and 10^|exp| are both exact doubles; otherwise round correctly.
  if (mant != 0 && (mant > 9007199254740992 || exp > 22 || exp < -22)) f = refine(mant, exp, f);
  if (neg) f = -f;
  if (isInt) {
    let tp = p;
    if (copy) { tp = malloc(n); memory.copy(tp, p, n); }
    return mkBig(tp, n, f);
  }
  return mkFloat(f);
}

/** Writes the number's JSON text to buf (needs 32 bytes); returns the length. */
export function formatNumber(v: usize, buf: usize): u32 {
  const k = numKind(v);
  if (k == N_INT) return itoaBytes(buf, load<i64>(v, 8));
  if (k == N_BIG) return 0xffffffff; // caller copies the text
  const f = load<f64>(v, 8);
  if (!isFinite(f)) {
    store<u32>(buf, 0x6c6c756e); // "null"
    return 4;
  }
  if (f == Math.trunc(f) && Math.abs(f) < 9.2e18) return itoaBytes(buf, <i64>f);
  // dtoa_buffered writes UTF-16; narrow it in place.
  const tmp = SCRATCH;
  const n = dtoa_buffered(tmp, f);
  for (let i: u32 = 0; i < n; i++) store<u8>(buf + i, <u8>load<u16>(tmp + (<usize>i << 1)));
  // AssemblyScript prints integral values as "1.0"; shortest JSON drops the ".0".
  if (n > 2 && load<u8>(buf + n - 1) == 48 && load<u8>(buf + n - 2) == 46) return n - 2;
  return n;
}

function itoaBytes(buf: usize, x: i64): u32 {
  const tmp = SCRATCH;
  const n = itoa_buffered<i64>(tmp, x);
  for (let i: u32 = 0; i < n; i++) store<u8>(buf + i, <u8>load<u16>(tmp + (<usize>i << 1)));
  return n;
}

export { N_FLOAT };
