// Time builtins on int64 nanosecond timestamps. Results beyond 2^53 are returned as bigint,
// which the host bridge (host/exact-json.ts) writes as exact JSON integers; arguments beyond
// 2^53 arrive as bigint for the same reason.

import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { evalContext } from './context';
import {
  checkInt64,
  Civil,
  civilIn,
  daysFromCivil,
  daysIn,
  exactInt,
  nsFromCivil,
  NS_PER_SEC,
  resolveZone,
  weekdayName,
  zoneAbbreviation,
  zoneOffsetSeconds,
} from './civil';
import { formatWithLayout, parseWithLayout } from './time-layout';
import { int, str, typeName } from './values';

function nsArg(fn: string, pos: number, v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v !== 'number') throw new BuiltinError(fn, `operand ${pos} must be number but got ${typeName(v)}`, 'eval_type_error');
  if (!Number.isFinite(v)) throw new BuiltinError(fn, 'timestamp too big');
  return BigInt(Math.trunc(v));
}

/** A timestamp argument: ns, or [ns, "Zone/Name"]. */
function zonedArg(fn: string, pos: number, v: unknown): { ns: bigint; tz: string | undefined } {
  if (Array.isArray(v)) {
    if (v.length !== 2) throw new BuiltinError(fn, `operand ${pos} must be array of two elements`, 'eval_type_error');
    return { ns: nsArg(fn, pos, v[0]), tz: resolveZone(fn, str(fn, pos, v[1])) };
  }
  return { ns: nsArg(fn, pos, v), tz: undefined };
}

function zoned(fn: string, v: unknown): Civil {
  const { ns, tz } = zonedArg(fn, 1, v);
  return civilIn(ns, tz);
}

function nowNs(): number | bigint {
  return exactInt(evalContext().nowNs);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})$/;

function parseRfc3339(value: unknown): number | bigint {
  const fn = 'time.parse_rfc3339_ns';
  const s = str(fn, 1, value);
  const m = RFC3339.exec(s);
  if (!m) throw new BuiltinError(fn, `cannot parse ${JSON.stringify(s)} as RFC 3339`);
  const c: Civil = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
    nano: m[7] ? Number(m[7].slice(0, 9).padEnd(9, '0')) : 0,
  };
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > daysIn(c.year, c.month) || c.hour > 23 || c.minute > 59 || c.second > 59) {
    throw new BuiltinError(fn, `cannot parse ${JSON.stringify(s)}: value out of range`);
  }
  let offset = 0;
  if (m[8] !== 'Z') {
    const hh = Number(m[8].slice(1, 3));
    const mm = Number(m[8].slice(4, 6));
    if (hh > 23 || mm > 59) throw new BuiltinError(fn, `cannot parse ${JSON.stringify(s)}: time zone offset out of range`);
    offset = (hh * 3600 + mm * 60) * (m[8][0] === '-' ? -1 : 1);
  }
  return exactInt(checkInt64(fn, nsFromCivil(c) - BigInt(offset) * NS_PER_SEC));
}

function parseNs(layout: unknown, value: unknown): number | bigint {
  const fn = 'time.parse_ns';
  return exactInt(checkInt64(fn, parseWithLayout(fn, str(fn, 1, layout), str(fn, 2, value))));
}

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: NS_PER_SEC,
  m: 60n * NS_PER_SEC,
  h: 3_600n * NS_PER_SEC,
};

/** Go's time.ParseDuration. */
export function parseDuration(fn: string, s: string): bigint {
  const bad = () => new BuiltinError(fn, `time: invalid duration ${JSON.stringify(s)}`);
  let rest = s;
  let neg = false;
  if (rest[0] === '-' || rest[0] === '+') {
    neg = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw bad();
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?([^\d.]+)/.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw bad();
    const unitMatch = /^(ns|us|µs|μs|ms|s|m|h)/.exec(m[3]);
    if (!unitMatch) throw new BuiltinError(fn, `time: unknown unit ${JSON.stringify(m[3])} in duration ${JSON.stringify(s)}`);
    const unit = UNIT_NS[unitMatch[1]];
    let v = BigInt(m[1] || '0') * unit;
    if (m[2]) v += (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length);
    total += v;
    if (total > 2n ** 63n - (neg ? 0n : 1n)) throw bad();
    rest = rest.slice(m[1].length + (m[2] !== undefined ? m[2].length + 1 : 0) + unitMatch[1].length);
  }
  return neg ? -total : total;
}

