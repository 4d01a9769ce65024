// Collection operations shared by the ABI, the generated code and the builtins.

import { malloc, copyShort } from './mem';
import {
  T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, N_INT, N_FLOAT,
  tag, len, items, elem, objKey, objVal, numKind, strPtr, mkColl, insertAt, arrPush, mkInt,
} from './value';
import { compare, equal, search, cmpBytes } from './compare';

export function objGet(o: usize, k: usize): usize {
  if (tag(k) == T_STRING) return objGetStr(o, k);
  const i = search(o, k);
  return i >= 0 ? objVal(o, <u32>i) : 0;
}

/** objGet for a string key, the common case (field access). */
@inline function objGetStr(o: usize, k: usize): usize {
  const i = objIndexStr(o, k);
  return i >= 0 ? <usize>load<u32>(items(o) + (<usize>i << 3), 4) : 0;
}

/**
 * Index of string key k in object o, or -1. The binary search of larger objects decides most
 * probes on the first byte without a call; non-string keys sort before strings (OPA order).
 */
function objIndexStr(o: usize, k: usize): i32 {
  const kp = strPtr(k);
  const kn = len(k);
  const k0: u32 = kn > 0 ? <u32>load<u8>(kp) : 0;
  const base = items(o);
  const n = len(o);
  if (n <= 8) {
    // Small objects (most field accesses): a scan whose probes are independent of each other
    // beats the dependent loads of a binary search. Keys of 4+ bytes compare their first and
    // last 4 bytes as words (together all of a key of up to 8 bytes; other keys rarely agree
    // there and differ in the middle).
    if (kn >= 4) {
      const k4 = load<u32>(kp);
      const kl = load<u32>(kp + kn - 4);
      for (let i: u32 = 0; i < n; i++) {
        const at = base + (<usize>i << 3);
        const e = <usize>load<u32>(at);
        if (load<u32>(e, 4) != kn || tag(e) != T_STRING) continue;
        const ep = strPtr(e);
        if (load<u32>(ep) != k4 || load<u32>(ep + kn - 4) != kl) continue;
        if (kn <= 8 || cmpBytes(ep + 4, kn - 8, kp + 4, kn - 8) == 0) return <i32>i;
      }
      return -1;
    }
    for (let i: u32 = 0; i < n; i++) {
      const at = base + (<usize>i << 3);
      const e = <usize>load<u32>(at);
      if (load<u32>(e, 4) != kn || tag(e) != T_STRING) continue;
      const ep = strPtr(e);
      if (kn == 0 || (load<u8>(ep) == k0 && cmpBytes(ep + 1, kn - 1, kp + 1, kn - 1) == 0)) return <i32>i;
    }
    return -1;
  }
  let lo: i32 = 0;
  let hi: i32 = <i32>n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = base + (<usize>mid << 3);
    const e = <usize>load<u32>(at);
    if (e == k) return mid;
    let c: i32;
    const t = tag(e);
    if (t != T_STRING) c = t < T_STRING ? -1 : 1;
    else {
      const en = len(e);
      if (en == 0 || kn == 0) c = en == kn ? 0 : (en < kn ? -1 : 1);
      else {
        const e0 = <u32>load<u8>(strPtr(e));
        if (e0 != k0) c = e0 < k0 ? -1 : 1;
        else c = cmpBytes(strPtr(e) + 1, en - 1, kp + 1, kn - 1);
      }
    }
    if (c == 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Whether the n bytes at p and q are equal (words where they fit; n > 0). */
@inline function sameBytes(p: usize, q: usize, n: u32): bool {
  if (n >= 4) {
    if (load<u32>(p) != load<u32>(q) || load<u32>(p + n - 4) != load<u32>(q + n - 4)) return false;
    return n <= 8 || cmpBytes(p + 4, n - 8, q + 4, n - 8) == 0;
  }
  return cmpBytes(p, n, q, n) == 0;
}

/** Whether e is a string with the same bytes as string k. */
@inline function sameString(e: usize, k: usize): bool {
  const n = len(k);
  if (tag(e) != T_STRING || len(e) != n) return false;
  return n == 0 || sameBytes(strPtr(e), strPtr(k), n);
}

/**
 * o[k] for a string key k, trying first the entry index that `hint` (a u32 owned by the caller)
 * remembers from the last lookup: a field access site mostly meets objects of one shape (the
 * steps of a history, say), so that probe usually hits and the scan or search is skipped.
 * Objects only: the caller checks the tag.
 */
export function objGetStrAt(o: usize, k: usize, hint: usize): usize {
  const base = items(o);
  const h = load<u32>(hint);
  if (h < len(o)) {
    const at = base + (<usize>h << 3);
    const e = <usize>load<u32>(at);
    if (e == k || sameString(e, k)) return <usize>load<u32>(at, 4);
  }
  const i = objIndexStr(o, k);
  if (i < 0) return 0;
  store<u32>(hint, <u32>i);
  return <usize>load<u32>(base + (<usize>i << 3), 4);
}

/** Inserts or replaces key k. */
export function objPut(o: usize, k: usize, v: usize): void {
  const i = search(o, k);
  if (i >= 0) {
    store<u32>(items(o) + (<usize>i << 3), <u32>v, 4);
    return;
  }
  insertAt(o, <u32>(-i - 1), k, v);
}

/** Inserts key k unless present with a different value (returns false then). */
export function objPutOnce(o: usize, k: usize, v: usize): bool {
  const i = search(o, k);
  if (i >= 0) return equal(objVal(o, <u32>i), v);
  insertAt(o, <u32>(-i - 1), k, v);
  return true;
}

export function setAdd(s: usize, x: usize): void {
  const n = len(s);
  // Fast path: elements added in order.
  if (n > 0) {
    const c = compare(elem(s, n - 1), x);
    if (c < 0) { insertAt(s, n, x, 0); return; }
    if (c == 0) return;
  } else {
    insertAt(s, 0, x, 0);
    return;
  }
  const i = search(s, x);
  if (i < 0) insertAt(s, <u32>(-i - 1), x, 0);
}

export function setHas(s: usize, x: usize): bool {
  return search(s, x) >= 0;
}

/** Index of an integral number value, or -1. */
export function indexOf(k: usize): i64 {
  if (tag(k) != T_NUMBER) return -1;
  const kind = numKind(k);
  if (kind == N_INT) return load<i64>(k, 8);
  if (kind == N_FLOAT) {
    const f = load<f64>(k, 8);
    if (f == Math.trunc(f) && f >= 0 && f < 4294967296.0) return <i64>f;
  }
  return -1;
}

/** source[key]: 0 when missing. Inlined into its callers (rt_dot runs for every field access). */
@inline export function dot(src: usize, key: usize): usize {
  if (src == 0 || key == 0) return 0;
  const t = tag(src);
  if (t == T_OBJECT) return tag(key) == T_STRING ? objGetStr(src, key) : objGet(src, key);
  if (t == T_ARRAY) {
    const i = indexOf(key);
    if (i < 0 || i >= <i64>len(src)) return 0;
    return elem(src, <u32>i);
  }
  if (t == T_SET) return search(src, key) >= 0 ? key : 0;
  return 0;
}

/** Number of elements a scan visits. */
export function iterLen(v: usize): u32 {
  if (v == 0) return 0;
  const t = tag(v);
  return t >= T_ARRAY ? len(v) : 0;
}

export function iterKey(v: usize, i: u32): usize {
  const t = tag(v);
  if (t == T_ARRAY) return mkInt(<i64>i);
  if (t == T_OBJECT) return objKey(v, i);
  return elem(v, i);
}

export function iterVal(v: usize, i: u32): usize {
  if (tag(v) == T_OBJECT) return objVal(v, i);
  return elem(v, i);
}

export function copyColl(v: usize): usize {
  const t = tag(v);
  const n = len(v);
  const c = mkColl(t, n);
  copyShort(items(c), items(v), (t == T_OBJECT ? 8 : 4) * <usize>n);
  store<u32>(c, n, 4);
  return c;
}

/** Deep merge of two objects; 0 when a key holds different non-object values. */
export function objMerge(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  if (tag(a) != T_OBJECT || tag(b) != T_OBJECT) return 0;
  const r = copyColl(a);
  const n = len(b);
  for (let i: u32 = 0; i < n; i++) {
    const k = objKey(b, i), v = objVal(b, i);
    const j = search(r, k);
    if (j < 0) { insertAt(r, <u32>(-j - 1), k, v); continue; }
    const old = objVal(r, <u32>j);
    if (tag(old) == T_OBJECT && tag(v) == T_OBJECT) {
      const m = objMerge(old, v);
      if (m == 0) return 0;
      store<u32>(items(r) + (<usize>j << 3), <u32>m, 4);
    } else if (!equal(old, v)) return 0;
  }
  return r;
}

/** A copy of base with path (array of keys) set to value; missing/non-object levels become objects. */
export function upsert(base: usize, path: usize, from: u32, value: usize): usize {
  if (from >= len(path)) return value;
  const k = elem(path, from);
  let obj: usize;
  if (base != 0 && tag(base) == T_OBJECT) obj = copyColl(base);
  else obj = mkColl(T_OBJECT, 1);
  const child = objGet(obj, k);
  objPut(obj, k, upsert(child, path, from + 1, value));
  return obj;
}

/** Sorts n u32 entries of the given stride (4: values, 8: key/value pairs) by their first word. */
export function sortEntries(p: usize, n: u32, stride: u32): void {
  if (n < 2) return;
  let sorted = true;
  for (let i: u32 = 1; i < n; i++) {
    if (compare(load<u32>(p + (i - 1) * stride), load<u32>(p + i * stride)) > 0) { sorted = false; break; }
  }
  if (sorted) return;
  if (n <= 12) {
    for (let i: u32 = 1; i < n; i++) {
      const k = load<u32>(p + i * stride);
      const v = stride == 8 ? load<u32>(p + i * stride, 4) : 0;
      let j = i;
      while (j > 0 && compare(load<u32>(p + (j - 1) * stride), k) > 0) {
        store<u32>(p + j * stride, load<u32>(p + (j - 1) * stride));
        if (stride == 8) store<u32>(p + j * stride, load<u32>(p + (j - 1) * stride, 4), 4);
        j--;
      }
      store<u32>(p + j * stride, k);
      if (stride == 8) store<u32>(p + j * stride, v, 4);
    }
    return;
  }
  // Bottom-up stable merge sort through a scratch buffer.
  const tmp = malloc(<usize>n * stride);
  let src = p, dst = tmp;
  for (let width: u32 = 1; width < n; width <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n), hi = min(lo + (width << 1), n);
      let i = lo, j = mid, o = lo;
      while (i < mid && j < hi) {
        if (compare(load<u32>(src + j * stride), load<u32>(src + i * stride)) < 0) {
          memory.copy(dst + o * stride, src + j * stride, stride); j++;
        } else {
          memory.copy(dst + o * stride, src + i * stride, stride); i++;
        }
        o++;
      }
      if (i < mid) memory.copy(dst + o * stride, src + i * stride, (mid - i) * stride);
      else if (j < hi) memory.copy(dst + o * stride, src + j * stride, (hi - j) * stride);
    }
    const t = src; src = dst; dst = t;
  }
  if (src != p) memory.copy(p, src, <usize>n * stride);
}

/**
 * Sorts a freshly built object or set and drops duplicate keys (the last one wins, as in
 * JSON.parse).
 */
export function normalize(v: usize): void {
  const obj = tag(v) == T_OBJECT;
  const stride: u32 = obj ? 8 : 4;
  const n = len(v);
  const p = items(v);
  sortEntries(p, n, stride);
  if (n < 2) return;
  let o: u32 = 0;
  for (let i: u32 = 1; i < n; i++) {
    if (compare(load<u32>(p + o * stride), load<u32>(p + i * stride)) == 0) {
      if (obj) store<u32>(p + o * stride, load<u32>(p + i * stride, 4), 4);
    } else {
      o++;
      if (o != i) memory.copy(p + o * stride, p + i * stride, stride);
    }
  }
  store<u32>(v, o + 1, 4);
}

export function arrToSet(a: usize): usize {
  if (a == 0) return 0;
  if (tag(a) == T_SET) return a;
  if (tag(a) != T_ARRAY) return 0;
  const s = copyColl(a);
  store<u32>(s, T_SET);
  normalize(s);
  return s;
}

export { arrPush, T_STRING };
