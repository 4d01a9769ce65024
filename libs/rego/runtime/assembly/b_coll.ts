// Collection, type and object builtins.

import { opa_println } from './mem';
import {
  T_NULL, T_BOOL, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, tag, len, elem, objKey, objVal,
  items, mkColl, mkInt, mkBool, mkStrRef, arrPush, insertAt, TRUE_V, FALSE_V,
} from './value';
import { compare, equal, search } from './compare';
import { copyColl, setAdd, setHas, objGet, objPut, dot, sortEntries, indexOf } from './coll';
import { utf8Count } from './abi';
import { newWriter, wascii, wbyte, wbytes, wfinish } from './writer';
import { writeValue } from './json';
import { typeErr, elemErr } from './err';

export function b_count(v: usize): usize {
  if (v == 0) return 0;
  const t = tag(v);
  if (t >= T_ARRAY) return mkInt(<i64>len(v));
  if (t == T_STRING) return mkInt(<i64>utf8Count(load<u32>(v, 8), len(v)));
  return typeErr("count", 1, "one of {array, object, set, string}", v);
}

export function b_sort(v: usize): usize {
  if (v == 0) return 0;
  const t = tag(v);
  if (t == T_SET) {
    const a = copyColl(v);
    store<u32>(a, T_ARRAY);
    return a;
  }
  if (t != T_ARRAY) return typeErr("sort", 1, "one of {array, set}", v);
  const a = copyColl(v);
  sortEntries(items(a), len(a), 4);
  return a;
}

export function b_internal_member_2(x: usize, c: usize): usize {
  if (x == 0 || c == 0) return 0;
  const t = tag(c);
  if (t == T_SET) return mkBool(search(c, x) >= 0);
  const n = len(c);
  if (t == T_ARRAY) {
    for (let i: u32 = 0; i < n; i++) if (equal(elem(c, i), x)) return TRUE_V;
    return FALSE_V;
  }
  if (t == T_OBJECT) {
    for (let i: u32 = 0; i < n; i++) if (equal(objVal(c, i), x)) return TRUE_V;
    return FALSE_V;
  }
  return FALSE_V;
}

export function b_internal_member_3(k: usize, x: usize, c: usize): usize {
  if (k == 0 || x == 0 || c == 0) return 0;
  const t = tag(c);
  if (t == T_ARRAY || t == T_OBJECT) {
    const v = dot(c, k);
    return mkBool(v != 0 && equal(v, x));
  }
  return FALSE_V;
}

export function b_is_number(v: usize): usize { return v == 0 ? 0 : mkBool(tag(v) == T_NUMBER); }
export function b_is_string(v: usize): usize { return v == 0 ? 0 : mkBool(tag(v) == T_STRING); }
export function b_is_boolean(v: usize): usize { return v == 0 ? 0 : mkBool(tag(v) == T_BOOL); }
export function b_is_array(v: usize): usize { return v == 0 ? 0 : mkBool(tag(v) == T_ARRAY); }
export function b_is_set(v: usize): usize { return v == 0 ? 0 : mkBool(tag(v) == T_SET); }
export function b_is_object(v: usize): usize { return v == 0 ? 0 : mkBool(tag(v) == T_OBJECT); }
export function b_is_null(v: usize): usize { return v == 0 ? 0 : mkBool(tag(v) == T_NULL); }

const TYPE_NAMES: usize = memory.data<u8>([
  110, 117, 108, 108, // null @0
  98, 111, 111, 108, 101, 97, 110, // boolean @4
  110, 117, 109, 98, 101, 114, // number @11
  115, 116, 114, 105, 110, 103, // string @17
  97, 114, 114, 97, 121, // array @23
  111, 98, 106, 101, 99, 116, // object @28
  115, 101, 116, // set @34
]);
const TYPE_OFF: StaticArray<u32> = [0, 0, 4, 11, 17, 23, 28, 34, 37];

export function b_type_name(v: usize): usize {
  if (v == 0) return 0;
  const t = tag(v);
  const a = unchecked(TYPE_OFF[t]), b = unchecked(TYPE_OFF[t + 1]);
  return mkStrRef(TYPE_NAMES + a, b - a);
}

