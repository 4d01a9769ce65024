// Parsing a time with a Go reference layout ("2006-01-02T15:04:05Z07:00", "Jan _2 15:04"…),
// for time.parse_ns. Elements the layout omits default like Go's: year 0, January, day 1.

import { BuiltinError } from './types';
import { Civil, daysFromCivil, daysIn, nsFromCivil, NS_PER_SEC } from './civil';

export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Tok = { lit: string } | { std: string };

// Longest tokens first where one is a prefix of another.
const STD = [
  'January', 'Jan', 'Monday', 'Mon', 'MST',
  '2006', '002', '01', '02', '03', '04', '05', '06', '__2', '_2', '15',
  '-07:00:00', '-070000', '-07:00', '-0700', '-07',
  'Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07',
  'PM', 'pm', '1', '2', '3', '4', '5',
];

export function tokenizeLayout(layout: string): Tok[] {
  const toks: Tok[] = [];
  let lit = '';
  let i = 0;
  outer: while (i < layout.length) {
    const c = layout[i];
    if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      let j = i + 1;
      while (layout[j] === layout[i + 1]) j++;
      if (!/[0-9]/.test(layout[j] ?? '')) {
        if (lit) toks.push({ lit }), (lit = '');
        toks.push({ std: layout.slice(i, j) });
        i = j;
        continue;
      }
    }
    for (const s of STD) {
      if (layout.startsWith(s, i)) {
        if (s === '_2' && layout.startsWith('_2006', i)) break; // "_" then a year
        if (lit) toks.push({ lit }), (lit = '');
        toks.push({ std: s });
        i += s.length;
        continue outer;
      }
    }
    lit += c;
    i++;
  }
  if (lit) toks.push({ lit });
  return toks;
}

class ValueReader {
  constructor(
    private readonly v: string,
    public pos = 0,
  ) {}

  rest(): string {
    return this.v.slice(this.pos);
  }

  /** 1–2 digits, or exactly 2 when fixed. */
  num(fixed: boolean, max = 2): number {
    const m = new RegExp(`^\\d{${fixed ? max : 1},${max}}`).exec(this.rest());
    if (!m) throw new Error('bad number');
    this.pos += m[0].length;
    return Number(m[0]);
  }

  name(list: string[], short: boolean): number {
    const r = this.rest().toLowerCase();
    for (let i = 0; i < list.length; i++) {
      const n = (short ? list[i].slice(0, 3) : list[i]).toLowerCase();
      if (r.startsWith(n)) {
        this.pos += n.length;
        return i;
      }
    }
    throw new Error('bad name');
  }

  expect(s: string): void {
    if (!this.rest().startsWith(s)) throw new Error(`expected ${JSON.stringify(s)}`);
    this.pos += s.length;
  }
}

function parseOffset(r: ValueReader, std: string): number {
  if (std.startsWith('Z') && r.rest().startsWith('Z')) {
    r.pos++;
    return 0;
  }
  const sign = r.rest()[0];
  if (sign !== '+' && sign !== '-') throw new Error('bad offset');
  r.pos++;
  const colon = std.includes(':');
  const hh = r.num(true);
  let mm = 0;
  let ss = 0;
  const body = std.slice(1);
  if (body.length > 2) {
    if (colon) r.expect(':');
    mm = r.num(true);
  }
  if (body === '07:00:00' || body === '070000') {
    if (colon) r.expect(':');
    ss = r.num(true);
  }
  const off = hh * 3600 + mm * 60 + ss;
  return sign === '-' ? -off : off;
}

