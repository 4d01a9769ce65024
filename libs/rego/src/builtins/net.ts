// CIDR builtins (IPv4 and IPv6). ipaddr.js parses; the containment maths is done on bigint
// addresses so both families share one code path.

import * as ipaddr from 'ipaddr.js';
import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { str, toSet } from './values';

interface Net {
  bits: 32 | 128;
  /** Network address (host bits cleared). */
  base: bigint;
  prefix: number;
}

/** Largest expansion net.cidr_expand will produce (a /8 would be 16M strings). */
export const MAX_EXPAND = 65536;

function toBig(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function parseAddr(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (text.includes('%')) return undefined; // zones are not addresses
  if (text.includes(':')) return ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : undefined;
  return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text) : undefined;
}

function mask(v: bigint, bits: number, prefix: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (v >> hostBits) << hostBits;
}

function fromAddr(a: ipaddr.IPv4 | ipaddr.IPv6, prefix?: number): Net {
  const bits = a.kind() === 'ipv4' ? 32 : 128;
  const p = prefix ?? bits;
  return { bits, base: mask(toBig(a.toByteArray()), bits, p), prefix: p };
}

function parseCidr(text: string): Net | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseAddr(text.slice(0, slash));
  const pText = text.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(pText)) return undefined;
  const prefix = Number(pText);
  const bits = addr.kind() === 'ipv4' ? 32 : 128;
  if (prefix > bits) return undefined;
  return fromAddr(addr, prefix);
}

function cidrOrFail(fn: string, pos: number, v: unknown): Net {
  const text = str(fn, pos, v);
  const net = parseCidr(text);
  if (!net) throw new BuiltinError(fn, `invalid CIDR address: ${text}`);
  return net;
}

/** A CIDR or a bare IP (a /32 or /128), IPv4-mapped IPv6 addresses folded to IPv4. */
function cidrOrIp(fn: string, pos: number, v: unknown): Net {
  const text = str(fn, pos, v);
  const net = parseCidr(text);
  if (net) return net;
  const addr = parseAddr(text);
  if (!addr) throw new BuiltinError(fn, `invalid IP or CIDR address: ${text}`);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    return fromAddr((addr as ipaddr.IPv6).toIPv4Address());
  }
  return fromAddr(addr);
}

function contains(outer: Net, inner: Net): boolean {
  return outer.bits === inner.bits && inner.prefix >= outer.prefix && mask(inner.base, outer.bits, outer.prefix) === outer.base;
}

function cidrContains(cidr: unknown, cidrOrAddr: unknown): boolean {
  return contains(cidrOrFail('net.cidr_contains', 1, cidr), cidrOrIp('net.cidr_contains', 2, cidrOrAddr));
}

function cidrIntersects(a: unknown, b: unknown): boolean {
  const x = cidrOrFail('net.cidr_intersects', 1, a);
  const y = cidrOrFail('net.cidr_intersects', 2, b);
  return contains(x, y) || contains(y, x);
}

function cidrIsValid(cidr: unknown): boolean {
  return typeof cidr === 'string' && parseCidr(cidr) !== undefined;
}

function addrText(v: bigint, bits: 32 | 128): string {
  const bytes: number[] = [];
  for (let i = bits / 8 - 1; i >= 0; i--) bytes.push(Number((v >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

function cidrExpand(cidr: unknown): string[] {
  const net = cidrOrFail('net.cidr_expand', 1, cidr);
  const size = 1n << BigInt(net.bits - net.prefix);
  if (size > BigInt(MAX_EXPAND)) throw new BuiltinError('net.cidr_expand', `CIDR ${String(cidr)} has ${size} addresses; at most ${MAX_EXPAND} can be expanded`);
  const out: string[] = [];
  for (let i = 0n; i < size; i++) out.push(addrText(net.base + i, net.bits));
  return toSet(out) as string[];
}

export const NET_BUILTINS: Record<string, HostBuiltin> = {
  'net.cidr_contains': cidrContains,
  'net.cidr_intersects': cidrIntersects,
  'net.cidr_is_valid': cidrIsValid,
  'net.cidr_expand': cidrExpand,
};
