// Comparing a string's bytes with constant bytes inline: the code generator knows a field
// name's or string constant's bytes, so the test is a few word loads compared with immediates
// instead of a call into the runtime that loads both sides.
import type { BModule, Expr } from './binaryen';

/** Longest constant compared inline (longer ones call the runtime). */
export const INLINE_BYTES_MAX = 32;

function word(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) | 0;
}

/**
 * An i32 expression: 1 when the bytes at address `ptr()` equal `bytes`. The caller has checked
 * that the string there has exactly bytes.length bytes (loads stay inside it) and that the
 * length is at most INLINE_BYTES_MAX. `ptr` is called once per load.
 */
export function sameBytesInline(m: BModule, ptr: () => Expr, bytes: Uint8Array): Expr {
  const n = bytes.length;
  const eq = (load: Expr, value: number) => m.i32.eq(load, m.i32.const(value));
  const tests: Expr[] = [];
  if (n >= 4) {
    // Whole words, then one overlapping word for the tail.
    for (let at = 0; at + 4 <= n; at += 4) tests.push(eq(m.i32.load(at, 1, ptr()), word(bytes, at)));
    if (n % 4 !== 0) tests.push(eq(m.i32.load(n - 4, 1, ptr()), word(bytes, n - 4)));
  } else if (n >= 2) {
    tests.push(eq(m.i32.load16_u(0, 1, ptr()), bytes[0] | (bytes[1] << 8)));
    if (n === 3) tests.push(eq(m.i32.load8_u(2, 1, ptr()), bytes[2]));
  } else if (n === 1) {
    tests.push(eq(m.i32.load8_u(0, 1, ptr()), bytes[0]));
  }
  if (tests.length === 0) return m.i32.const(1);
  return tests.reduce((acc, t) => m.i32.and(acc, t));
}