/** Nanoseconds since the epoch of `value` laid out as `layout` (Go's time.Parse, UTC default). */
export function parseWithLayout(fn: string, layoutIn: string, value: string): bigint {
  const layout = NAMED_LAYOUTS[layoutIn] ?? layoutIn;
  const r = new ValueReader(value);
  const c: Civil = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, nano: 0 };
  let pm: boolean | undefined;
  let offset = 0;
  let yday = -1;
  try {
    const toks = tokenizeLayout(layout);
    for (let t = 0; t < toks.length; t++) {
      const tok = toks[t];
      if ('lit' in tok) {
        r.expect(tok.lit);
        continue;
      }
      const s = tok.std;
      switch (s) {
        case '2006': {
          const m = /^\d{4}/.exec(r.rest());
          if (!m) throw new Error('bad year');
          r.pos += 4;
          c.year = Number(m[0]);
          break;
        }
        case '06': {
          const y = r.num(true);
          c.year = y >= 69 ? 1900 + y : 2000 + y;
          break;
        }
        case 'January': c.month = r.name(MONTHS, false) + 1; break;
        case 'Jan': c.month = r.name(MONTHS, true) + 1; break;
        case 'Monday': r.name(DAYS, false); break;
        case 'Mon': r.name(DAYS, true); break;
        case '01': case '1': c.month = r.num(s === '01'); break;
        case '_2': if (r.rest()[0] === ' ') r.pos++; c.day = r.num(false); break;
        case '__2': { while (r.rest()[0] === ' ') r.pos++; yday = r.num(false, 3); break; }
        case '002': yday = r.num(true, 3); break;
        case '02': case '2': c.day = r.num(s === '02'); break;
        case '15': c.hour = r.num(false); break;
        case '03': case '3': c.hour = r.num(s === '03'); if (c.hour > 12) throw new Error('bad hour'); break;
        case '04': case '4': c.minute = r.num(s === '04'); break;
        case '05': case '5': {
          c.second = r.num(s === '05');
          // A fraction after the seconds is accepted even if the layout has none.
          const next = toks[t + 1];
          const m = /^[.,](\d+)/.exec(r.rest());
          if (m && !(next && 'std' in next && /^[.,]/.test(next.std))) {
            r.pos += m[0].length;
            c.nano = Number(m[1].slice(0, 9).padEnd(9, '0'));
          }
          break;
        }
        case 'PM': case 'pm': {
          const ap = r.rest().slice(0, 2);
          const want = s === 'PM' ? ['AM', 'PM'] : ['am', 'pm'];
          if (!want.includes(ap)) throw new Error('bad AM/PM');
          pm = ap === want[1];
          r.pos += 2;
          break;
        }
        case 'MST': {
          const m = /^(UTC|GMT|[A-Z]{3,5})/.exec(r.rest());
          if (!m) throw new Error('bad zone');
          r.pos += m[0].length;
          break; // unknown abbreviations get a zero offset, as in Go
        }
        default:
          if (/^[-Z]07/.test(s)) {
            offset = parseOffset(r, s);
          } else if (/^[.,]/.test(s)) {
            const digits = s.length - 1;
            if (s[1] === '0') {
              const m = new RegExp(`^[.,](\\d{${digits}})`).exec(r.rest());
              if (!m) throw new Error('bad fractional second');
              r.pos += m[0].length;
              c.nano = Number(m[1].slice(0, 9).padEnd(9, '0'));
            } else {
              const m = /^[.,](\d+)/.exec(r.rest());
              if (m) {
                r.pos += m[0].length;
                c.nano = Number(m[1].slice(0, 9).padEnd(9, '0'));
              }
            }
          }
      }
    }
    if (r.pos !== value.length) throw new Error(`extra text ${JSON.stringify(r.rest())}`);
  } catch (e) {
    throw new BuiltinError(fn, `cannot parse ${JSON.stringify(value)} as ${JSON.stringify(layoutIn)}: ${(e as Error).message}`);
  }
  if (pm === true && c.hour < 12) c.hour += 12;
  if (pm === false && c.hour === 12) c.hour = 0;
  if (yday >= 0) {
    c.month = 1;
    c.day = yday;
  }
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > daysIn(c.year, c.month) || c.hour > 23 || c.minute > 59 || c.second > 59) {
    throw new BuiltinError(fn, `cannot parse ${JSON.stringify(value)}: value out of range`);
  }
  return nsFromCivil(c) - BigInt(offset) * NS_PER_SEC;
}