export function b_array_concat(a: usize, b: usize): usize {
  if (a == 0 || tag(a) != T_ARRAY) return typeErr("array.concat", 1, "array", a);
  if (b == 0 || tag(b) != T_ARRAY) return typeErr("array.concat", 2, "array", b);
  const an = len(a), bn = len(b);
  const r = mkColl(T_ARRAY, an + bn);
  memory.copy(items(r), items(a), <usize>an << 2);
  memory.copy(items(r) + (<usize>an << 2), items(b), <usize>bn << 2);
  store<u32>(r, an + bn, 4);
  return r;
}

export function b_array_slice(a: usize, s: usize, e: usize): usize {
  if (a == 0 || tag(a) != T_ARRAY) return typeErr("array.slice", 1, "array", a);
  if (s == 0 || tag(s) != T_NUMBER) return typeErr("array.slice", 2, "number", s);
  if (e == 0 || tag(e) != T_NUMBER) return typeErr("array.slice", 3, "number", e);
  const n = <i64>len(a);
  let i = indexOf(s), j = indexOf(e);
  // Negative or fractional bounds: OPA clamps; indexOf returns -1 for both.
  if (i < 0) i = 0;
  if (j < 0) j = 0;
  if (j > n) j = n;
  if (i > j) i = j;
  const r = mkColl(T_ARRAY, <u32>(j - i));
  memory.copy(items(r), items(a) + (<usize>i << 2), <usize>(j - i) << 2);
  store<u32>(r, <u32>(j - i), 4);
  return r;
}

export function b_array_reverse(a: usize): usize {
  if (a == 0 || tag(a) != T_ARRAY) return typeErr("array.reverse", 1, "array", a);
  const n = len(a);
  const r = mkColl(T_ARRAY, n);
  for (let i: u32 = 0; i < n; i++) store<u32>(items(r) + (<usize>i << 2), <u32>elem(a, n - 1 - i));
  store<u32>(r, n, 4);
  return r;
}

export function b_object_get(o: usize, k: usize, d: usize): usize {
  if (o == 0 || k == 0 || d == 0) return 0;
  if (tag(o) != T_OBJECT) return typeErr("object.get", 1, "object", o);
  if (tag(k) == T_ARRAY) {
    let cur = o;
    const n = len(k);
    for (let i: u32 = 0; i < n; i++) {
      cur = dot(cur, elem(k, i));
      if (cur == 0) return d;
    }
    return cur;
  }
  const v = objGet(o, k);
  return v != 0 ? v : d;
}

export function b_object_keys(o: usize): usize {
  if (o == 0 || tag(o) != T_OBJECT) return typeErr("object.keys", 1, "object", o);
  const n = len(o);
  const s = mkColl(T_SET, n);
  for (let i: u32 = 0; i < n; i++) store<u32>(items(s) + (<usize>i << 2), <u32>objKey(o, i));
  store<u32>(s, n, 4);
  return s;
}

function unionObj(a: usize, b: usize): usize {
  const r = copyColl(a);
  const n = len(b);
  for (let i: u32 = 0; i < n; i++) {
    const k = objKey(b, i), v = objVal(b, i);
    const old = objGet(r, k);
    if (old != 0 && tag(old) == T_OBJECT && tag(v) == T_OBJECT) objPut(r, k, unionObj(old, v));
    else objPut(r, k, v);
  }
  return r;
}

export function b_object_union(a: usize, b: usize): usize {
  if (a == 0 || tag(a) != T_OBJECT) return typeErr("object.union", 1, "object", a);
  if (b == 0 || tag(b) != T_OBJECT) return typeErr("object.union", 2, "object", b);
  return unionObj(a, b);
}