function parseDurationNs(value: unknown): number | bigint {
  return exactInt(parseDuration('time.parse_duration_ns', str('time.parse_duration_ns', 1, value)));
}

function addDate(ns: unknown, years: unknown, months: unknown, days: unknown): number | bigint {
  const fn = 'time.add_date';
  const c = civilIn(nsArg(fn, 1, ns), undefined);
  const shifted: Civil = {
    ...c,
    year: c.year + int(fn, 2, years),
    month: c.month + int(fn, 3, months),
    day: c.day + int(fn, 4, days),
  };
  return exactInt(checkInt64(fn, nsFromCivil(shifted)));
}

function date(v: unknown): number[] {
  const c = zoned('time.date', v);
  return [c.year, c.month, c.day];
}

function clock(v: unknown): number[] {
  const c = zoned('time.clock', v);
  return [c.hour, c.minute, c.second];
}

function weekday(v: unknown): string {
  return weekdayName(zoned('time.weekday', v));
}

/** [years, months, days, hours, minutes, seconds] between two instants (order-independent). */
function diff(a: unknown, b: unknown): number[] {
  const fn = 'time.diff';
  const x = zonedArg(fn, 1, a);
  const y = zonedArg(fn, 2, b);
  // Both are viewed in the first argument's zone.
  let [t1, t2] = [x.ns, y.ns];
  if (t1 > t2) [t1, t2] = [t2, t1];
  const c1 = civilIn(t1, x.tz);
  const c2 = civilIn(t2, x.tz);
  let years = c2.year - c1.year;
  let months = c2.month - c1.month;
  let days = c2.day - c1.day;
  let hours = c2.hour - c1.hour;
  let minutes = c2.minute - c1.minute;
  let seconds = c2.second - c1.second;
  if (seconds < 0) (seconds += 60), minutes--;
  if (minutes < 0) (minutes += 60), hours--;
  if (hours < 0) (hours += 24), days--;
  if (days < 0) (days += daysIn(c1.year, c1.month)), months--;
  if (months < 0) (months += 12), years--;
  return [years, months, days, hours, minutes, seconds];
}

/**
 * time.format(x): x is ns, [ns, tz] or [ns, tz, layout]; the layout is a Go reference layout or
 * one of Go's constant names (RFC3339, ANSIC, Kitchen…). Default: RFC3339Nano in UTC.
 * "Local" is treated as UTC: a policy decision must not depend on the zone of the machine that
 * happens to evaluate it (OPA would use the process zone).
 */
function format(v: unknown): string {
  const fn = 'time.format';
  let ns: bigint;
  let tz: string | undefined;
  let layout = 'RFC3339Nano';
  if (Array.isArray(v)) {
    if (v.length !== 2 && v.length !== 3) throw new BuiltinError(fn, 'operand 1 must be an array of two or three elements', 'eval_type_error');
    ns = nsArg(fn, 1, v[0]);
    const zone = str(fn, 1, v[1]);
    tz = zone === 'Local' ? undefined : resolveZone(fn, zone);
    if (v.length === 3) layout = str(fn, 1, v[2]);
  } else {
    ns = nsArg(fn, 1, v);
  }
  const offset = tz === undefined ? 0 : zoneOffsetSeconds(tz, ns);
  const c = civilIn(ns, tz);
  const weekdayIndex = Number(((daysFromCivil(c.year, c.month, c.day) + 4n) % 7n + 7n) % 7n); // 1970-01-01: Thursday
  return formatWithLayout(layout, c, weekdayIndex, offset, zoneAbbreviation(tz, ns, offset));
}

export const TIME_BUILTINS: Record<string, HostBuiltin> = {
  'time.now_ns': nowNs,
  'time.parse_rfc3339_ns': parseRfc3339,
  'time.parse_ns': parseNs,
  'time.parse_duration_ns': parseDurationNs,
  'time.add_date': addDate,
  'time.date': date,
  'time.clock': clock,
  'time.weekday': weekday,
  'time.diff': diff,
  'time.format': format,
};
