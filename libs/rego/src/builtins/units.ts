// units.parse / units.parse_bytes, computed exactly on rationals (bigint) so "10Ei" and
// "1e3K" give exact integers; a fractional result is returned as a JS number.

import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { exactInt } from './civil';
import { str } from './values';

interface Ratio {
  num: bigint;
  den: bigint;
}

const NUMBER = /^([0-9]*\.?[0-9]*)(?:[eE]([-+]?[0-9]+))?/;

/** Splits "1.5e3Ki" into an exact ratio and the unit text. */
function splitAmount(fn: string, raw: string): { value: Ratio; unit: string } {
  let s = raw;
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1);
  if (/\s/.test(s)) throw new BuiltinError(fn, 'spaces not allowed in resource strings');
  const m = NUMBER.exec(s);
  const mant = m?.[1] ?? '';
  if (!m || mant === '' || mant === '.') throw new BuiltinError(fn, `no amount provided in ${JSON.stringify(raw)}`);
  const [intPart, frac = ''] = mant.split('.');
  let num = BigInt((intPart || '0') + frac);
  let den = 10n ** BigInt(frac.length);
  const exp = Number(m[2] ?? 0);
  if (Math.abs(exp) > 400) throw new BuiltinError(fn, `exponent out of range in ${JSON.stringify(raw)}`);
  if (exp >= 0) num *= 10n ** BigInt(exp);
  else den *= 10n ** BigInt(-exp);
  return { value: { num, den }, unit: s.slice(m[0].length) };
}

const DEC = (p: number): Ratio => ({ num: 10n ** BigInt(p), den: 1n });
const BIN = (p: number): Ratio => ({ num: 2n ** BigInt(p), den: 1n });

const SI_UNITS: Record<string, Ratio> = {
  '': DEC(0),
  m: { num: 1n, den: 1000n },
  k: DEC(3), ki: BIN(10),
  M: DEC(6), mi: BIN(20),
  g: DEC(9), gi: BIN(30),
  t: DEC(12), ti: BIN(40),
  p: DEC(15), pi: BIN(50),
  e: DEC(18), ei: BIN(60),
};

function siUnit(unit: string): Ratio | undefined {
  // 'm' (milli) and 'M' (mega) are case-sensitive; every other unit is not.
  if (unit === 'm' || unit === 'M') return SI_UNITS[unit];
  const lower = unit.toLowerCase();
  return lower === 'm' ? undefined : SI_UNITS[lower];
}

function ratioResult(r: Ratio): number | bigint {
  if (r.num % r.den === 0n) return exactInt(r.num / r.den);
  return Number(r.num) / Number(r.den);
}

function parse(x: unknown): number | bigint {
  const fn = 'units.parse';
  const { value, unit } = splitAmount(fn, str(fn, 1, x));
  const u = siUnit(unit);
  if (!u) throw new BuiltinError(fn, `unknown unit ${JSON.stringify(unit)}`);
  return ratioResult({ num: value.num * u.num, den: value.den * u.den });
}

const BYTE_UNITS: Record<string, Ratio> = {
  '': DEC(0), b: DEC(0),
  k: DEC(3), kb: DEC(3), ki: BIN(10), kib: BIN(10),
  m: DEC(6), mb: DEC(6), mi: BIN(20), mib: BIN(20),
  g: DEC(9), gb: DEC(9), gi: BIN(30), gib: BIN(30),
  t: DEC(12), tb: DEC(12), ti: BIN(40), tib: BIN(40),
  p: DEC(15), pb: DEC(15), pi: BIN(50), pib: BIN(50),
  e: DEC(18), eb: DEC(18), ei: BIN(60), eib: BIN(60),
};

function parseBytes(x: unknown): number | bigint {
  const fn = 'units.parse_bytes';
  const { value, unit } = splitAmount(fn, str(fn, 1, x));
  const u = BYTE_UNITS[unit.toLowerCase()];
  if (!u) throw new BuiltinError(fn, `unknown byte unit ${JSON.stringify(unit)}`);
  return exactInt((value.num * u.num) / (value.den * u.den)); // truncated to whole bytes
}

export const UNITS_BUILTINS: Record<string, HostBuiltin> = {
  'units.parse': parse,
  'units.parse_bytes': parseBytes,
};
