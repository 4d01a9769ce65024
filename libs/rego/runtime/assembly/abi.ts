// The OPA Wasm ABI 1.x exports implemented by the runtime, and the helpers the generated
// code calls (prefixed rt_). The generated module adds opa_eval, eval, entrypoints and builtins.

import { malloc, opa_abort, arbiter_heap_ptr, opa_heap_ptr_set } from './mem';
import {
  TRUE_V, FALSE_V, NULL_V, T_STRING, T_ARRAY, T_OBJECT, T_SET, tag, len, elem, mkColl, mkInt, arrPush,
} from './value';
import { equal, search, compare } from './compare';
import {
  dot, iterLen, iterKey, iterVal, objPut, objPutOnce, setAdd, objMerge, upsert, objGet,
  arrToSet, objGetStrAt,
} from './coll';
import { parseJson, dumpJson, dumpRego } from './json';
import { removeAt } from './value';
import { newWriter, wascii, wbytes, wfinish } from './writer';
import { b_internal_member_2 } from './b_coll';

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 2;

export function opa_json_parse(addr: usize, n: usize): usize {
  return parseJson(addr, <u32>n, false);
}

export function opa_value_parse(addr: usize, n: usize): usize {
  return parseJson(addr, <u32>n, false);
}

export function opa_json_dump(v: usize): usize {
  return dumpJson(v);
}

export function opa_value_dump(v: usize): usize {
  return dumpRego(v);
}

/** Sets base[path…] = value in place, creating objects on the way. 0 = ok. */
export function opa_value_add_path(base: usize, path: usize, value: usize): i32 {
  if (base == 0 || path == 0 || tag(path) != T_ARRAY) return 2;
  const n = len(path);
  if (n == 0) return 3;
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    if (tag(cur) != T_OBJECT) return 3;
    let next = objGet(cur, elem(path, i));
    if (next == 0) {
      next = mkColl(T_OBJECT, 4);
      objPut(cur, elem(path, i), next);
    }
    cur = next;
  }
  if (tag(cur) != T_OBJECT) return 3;
  objPut(cur, elem(path, n - 1), value);
  return 0;
}

export function opa_value_remove_path(base: usize, path: usize): i32 {
  if (base == 0 || path == 0 || tag(path) != T_ARRAY) return 2;
  const n = len(path);
  if (n == 0) return 3;
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    if (tag(cur) != T_OBJECT) return 0;
    cur = objGet(cur, elem(path, i));
    if (cur == 0) return 0;
  }
  if (tag(cur) != T_OBJECT) return 0;
  const j = search(cur, elem(path, n - 1));
  if (j >= 0) removeAt(cur, <u32>j);
  return 0;
}

// ---- ABI 1.0 evaluation context: input @0, data @4, result @8, entrypoint @12 ------------

export function opa_eval_ctx_new(): usize {
  const c = malloc(16);
  memory.fill(c, 0, 16);
  return c;
}
export function opa_eval_ctx_set_input(c: usize, v: usize): void { store<u32>(c, <u32>v); }
export function opa_eval_ctx_set_data(c: usize, v: usize): void { store<u32>(c, <u32>v, 4); }
export function opa_eval_ctx_set_entrypoint(c: usize, e: i32): void { store<i32>(c, e, 12); }
export function opa_eval_ctx_get_result(c: usize): usize { return load<u32>(c, 8); }
export function rt_ctx_input(c: usize): usize { return load<u32>(c); }
export function rt_ctx_data(c: usize): usize { return load<u32>(c, 4); }
export function rt_ctx_entrypoint(c: usize): i32 { return load<i32>(c, 12); }
export function rt_ctx_set_result(c: usize, v: usize): void { store<u32>(c, <u32>v, 8); }

// ---- helpers for the generated code --------------------------------------------------------

