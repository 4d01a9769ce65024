// JSON / Rego-syntax dumping (parsing is in json-parse.ts).

import { malloc } from './mem';
import {
  NULL_V, TRUE_V, FALSE_V, EMPTY_STR, T_NULL, T_BOOL, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, N_BIG,
  tag, len, elem, objKey, objVal, strPtr, numKind, mkColl, mkStrRef, mkStrAlloc, arrPush, insertAt,
} from './value';
import { formatNumber } from './number';
export { parseJson } from './json-parse';
import { newWriter, wreserve, wadvance, wbyte, wbytes, wascii, wfinish } from './writer';

// ---- dumping -------------------------------------------------------------------------------

const HEX: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

export function writeString(w: usize, p: usize, n: u32): void {
  // Worst case every byte becomes \u00XX.
  let o = wreserve(w, n * 6 + 2);
  const o0 = o;
  store<u8>(o++, 34);
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c >= 32 && c != 34 && c != 92) { store<u8>(o++, c); continue; }
    store<u8>(o++, 92);
    if (c == 34 || c == 92) store<u8>(o++, c);
    else if (c == 10) store<u8>(o++, 110);
    else if (c == 9) store<u8>(o++, 116);
    else if (c == 13) store<u8>(o++, 114);
    else {
      store<u8>(o, 117);
      store<u8>(o + 1, 48);
      store<u8>(o + 2, 48);
      store<u8>(o + 3, load<u8>(HEX + (c >> 4)));
      store<u8>(o + 4, load<u8>(HEX + (c & 15)));
      o += 5;
    }
  }
  store<u8>(o++, 34);
  wadvance(w, <u32>(o - o0));
}

export function writeNumber(w: usize, v: usize): void {
  if (numKind(v) == N_BIG) {
    wbytes(w, load<u32>(v, 8), load<u32>(v, 12));
    return;
  }
  const p = wreserve(w, 40);
  const n = formatNumber(v, p);
  wadvance(w, n);
}

/**
 * rego=false: compact JSON (sets as arrays, non-string keys as their JSON text);
 * rego=true: Rego syntax as OPA prints terms (`{1, 2}`, `{"a": 1}`, `set()`).
 */
export function writeValue(w: usize, v: usize, rego: bool): void {
  switch (tag(v)) {
    case T_NULL: wascii(w, "null"); return;
    case T_BOOL: wascii(w, load<u32>(v, 4) != 0 ? "true" : "false"); return;
    case T_NUMBER: writeNumber(w, v); return;
    case T_STRING: writeString(w, strPtr(v), len(v)); return;
    case T_ARRAY:
    case T_SET: {
      const n = len(v);
      const set = tag(v) == T_SET && rego;
      if (set && n == 0) { wascii(w, "set()"); return; }
      wbyte(w, set ? 123 : 91);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) { wbyte(w, 44); if (rego) wbyte(w, 32); }
        writeValue(w, elem(v, i), rego);
      }
      wbyte(w, set ? 125 : 93);
      return;
    }
    case T_OBJECT: {
      const n = len(v);
      wbyte(w, 123);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) { wbyte(w, 44); if (rego) wbyte(w, 32); }
        const k = objKey(v, i);
        if (tag(k) == T_STRING || rego) writeValue(w, k, rego);
        else {
          const kw = newWriter(32);
          writeValue(kw, k, false);
          writeString(w, load<u32>(kw), load<u32>(kw, 4));
        }
        wbyte(w, 58);
        if (rego) wbyte(w, 32);
        writeValue(w, objVal(v, i), rego);
      }
      wbyte(w, 125);
      return;
    }
  }
}

export function dumpJson(v: usize): usize {
  const w = newWriter(256);
  writeValue(w, v, false);
  return wfinish(w);
}

export function dumpRego(v: usize): usize {
  const w = newWriter(256);
  writeValue(w, v, true);
  return wfinish(w);
}

export { malloc, T_SET };
