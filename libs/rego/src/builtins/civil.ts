// Calendar maths on exact nanosecond timestamps (bigint), proleptic Gregorian, UTC — plus
// time-zone offsets from Intl. Nanosecond timestamps exceed 2^53, so nothing here goes
// through a JS number except small fields.

import { BuiltinError } from './types';

export const NS_PER_SEC = 1_000_000_000n;
export const NS_PER_DAY = 86_400n * NS_PER_SEC;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export interface Civil {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nano: number;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Days since 1970-01-01 of a (proleptic Gregorian) date; month may be any integer (normalised). */
export function daysFromCivil(year: number, month: number, day: number): bigint {
  // Normalise month into 1..12, carrying into the year (Go's time.Date does the same).
  const m0 = month - 1;
  let y = year + Math.floor(m0 / 12);
  const m = ((m0 % 12) + 12) % 12 + 1;
  // Howard Hinnant's days_from_civil.
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return BigInt(era) * 146097n + BigInt(doe) - 719468n + BigInt(day - 1);
}

export function civilFromDays(days: bigint): { year: number; month: number; day: number } {
  const z = days + 719468n;
  const era = floorDiv(z, 146097n);
  const doe = Number(z - era * 146097n);
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = Number(era) * 400 + yoe + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function civilFromNs(ns: bigint): Civil {
  const days = floorDiv(ns, NS_PER_DAY);
  const rem = ns - days * NS_PER_DAY;
  const secs = Number(rem / NS_PER_SEC);
  return {
    ...civilFromDays(days),
    hour: Math.floor(secs / 3600),
    minute: Math.floor((secs % 3600) / 60),
    second: secs % 60,
    nano: Number(rem % NS_PER_SEC),
  };
}

/** Nanoseconds since the epoch of a UTC civil time; every field is normalised like Go's time.Date. */
export function nsFromCivil(c: Civil): bigint {
  return (
    daysFromCivil(c.year, c.month, c.day) * NS_PER_DAY +
    BigInt(c.hour) * 3_600n * NS_PER_SEC +
    BigInt(c.minute) * 60n * NS_PER_SEC +
    BigInt(c.second) * NS_PER_SEC +
    BigInt(c.nano)
  );
}

export function daysIn(year: number, month: number): number {
  return Number(daysFromCivil(year, month + 1, 1) - daysFromCivil(year, month, 1));
}

export function checkInt64(fn: string, ns: bigint): bigint {
  if (ns < INT64_MIN || ns > INT64_MAX) throw new BuiltinError(fn, 'time outside of valid range');
  return ns;
}

/** A JS number when exactly representable, else the bigint (the host bridge writes it exactly). */
export function exactInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function weekdayName(c: Civil): string {
  const days = Number(daysFromCivil(c.year, c.month, c.day));
  return WEEKDAYS[(((days + 4) % 7) + 7) % 7]; // 1970-01-01 was a Thursday
}

// ---- time zones -----------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size > 200) formatters.clear();
    formatters.set(tz, f);
  }
  return f;
}

export function resolveZone(fn: string, tz: string): string | undefined {
  if (tz === '' || tz === 'UTC') return undefined;
  const name = tz === 'Local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : tz;
  try {
    formatter(name);
  } catch {
    throw new BuiltinError(fn, `unknown time zone ${tz}`);
  }
  return name === 'UTC' || name === 'Etc/UTC' ? undefined : name;
}

/** Offset of zone `tz` from UTC at instant ns, in seconds. */
export function zoneOffsetSeconds(tz: string, ns: bigint): number {
  const secs = floorDiv(ns, NS_PER_SEC);
  const ms = Number(secs) * 1000;
  const parts = formatter(tz).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const local = nsFromCivil({ year, month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second'), nano: 0 });
  return Number((local - secs * NS_PER_SEC) / NS_PER_SEC);
}

/** Civil time of instant ns in zone tz (undefined = UTC). */
export function civilIn(ns: bigint, tz: string | undefined): Civil {
  if (tz === undefined) return civilFromNs(ns);
  return civilFromNs(ns + BigInt(zoneOffsetSeconds(tz, ns)) * NS_PER_SEC);
}

const abbreviationFormatters = new Map<string, Intl.DateTimeFormat[]>();

/**
 * The zone abbreviation Go prints for layout element "MST" (EST, CEST, …). Intl only knows
 * locale-dependent names, so this tries en-US then en-GB and falls back to tzdata's numeric
 * style ("+09", "+0530") — Go prints e.g. "JST" for Asia/Tokyo where this prints "+09".
 */
export function zoneAbbreviation(tz: string | undefined, ns: bigint, offsetSec: number): string {
  if (tz === undefined) return 'UTC';
  let fs = abbreviationFormatters.get(tz);
  if (!fs) {
    fs = ['en-US', 'en-GB'].map((loc) => new Intl.DateTimeFormat(loc, { timeZone: tz, timeZoneName: 'short' }));
    if (abbreviationFormatters.size > 200) abbreviationFormatters.clear();
    abbreviationFormatters.set(tz, fs);
  }
  const date = new Date(Number(floorDiv(ns, NS_PER_SEC)) * 1000);
  for (const f of fs) {
    const name = f.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (/^[A-Z]{2,5}$/.test(name)) return name;
  }
  const abs = Math.abs(offsetSec);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = Math.floor((abs % 3600) / 60);
  return (offsetSec < 0 ? '-' : '+') + hh + (mm ? String(mm).padStart(2, '0') : '');
}