export function b_object_remove(o: usize, ks: usize): usize {
  if (o == 0 || ks == 0) return 0;
  if (tag(o) != T_OBJECT) return typeErr("object.remove", 1, "object", o);
  const t = tag(ks);
  if (t != T_ARRAY && t != T_SET && t != T_OBJECT) return typeErr("object.remove", 2, "one of {object, set, array}", ks);
  const r = mkColl(T_OBJECT, len(o));
  const n = len(o);
  for (let i: u32 = 0; i < n; i++) {
    const k = objKey(o, i);
    let drop = false;
    if (t == T_SET) drop = setHas(ks, k);
    else if (t == T_OBJECT) drop = objGet(ks, k) != 0;
    else {
      for (let j: u32 = 0; j < len(ks); j++) if (equal(elem(ks, j), k)) { drop = true; break; }
    }
    if (!drop) insertAt(r, len(r), k, objVal(o, i));
  }
  return r;
}

function setUnion(a: usize, b: usize): usize {
  const an = len(a), bn = len(b);
  const r = mkColl(T_SET, an + bn);
  let i: u32 = 0, j: u32 = 0, o: u32 = 0;
  const out = items(r);
  while (i < an && j < bn) {
    const c = compare(elem(a, i), elem(b, j));
    if (c <= 0) { store<u32>(out + (<usize>(o++) << 2), <u32>elem(a, i++)); if (c == 0) j++; }
    else store<u32>(out + (<usize>(o++) << 2), <u32>elem(b, j++));
  }
  while (i < an) store<u32>(out + (<usize>(o++) << 2), <u32>elem(a, i++));
  while (j < bn) store<u32>(out + (<usize>(o++) << 2), <u32>elem(b, j++));
  store<u32>(r, o, 4);
  return r;
}

function setInter(a: usize, b: usize): usize {
  const an = len(a), bn = len(b);
  const r = mkColl(T_SET, an < bn ? an : bn);
  let i: u32 = 0, j: u32 = 0, o: u32 = 0;
  const out = items(r);
  while (i < an && j < bn) {
    const c = compare(elem(a, i), elem(b, j));
    if (c == 0) { store<u32>(out + (<usize>(o++) << 2), <u32>elem(a, i)); i++; j++; }
    else if (c < 0) i++;
    else j++;
  }
  store<u32>(r, o, 4);
  return r;
}

@inline function isSet(v: usize): bool { return v != 0 && tag(v) == T_SET; }

/** The type error of a two-set operator (0 when both are sets). */
function setOperands(name: string, a: usize, b: usize): usize {
  if (!isSet(a)) return typeErr(name, 1, "set", a);
  return typeErr(name, 2, "set", b);
}

export function b_and(a: usize, b: usize): usize {
  if (!isSet(a) || !isSet(b)) return setOperands("and", a, b);
  return setInter(a, b);
}

export function b_or(a: usize, b: usize): usize {
  if (!isSet(a) || !isSet(b)) return setOperands("or", a, b);
  return setUnion(a, b);
}

export function b_union(s: usize): usize {
  if (!isSet(s)) return typeErr("union", 1, "set", s);
  let r = mkColl(T_SET, 0);
  for (let i: u32 = 0; i < len(s); i++) {
    const x = elem(s, i);
    if (!isSet(x)) return elemErr("union", 1, s, "set", x);
    r = setUnion(r, x);
  }
  return r;
}

export function b_intersection(s: usize): usize {
  if (!isSet(s)) return typeErr("intersection", 1, "set", s);
  const n = len(s);
  if (n == 0) return mkColl(T_SET, 0);
  let r = elem(s, 0);
  if (!isSet(r)) return elemErr("intersection", 1, s, "set", r);
  for (let i: u32 = 1; i < n; i++) {
    const x = elem(s, i);
    if (!isSet(x)) return elemErr("intersection", 1, s, "set", x);
    r = setInter(r, x);
  }
  return r;
}

/** print(...): the argument is an array with one set of candidate values per operand. */
export function b_internal_print(a: usize): usize {
  if (a == 0 || tag(a) != T_ARRAY) return 0;
  const w = newWriter(128);
  const n = len(a);
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) wbyte(w, 32);
    let x = elem(a, i);
    if (tag(x) == T_SET) {
      if (len(x) == 0) { wascii(w, "<undefined>"); continue; }
      x = elem(x, 0);
    }
    if (tag(x) == T_STRING) wbytes(w, load<u32>(x, 8), len(x));
    else writeValue(w, x, true);
  }
  opa_println(wfinish(w));
  return TRUE_V;
}

export { setAdd, arrPush };
