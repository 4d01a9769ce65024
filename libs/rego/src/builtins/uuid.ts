// uuid.parse: the fields of an RFC 4122 UUID. Accepts the forms Go's uuid.Parse does (canonical
// 8-4-4-4-12, "urn:uuid:" prefix, braces, 32 bare hex digits); anything else is undefined.

import type { HostBuiltin } from './types';
import { str } from './values';

/** 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch. */
const GREGORIAN_TO_UNIX_100NS = 0x01b21dd213814000n;

function uuidBytes(s: string): number[] | undefined {
  let hex: string;
  if (s.length === 36 + 9 && s.slice(0, 9).toLowerCase() === 'urn:uuid:') s = s.slice(9);
  else if (s.length === 38 && s[0] === '{' && s[37] === '}') s = s.slice(1, 37);
  if (s.length === 36) {
    if (s[8] !== '-' || s[13] !== '-' || s[18] !== '-' || s[23] !== '-') return undefined;
    hex = s.slice(0, 8) + s.slice(9, 13) + s.slice(14, 18) + s.slice(19, 23) + s.slice(24);
  } else if (s.length === 32) {
    hex = s;
  } else {
    return undefined;
  }
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  return bytes;
}

function variantName(b8: number): string {
  if ((b8 & 0x80) === 0) return 'Reserved'; // NCS backward compatibility
  if ((b8 & 0xc0) === 0x80) return 'RFC4122';
  if ((b8 & 0xe0) === 0xc0) return 'Microsoft';
  return 'Future';
}

const DOMAINS = ['Person', 'Group', 'Org'];

function parse(value: unknown): Record<string, unknown> | undefined {
  const b = uuidBytes(str('uuid.parse', 1, value));
  if (!b) return undefined;
  const version = b[6] >> 4;
  const out: Record<string, unknown> = { version, variant: variantName(b[8]) };
  if (version === 1 || version === 2) {
    // 60-bit timestamp in 100-ns units since 1582-10-15: time_hi (12 bits) | time_mid | time_low.
    const ticks =
      (BigInt(((b[6] & 0x0f) << 8) | b[7]) << 48n) |
      (BigInt((b[4] << 8) | b[5]) << 32n) |
      BigInt(((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3]);
    // int64 nanoseconds, wrapping like Go's UnixNano for timestamps past 2262.
    const ns = BigInt.asIntN(64, (ticks - GREGORIAN_TO_UNIX_100NS) * 100n);
    out.time = ns >= BigInt(Number.MIN_SAFE_INTEGER) && ns <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(ns) : ns;
    out.clocksequence = ((b[8] << 8) | b[9]) & 0x3fff;
    out.nodeid = b.slice(10).map((x) => x.toString(16).padStart(2, '0')).join('-');
    // The node's first octet: bit 1 = locally administered, bit 0 = multicast.
    out.macvariables = `${b[10] & 0x02 ? 'local' : 'global'}:${b[10] & 0x01 ? 'multicast' : 'unicast'}`;
    if (version === 2) {
      out.id = ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
      out.domain = DOMAINS[b[9]] ?? `Domain${b[9]}`;
    }
  }
  return out;
}

export const UUID_BUILTINS: Record<string, HostBuiltin> = {
  'uuid.parse': parse,
};
