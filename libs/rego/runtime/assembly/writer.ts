// A growable byte buffer on the heap, for JSON / Rego text output.

import { malloc, realloc, copyShort } from './mem';

// Writer: buf u32 @0, len u32 @4, cap u32 @8.
export function newWriter(c: u32): usize {
  const w = malloc(12);
  store<u32>(w, <u32>malloc(c));
  store<u32>(w, 0, 4);
  store<u32>(w, c, 8);
  return w;
}

@inline export function wbuf(w: usize): usize { return load<u32>(w); }
@inline export function wlen(w: usize): u32 { return load<u32>(w, 4); }

/** Returns the address where n more bytes can be written. */
export function wreserve(w: usize, n: u32): usize {
  const l = load<u32>(w, 4), c = load<u32>(w, 8);
  if (l + n > c) {
    let nc = c * 2;
    if (nc < l + n) nc = l + n + 64;
    store<u32>(w, <u32>realloc(load<u32>(w), c, nc));
    store<u32>(w, nc, 8);
  }
  return load<u32>(w) + l;
}

@inline export function wadvance(w: usize, n: u32): void {
  store<u32>(w, load<u32>(w, 4) + n, 4);
}

export function wbyte(w: usize, b: u8): void {
  const p = wreserve(w, 1);
  store<u8>(p, b);
  wadvance(w, 1);
}

export function wbytes(w: usize, src: usize, n: u32): void {
  const p = wreserve(w, n);
  copyShort(p, src, n);
  wadvance(w, n);
}

/** Writes an ASCII AssemblyScript string literal. */
export function wascii(w: usize, s: string): void {
  const n = <u32>s.length;
  const p = wreserve(w, n);
  for (let i: u32 = 0; i < n; i++) store<u8>(p + i, <u8>s.charCodeAt(i));
  wadvance(w, n);
}

/** NUL-terminates and returns the buffer address. */
export function wfinish(w: usize): usize {
  wbyte(w, 0);
  return load<u32>(w);
}