/** Starts an opa_eval: resets the heap and parses the input (0 = no input). */
export function rt_eval_begin(heapPtr: usize, inputAddr: usize, inputLen: usize): usize {
  opa_heap_ptr_set(heapPtr);
  if (inputLen == 0) return 0;
  const v = parseJson(inputAddr, <u32>inputLen, false);
  if (v == 0) {
    opa_abort(cstrInvalidInput());
    unreachable();
  }
  return v;
}

function cstrInvalidInput(): usize {
  const w = newWriter(64);
  wascii(w, "eval_error: input is not valid JSON");
  return wfinish(w);
}

export function rt_eval_end(rs: usize): usize {
  return dumpJson(rs);
}

export function rt_dot(src: usize, key: usize): usize { return dot(src, key); }
/**
 * src[key] at an access site of the generated code; `hint` is the site's own u32 (in the
 * constant segment) remembering where a string key was last found (coll.ts objGetStrAt).
 */
export function rt_dot_at(src: usize, key: usize, hint: usize): usize {
  if (src != 0 && key != 0 && tag(src) == T_OBJECT && tag(key) == T_STRING) return objGetStrAt(src, key, hint);
  return dot(src, key);
}
export function rt_equal(a: usize, b: usize): i32 { return equal(a, b) ? 1 : 0; }
export function rt_compare(a: usize, b: usize): i32 { return compare(a, b); }
export function rt_tag(v: usize): u32 { return v == 0 ? 0 : tag(v); }
export function rt_len(v: usize): usize {
  if (v == 0) return 0;
  const t = tag(v);
  if (t >= T_ARRAY) return mkInt(<i64>len(v));
  if (t == 4) return mkInt(<i64>utf8Count(load<u32>(v, 8), len(v)));
  return 0;
}
export function utf8Count(p: usize, n: u32): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) c++;
  return c;
}
export function rt_iter_len(v: usize): u32 { return iterLen(v); }
export function rt_iter_key(v: usize, i: u32): usize { return iterKey(v, i); }
export function rt_iter_val(v: usize, i: u32): usize { return iterVal(v, i); }
export function rt_make_array(c: u32): usize { return mkColl(T_ARRAY, c); }
export function rt_make_object(): usize { return mkColl(T_OBJECT, 4); }
export function rt_make_set(): usize { return mkColl(T_SET, 4); }
export function rt_make_int(i: i64): usize { return mkInt(i); }
export function rt_array_append(a: usize, v: usize): void { arrPush(a, v); }
export function rt_object_insert(o: usize, k: usize, v: usize): void { objPut(o, k, v); }
export function rt_object_insert_once(o: usize, k: usize, v: usize): i32 { return objPutOnce(o, k, v) ? 1 : 0; }
export function rt_set_add(s: usize, v: usize): void { setAdd(s, v); }
export function rt_object_merge(a: usize, b: usize): usize { return objMerge(a, b); }
export function rt_upsert(base: usize, path: usize, v: usize): usize { return upsert(base, path, 0, v); }
export function rt_array_to_set(a: usize): usize { return arrToSet(a); }
export function rt_true(): usize { return TRUE_V; }
export function rt_false(): usize { return FALSE_V; }
export function rt_null(): usize { return NULL_V; }
export function rt_heap_ptr(): usize { return arbiter_heap_ptr; }

/** Aborts with `message` (a NUL-terminated constant) — eval_conflict_error & co. */
export function rt_abort(msg: usize): void {
  opa_abort(msg);
  unreachable();
}

export { wbytes };

/** `x in coll` as a test (1: a member); the generated code fuses it with its use (codegen/fuse.ts). */
export function rt_member(x: usize, c: usize): i32 {
  return b_internal_member_2(x, c) == TRUE_V ? 1 : 0;
}

/** Whether two strings of the same length (checked by the caller) hold the same bytes. */
export function rt_same_bytes(a: usize, b: usize): i32 {
  return memory.compare(load<u32>(a, 8), load<u32>(b, 8), len(a)) == 0 ? 1 : 0;
}

export function rt_not_equal(a: usize, b: usize): i32 {
  if (a == 0 || b == 0) return 0;
  return equal(a, b) ? 0 : 1;
}
