// CIDR builtins (IPv4 and IPv6). ipaddr.js parses; the containment maths is done on bigint
// addresses so both families share one code path.

import * as ipaddr from 'ipaddr.js';
import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { isObject, str, toSet, typeName } from './values';

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

function containsCheck(fn: string, cidr: unknown, cidrOrAddr: unknown): boolean {
  return contains(cidrOrFail(fn, 1, cidr), cidrOrIp(fn, 2, cidrOrAddr));
}

function cidrContains(cidr: unknown, cidrOrAddr: unknown): boolean {
  return containsCheck('net.cidr_contains', cidr, cidrOrAddr);
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

/**
 * net.cidr_merge: the smallest set of CIDRs covering the given addresses and CIDRs. Each family
 * is merged on its own: sort the ranges, join overlapping or adjacent ones, then cut every joined
 * range into the largest aligned blocks.
 */
function cidrMerge(addrs: unknown): string[] {
  const fn = 'net.cidr_merge';
  if (!Array.isArray(addrs)) throw new BuiltinError(fn, `operand 1 must be one of {array, set} but got ${typeName(addrs)}`, 'eval_type_error');
  const ranges: Record<32 | 128, Array<[bigint, bigint]>> = { 32: [], 128: [] };
  for (const a of addrs) {
    if (typeof a !== 'string') throw new BuiltinError(fn, `operand 1 elements must be string but got ${typeName(a)}`, 'eval_type_error');
    let net = parseCidr(a);
    if (!net) {
      const addr = parseAddr(a);
      if (!addr) throw new BuiltinError(fn, `IP/CIDR not valid: ${a}`);
      net = addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? fromAddr((addr as ipaddr.IPv6).toIPv4Address()) : fromAddr(addr);
    }
    ranges[net.bits].push([net.base, net.base + (1n << BigInt(net.bits - net.prefix)) - 1n]);
  }
  const out: string[] = [];
  for (const bits of [32, 128] as const) {
    const rs = ranges[bits].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const joined: Array<[bigint, bigint]> = [];
    for (const r of rs) {
      const last = joined[joined.length - 1];
      if (last && r[0] <= last[1] + 1n) {
        if (r[1] > last[1]) last[1] = r[1];
      } else {
        joined.push([r[0], r[1]]);
      }
    }
    for (const [lo, hi] of joined) {
      let start = lo;
      while (start <= hi) {
        // The largest block aligned at `start` that stays within [start, hi].
        let size = 0;
        while (size < bits && ((start >> BigInt(size)) & 1n) === 0n && start + (1n << BigInt(size + 1)) - 1n <= hi) size++;
        out.push(`${addrText(start, bits)}/${bits - size}`);
        start += 1n << BigInt(size);
      }
    }
  }
  return toSet(out) as string[];
}

/** An entry of a cidr_contains_matches collection: a string, or a tuple whose first element is the CIDR. */
function matchTerm(fn: string, v: unknown): unknown {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    if (v.length === 0) throw new BuiltinError(fn, 'cidr tuple must have at least one element');
    return v[0];
  }
  throw new BuiltinError(fn, `cidr term must be string or array but got ${typeName(v)}`, 'eval_type_error');
}

/** [key, cidr] pairs of an operand: a string is its own key, arrays use indices, objects their keys. */
function matchEntries(fn: string, pos: number, v: unknown): Array<[unknown, unknown]> {
  if (typeof v === 'string') return [[v, v]];
  // Sets arrive as arrays (JSON bridge), so a set's entries get indices where OPA uses the element.
  if (Array.isArray(v)) return v.map((x, i) => [i, matchTerm(fn, x)]);
  if (isObject(v)) return Object.keys(v).map((k) => [k, matchTerm(fn, v[k])]);
  throw new BuiltinError(fn, `operand ${pos} must be one of {string, array, object, set} but got ${typeName(v)}`, 'eval_type_error');
}

/** net.cidr_contains_matches: every [key1, key2] where cidrs[key1] contains cidrs_or_ips[key2]. */
function cidrContainsMatches(cidrs: unknown, cidrsOrIps: unknown): unknown[] {
  const fn = 'net.cidr_contains_matches';
  const outer = matchEntries(fn, 1, cidrs);
  const inner = matchEntries(fn, 2, cidrsOrIps);
  const out: unknown[] = [];
  for (const [k1, c1] of outer) {
    for (const [k2, c2] of inner) {
      if (containsCheck(fn, c1, c2)) out.push([k1, k2]);
    }
  }
  return toSet(out);
}

export const NET_BUILTINS: Record<string, HostBuiltin> = {
  'net.cidr_contains': cidrContains,
  'net.cidr_intersects': cidrIntersects,
  'net.cidr_is_valid': cidrIsValid,
  'net.cidr_expand': cidrExpand,
  'net.cidr_merge': cidrMerge,
  'net.cidr_contains_matches': cidrContainsMatches,
};