// ---- formatting (time.format) -----------------------------------------------------------------

function pad(n: number, width: number, fill = '0'): string {
  const digits = String(Math.abs(n)).padStart(width, fill);
  return n < 0 ? '-' + digits : digits;
}

/** Go's numeric zone forms: -07, -0700, -07:00, -070000, -07:00:00 (and Z… printing Z for UTC). */
function formatOffset(std: string, offsetSec: number): string {
  if (std[0] === 'Z' && offsetSec === 0) return 'Z';
  const body = std.slice(1);
  const sign = offsetSec < 0 ? '-' : '+';
  const abs = Math.abs(offsetSec);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  const ss = pad(abs % 60, 2);
  const colon = body.includes(':') ? ':' : '';
  if (body === '07') return sign + hh;
  if (body === '07:00' || body === '0700') return sign + hh + colon + mm;
  return sign + hh + colon + mm + colon + ss; // 07:00:00 / 070000
}

/** Fractional seconds: ".000" keeps trailing zeros, ".999" drops them (and the separator when all zero). */
function formatFraction(std: string, nano: number): string {
  const digits = Math.min(std.length - 1, 9);
  const frac = pad(nano, 9).slice(0, digits);
  if (std[1] === '0') return std[0] + frac;
  const trimmed = frac.replace(/0+$/, '');
  return trimmed === '' ? '' : std[0] + trimmed;
}

/**
 * Go's Time.Format: `c` is the civil time already shifted into the zone, `offsetSec` the zone's
 * offset and `zoneName` its abbreviation (printed for "MST").
 */
export function formatWithLayout(layoutIn: string, c: Civil, weekday: number, offsetSec: number, zoneName: string): string {
  const layout = NAMED_LAYOUTS[layoutIn] ?? layoutIn;
  let out = '';
  for (const tok of tokenizeLayout(layout)) {
    if ('lit' in tok) {
      out += tok.lit;
      continue;
    }
    const s = tok.std;
    switch (s) {
      case '2006': out += pad(c.year, 4); break;
      case '06': out += pad(((c.year % 100) + 100) % 100, 2); break;
      case 'January': out += MONTHS[c.month - 1]; break;
      case 'Jan': out += MONTHS[c.month - 1].slice(0, 3); break;
      case '01': out += pad(c.month, 2); break;
      case '1': out += String(c.month); break;
      case 'Monday': out += DAYS[weekday]; break;
      case 'Mon': out += DAYS[weekday].slice(0, 3); break;
      case '02': out += pad(c.day, 2); break;
      case '_2': out += pad(c.day, 2, ' '); break;
      case '2': out += String(c.day); break;
      case '002': case '__2': {
        const yday = Number(daysFromCivil(c.year, c.month, c.day) - daysFromCivil(c.year, 1, 1)) + 1;
        out += pad(yday, 3, s === '002' ? '0' : ' ');
        break;
      }
      case '15': out += pad(c.hour, 2); break;
      case '03': out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2); break;
      case '3': out += String(c.hour % 12 === 0 ? 12 : c.hour % 12); break;
      case '04': out += pad(c.minute, 2); break;
      case '4': out += String(c.minute); break;
      case '05': out += pad(c.second, 2); break;
      case '5': out += String(c.second); break;
      case 'PM': out += c.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += c.hour >= 12 ? 'pm' : 'am'; break;
      case 'MST': out += zoneName; break;
      default:
        if (/^[-Z]07/.test(s)) out += formatOffset(s, offsetSec);
        else if (/^[.,]/.test(s)) out += formatFraction(s, c.nano);
        else out += s;
    }
  }
  return out;
}
