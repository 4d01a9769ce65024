// Total order over values, as OPA: null < boolean < number < string < array < object < set.

import {
  T_NULL, T_BOOL, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, N_INT, N_BIG,
  tag, len, elem, objKey, objVal, numKind, strPtr, toF64,
} from './value';

export function cmpBytes(a: usize, an: u32, b: usize, bn: u32): i32 {
  const n = an < bn ? an : bn;
  for (let i: u32 = 0; i < n; i++) {
    const x = load<u8>(a + i);
    const y = load<u8>(b + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return an == bn ? 0 : (an < bn ? -1 : 1);
}

@inline export function cmpStr(a: usize, b: usize): i32 {
  return cmpBytes(strPtr(a), len(a), strPtr(b), len(b));
}

/** Compares two big-integer texts (canonical decimal, optional leading '-'). */
function cmpBigText(a: usize, b: usize): i32 {
  const ap = load<u32>(a, 8), an = load<u32>(a, 12);
  const bp = load<u32>(b, 8), bn = load<u32>(b, 12);
  const aneg = load<u8>(ap) == 45, bneg = load<u8>(bp) == 45;
  if (aneg != bneg) return aneg ? -1 : 1;
  let r: i32 = 0;
  if (an != bn) r = an < bn ? -1 : 1;
  else r = cmpBytes(ap, an, bp, bn);
  return aneg ? -r : r;
}

function bigSign(v: usize): i32 {
  return load<u8>(load<u32>(v, 8)) == 45 ? -1 : 1;
}

export function cmpNum(a: usize, b: usize): i32 {
  const ka = numKind(a), kb = numKind(b);
  if (ka == N_INT && kb == N_INT) {
    const x = load<i64>(a, 8), y = load<i64>(b, 8);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  // A big integer lies outside the i64 range, so its sign alone orders it against any i64
  // (comparing through doubles would call 2^63 equal to 2^63-1).
  if (ka == N_BIG && kb == N_INT) return bigSign(a);
  if (ka == N_INT && kb == N_BIG) return -bigSign(b);
  const x = toF64(a), y = toF64(b);
  if (x < y) return -1;
  if (x > y) return 1;
  if (ka == N_BIG && kb == N_BIG) return cmpBigText(a, b);
  return 0;
}

export function compare(a: usize, b: usize): i32 {
  if (a == b) return 0;
  const ta = tag(a), tb = tag(b);
  if (ta != tb) return ta < tb ? -1 : 1;
  switch (ta) {
    case T_NULL: return 0;
    case T_BOOL: {
      const x = load<u32>(a, 4), y = load<u32>(b, 4);
      return x == y ? 0 : (x < y ? -1 : 1);
    }
    case T_NUMBER: return cmpNum(a, b);
    case T_STRING: return cmpStr(a, b);
    case T_ARRAY:
    case T_SET: {
      const an = len(a), bn = len(b);
      const n = an < bn ? an : bn;
      for (let i: u32 = 0; i < n; i++) {
        const c = compare(elem(a, i), elem(b, i));
        if (c != 0) return c;
      }
      return an == bn ? 0 : (an < bn ? -1 : 1);
    }
    case T_OBJECT: {
      const an = len(a), bn = len(b);
      const n = an < bn ? an : bn;
      for (let i: u32 = 0; i < n; i++) {
        let c = compare(objKey(a, i), objKey(b, i));
        if (c != 0) return c;
        c = compare(objVal(a, i), objVal(b, i));
        if (c != 0) return c;
      }
      return an == bn ? 0 : (an < bn ? -1 : 1);
    }
  }
  return 0;
}

export function equal(a: usize, b: usize): bool {
  if (a == b) return a != 0;
  if (a == 0 || b == 0) return false;
  const ta = tag(a);
  if (ta != tag(b)) return false;
  if (ta == T_STRING) {
    const n = len(a);
    if (n != len(b)) return false;
    return memory.compare(strPtr(a), strPtr(b), n) == 0;
  }
  if (ta >= T_ARRAY && len(a) != len(b)) return false;
  return compare(a, b) == 0;
}

/**
 * Binary search in a sorted object (stride 8) or set (stride 4). Returns the index if found,
 * else -(insertion point) - 1.
 */
export function search(coll: usize, key: usize): i32 {
  const stride: u32 = tag(coll) == T_OBJECT ? 8 : 4;
  const base = load<u32>(coll, 12);
  let lo: i32 = 0;
  let hi: i32 = <i32>len(coll) - 1;
  if (tag(key) == T_STRING) {
    const kp = strPtr(key), kn = len(key);
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const e = load<u32>(base + <usize>mid * stride);
      let c: i32;
      if (tag(e) == T_STRING) c = cmpBytes(strPtr(e), len(e), kp, kn);
      else c = tag(e) < T_STRING ? -1 : 1;
      if (c == 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(load<u32>(base + <usize>mid * stride), key);
    if (c == 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}
