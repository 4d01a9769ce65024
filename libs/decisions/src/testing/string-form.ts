// V8 string representations, for specs of the code that keeps the SQL text one-byte.
import assert from 'node:assert/strict';
import { serialize } from 'node:v8';

/**
 * Whether V8 holds the string two bytes per character: its tag in the structured-clone format
 * ('c'; one-byte is '"'), after the header (0xff, version) and any padding (0x00) that aligns
 * two-byte data.
 */
export function isTwoByte(s: string): boolean {
  const b = serialize(s);
  let i = 2;
  while (b[i] === 0) i++;
  return b[i] === 0x63;
}

/** Latin-1 text held in V8's two-byte form, as a slice of a larger two-byte string. */
export function twoByteLatin1(text: string): string {
  const s = `\u2192${text}`.slice(1);
  assert.ok(isTwoByte(s), 'the spec needs a two-byte string');
  return s;
}
