// sprintf with OPA's semantics: OPA hands Go's fmt.Sprintf integers (int or *big.Int), floats,
// strings, and — for every other value — the value's Rego text (`["a", 1]`, `{"k": true}`,
// `null`). The verbs, flags, width/precision and the `%!verb(type=value)` complaints follow Go.

import { BuiltinError } from './types';
import { arr, codePoints, compare, isObject, str } from './values';

type Arg =
  | { kind: 'int'; v: bigint; go: 'int' | '*big.Int' }
  | { kind: 'float'; v: number }
  | { kind: 'string'; v: string };

const INT64_MAX = 2n ** 63n;
/** Width/precision bound: "%999999999d" must not allocate a gigabyte. */
const MAX_WIDTH = 100_000;

function toArg(v: unknown): Arg {
  if (typeof v === 'bigint') return { kind: 'int', v, go: v >= INT64_MAX || v < -INT64_MAX ? '*big.Int' : 'int' };
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return { kind: 'int', v: BigInt(v), go: 'int' };
    return { kind: 'float', v };
  }
  if (typeof v === 'string') return { kind: 'string', v };
  return { kind: 'string', v: regoText(v) };
}

/** A value in Rego's text form, as OPA's term String() writes it. */
export function regoText(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(regoText).join(', ')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort(compare);
    return `{${keys.map((k) => `${goQuote(k)}: ${regoText(v[k])}`).join(', ')}}`;
  }
  return String(v);
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (PRINTABLE.test(ch)) { out += ch; continue; }
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

function goTypeName(a: Arg): string {
  return a.kind === 'int' ? a.go : a.kind === 'float' ? 'float64' : 'string';
}

function plainValue(a: Arg): string {
  return a.kind === 'int' ? a.v.toString() : a.kind === 'float' ? formatG(a.v, undefined) : a.v;
}

function badVerb(verb: string, a: Arg): string {
  const t = a.kind === 'int' && a.go === '*big.Int' ? 'big.Int' : goTypeName(a);
  return `%!${verb}(${t}=${plainValue(a)})`;
}

function pad(body: string, spec: Spec, zeroOk: boolean): string {
  const w = spec.width ?? 0;
  const len = codePoints(body).length;
  if (len >= w) return body;
  if (spec.minus) return body + ' '.repeat(w - len);
  if (spec.zero && zeroOk) {
    const sign = /^[+\- ]/.test(body) ? body[0] : '';
    const rest = body.slice(sign.length);
    const prefix = /^0[xXbo]/.test(rest) ? rest.slice(0, 2) : '';
    return sign + prefix + '0'.repeat(w - len) + rest.slice(prefix.length);
  }
  return ' '.repeat(w - len) + body;
}

function signed(neg: boolean, body: string, spec: Spec): string {
  return (neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '') + body;
}

function formatInt(verb: string, a: Extract<Arg, { kind: 'int' }>, spec: Spec): string {
  const neg = a.v < 0n;
  const abs = neg ? -a.v : a.v;
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'v':
    case 'd':
      digits = abs.toString(10);
      break;
    case 's':
      if (a.go !== '*big.Int') return badVerb(verb, a);
      digits = abs.toString(10);
      break;
    case 'b':
      digits = abs.toString(2);
      if (spec.sharp) prefix = '0b';
      break;
    case 'o':
      digits = abs.toString(8);
      if (spec.sharp) prefix = '0';
      break;
    case 'O':
      digits = abs.toString(8);
      prefix = '0o';
      break;
    case 'x':
    case 'X':
      digits = abs.toString(16);
      if (verb === 'X') digits = digits.toUpperCase();
      if (spec.sharp) prefix = verb === 'x' ? '0x' : '0X';
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(a.v)), spec, true);
    case 'q':
      return pad(`'${String.fromCodePoint(Number(a.v))}'`, spec, false);
    case 'U':
      return pad(`U+${abs.toString(16).toUpperCase().padStart(4, '0')}`, spec, false);
    default:
      return badVerb(verb, a);
  }
  if (spec.prec !== undefined) {
    digits = spec.prec === 0 && abs === 0n ? '' : digits.padStart(spec.prec, '0');
  }
  return pad(signed(neg, prefix + digits, spec), spec, spec.prec === undefined);
}

/** Decimal digits of |x| without trailing zeros, and the decimal point position. */
function decimalDigits(x: number, sig?: number): { d: string; dp: number } {
  const e = Math.abs(x).toExponential(sig === undefined ? undefined : Math.max(sig - 1, 0));
  const [mant, exp] = e.split('e');
  let d = mant.replace('.', '').replace(/0+$/, '');
  if (d === '') d = '0';
  return { d, dp: d === '0' ? 1 : Number(exp) + 1 };
}

