// base64, base64url, hex and URL-query encodings with Go's strictness: invalid input is an
// error (→ undefined), never silently half-decoded.

import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { coll, obj, str } from './values';

const STD_B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URL_B64 = /^(?:[A-Za-z0-9\-_]{4})*(?:[A-Za-z0-9\-_]{2}==|[A-Za-z0-9\-_]{3}=)?$/;

/** Go's decoders skip CR and LF. */
function stripNewlines(s: string): string {
  return s.replace(/[\r\n]/g, '');
}

function b64Encode(x: unknown): string {
  return Buffer.from(str('base64.encode', 1, x), 'utf8').toString('base64');
}

function b64Decode(x: unknown): string {
  const s = stripNewlines(str('base64.decode', 1, x));
  if (!STD_B64.test(s)) throw new BuiltinError('base64.decode', 'illegal base64 data');
  return Buffer.from(s, 'base64').toString('utf8');
}

function b64IsValid(x: unknown): boolean {
  return typeof x === 'string' && STD_B64.test(stripNewlines(x));
}

function b64urlEncode(x: unknown): string {
  const b = Buffer.from(str('base64url.encode', 1, x), 'utf8').toString('base64url');
  return b + '='.repeat((4 - (b.length % 4)) % 4);
}

function b64urlEncodeNoPad(x: unknown): string {
  return Buffer.from(str('base64url.encode_no_pad', 1, x), 'utf8').toString('base64url');
}

function b64urlDecode(x: unknown): string {
  let s = stripNewlines(str('base64url.decode', 1, x));
  // Unpadded input is accepted (RFC 7515 appendix C).
  if (!s.endsWith('=')) {
    const r = s.length % 4;
    if (r === 1) throw new BuiltinError('base64url.decode', `illegal base64url string: ${s}`);
    if (r) s += '='.repeat(4 - r);
  }
  if (!URL_B64.test(s)) throw new BuiltinError('base64url.decode', 'illegal base64 data');
  return Buffer.from(s, 'base64url').toString('utf8');
}

function hexEncode(x: unknown): string {
  return Buffer.from(str('hex.encode', 1, x), 'utf8').toString('hex');
}

function hexDecode(x: unknown): string {
  const s = str('hex.decode', 1, x);
  if (s.length % 2) throw new BuiltinError('hex.decode', 'encoding/hex: odd length hex string');
  const bad = /[^0-9a-fA-F]/.exec(s);
  if (bad) throw new BuiltinError('hex.decode', `encoding/hex: invalid byte: ${JSON.stringify(bad[0])}`);
  return Buffer.from(s, 'hex').toString('utf8');
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Go's url.QueryUnescape. */
export function queryUnescape(fn: string, s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '%') {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new BuiltinError(fn, `invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      bytes.push(parseInt(h, 16));
      i += 2;
    } else if (c === '+') bytes.push(0x20);
    else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function urlqueryEncode(x: unknown): string {
  return queryEscape(str('urlquery.encode', 1, x));
}

function urlqueryDecode(x: unknown): string {
  return queryUnescape('urlquery.decode', str('urlquery.decode', 1, x));
}

function urlqueryEncodeObject(x: unknown): string {
  const fn = 'urlquery.encode_object';
  const o = obj(fn, 1, x);
  const parts: string[] = [];
  for (const k of Object.keys(o).sort()) {
    const v = o[k];
    const values = typeof v === 'string' ? [v] : coll(fn, 1, v);
    for (const item of values) {
      if (typeof item !== 'string') throw new BuiltinError(fn, 'operand 1 values must be strings or arrays/sets of strings', 'eval_type_error');
      parts.push(`${queryEscape(k)}=${queryEscape(item)}`);
    }
  }
  return parts.join('&');
}

/** Go's url.ParseQuery: key → every value, in order. */
function urlqueryDecodeObject(x: unknown): Record<string, string[]> {
  const fn = 'urlquery.decode_object';
  const s = str(fn, 1, x);
  const out: Record<string, string[]> = {};
  for (const part of s.split('&')) {
    if (part === '') continue;
    if (part.includes(';')) throw new BuiltinError(fn, 'invalid semicolon separator in query');
    const eq = part.indexOf('=');
    const k = queryUnescape(fn, eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : queryUnescape(fn, part.slice(eq + 1));
    (out[k] ??= []).push(v);
  }
  return out;
}

export const ENCODING_BUILTINS: Record<string, HostBuiltin> = {
  'base64.encode': b64Encode,
  'base64.decode': b64Decode,
  'base64.is_valid': b64IsValid,
  'base64url.encode': b64urlEncode,
  'base64url.encode_no_pad': b64urlEncodeNoPad,
  'base64url.decode': b64urlDecode,
  'hex.encode': hexEncode,
  'hex.decode': hexDecode,
  'urlquery.encode': urlqueryEncode,
  'urlquery.decode': urlqueryDecode,
  'urlquery.encode_object': urlqueryEncodeObject,
  'urlquery.decode_object': urlqueryDecodeObject,
};