function fmtE(d: string, dp: number, prec: number, upper: boolean): string {
  const frac = (d.slice(1) + '0'.repeat(prec)).slice(0, prec);
  const exp = d === '0' ? 0 : dp - 1;
  const e = `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return d[0] + (prec > 0 ? '.' + frac : '') + e;
}

function fmtF(d: string, dp: number, prec: number): string {
  const intPart = dp > 0 ? (d.slice(0, dp) + '0'.repeat(Math.max(dp - d.length, 0))) : '0';
  let frac = '';
  for (let i = 0; i < prec; i++) {
    const idx = dp + i;
    frac += idx >= 0 && idx < d.length ? d[idx] : '0';
  }
  return intPart + (prec > 0 ? '.' + frac : '');
}

/** Go's %g: shortest (prec undefined) or `prec` significant digits. */
export function formatG(x: number, prec: number | undefined, upper = false): string {
  const neg = x < 0 || Object.is(x, -0);
  const { d, dp } = decimalDigits(x, prec === 0 ? 1 : prec);
  let p = prec === undefined ? d.length : prec === 0 ? 1 : prec;
  let eprec = p;
  if (eprec > d.length && d.length >= dp) eprec = d.length;
  if (prec === undefined) eprec = 6;
  const exp = dp - 1;
  let body: string;
  if (exp < -4 || exp >= eprec) {
    if (p > d.length) p = d.length;
    body = fmtE(d, dp, p - 1, upper);
  } else {
    if (p > dp) p = d.length;
    body = fmtF(d, dp, Math.max(p - dp, 0));
  }
  return (neg ? '-' : '') + body;
}

function toFixedExact(x: number, prec: number): string {
  if (Math.abs(x) < 1e21) return Math.abs(x).toFixed(prec);
  return BigInt(Math.abs(x)).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '');
}

function formatFloat(verb: string, a: Extract<Arg, { kind: 'float' }>, spec: Spec): string {
  const x = a.v;
  const neg = x < 0;
  let body: string;
  switch (verb) {
    case 'v':
    case 'g':
    case 'G':
      body = formatG(Math.abs(x), spec.prec, verb === 'G');
      break;
    case 'f':
    case 'F':
      body = toFixedExact(x, spec.prec ?? 6);
      break;
    case 'e':
    case 'E': {
      const { d, dp } = decimalDigits(x, (spec.prec ?? 6) + 1);
      body = fmtE(d, dp, spec.prec ?? 6, verb === 'E');
      break;
    }
    default:
      return badVerb(verb, a);
  }
  return pad(signed(neg, body, spec), spec, true);
}

function formatString(verb: string, a: Extract<Arg, { kind: 'string' }>, spec: Spec): string {
  let s = a.v;
  switch (verb) {
    case 'v':
    case 's':
      if (spec.prec !== undefined) s = codePoints(s).slice(0, spec.prec).join('');
      return pad(s, spec, true);
    case 'q':
      return pad(goQuote(s), spec, true);
    case 'x':
    case 'X': {
      let bytes = Buffer.from(s, 'utf8');
      if (spec.prec !== undefined) bytes = bytes.subarray(0, spec.prec);
      const hex = bytes.toString('hex');
      return pad(verb === 'X' ? hex.toUpperCase() : hex, spec, true);
    }
    default:
      return badVerb(verb, a);
  }
}

function formatArg(verb: string, a: Arg, spec: Spec): string {
  switch (a.kind) {
    case 'int':
      return formatInt(verb, a, spec);
    case 'float':
      return formatFloat(verb, a, spec);
    default:
      return formatString(verb, a, spec);
  }
}

function readNumber(f: string, i: number): [number | undefined, number] {
  let j = i;
  while (j < f.length && f[j] >= '0' && f[j] <= '9') j++;
  return j === i ? [undefined, i] : [Number(f.slice(i, j)), j];
}

export function goSprintf(format: string, values: unknown[]): string {
  const args = values.map(toArg);
  let out = '';
  let next = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    [spec.width, i] = readNumber(format, i);
    if (format[i] === '.') {
      const [p, j] = readNumber(format, i + 1);
      spec.prec = p ?? 0;
      i = j;
    }
    if ((spec.width ?? 0) > MAX_WIDTH || (spec.prec ?? 0) > MAX_WIDTH) {
      throw new Error(`width or precision above ${MAX_WIDTH} in format`);
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(verb, args[next++], spec);
  }
  if (next < args.length) {
    const extra = args.slice(next).map((a) => `${goTypeName(a)}=${plainValue(a)}`);
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

export function sprintf(format: unknown, values: unknown): string {
  const f = str('sprintf', 1, format);
  const vs = arr('sprintf', 2, values);
  try {
    return goSprintf(f, vs);
  } catch (e) {
    throw new BuiltinError('sprintf', (e as Error).message);
  }
}
