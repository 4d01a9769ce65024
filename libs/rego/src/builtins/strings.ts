// String builtins. OPA indexes and measures strings in code points (Go runes), never UTF-16
// units, so positions go through codePoints()/cpIndex().

import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { codePoints, coll, cpIndex, fail, int, num, obj, str, typeName } from './values';
import { sprintf } from './sprintf';
import { renderTemplate } from './template';

function concat(delim: unknown, items: unknown): string {
  const d = str('concat', 1, delim);
  const xs = coll('concat', 2, items).map((x, i) => {
    if (typeof x !== 'string') throw new BuiltinError('concat', `operand 2 element ${i} must be string`, 'eval_type_error');
    return x;
  });
  return xs.join(d);
}

function contains(s: unknown, sub: unknown): boolean {
  return str('contains', 1, s).includes(str('contains', 2, sub));
}

function indexof(s: unknown, sub: unknown): number {
  const h = str('indexof', 1, s);
  const n = str('indexof', 2, sub);
  if (n === '') fail('indexof', 'empty search character');
  const i = h.indexOf(n);
  return i < 0 ? -1 : cpIndex(h, i);
}

function indexofN(s: unknown, sub: unknown): number[] {
  const h = str('indexof_n', 1, s);
  const n = str('indexof_n', 2, sub);
  if (n === '') fail('indexof_n', 'empty search character');
  const out: number[] = [];
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) out.push(cpIndex(h, i));
  return out;
}

/** Go's strings.Replace with n = -1: an empty `old` inserts `repl` around every code point. */
function replaceAll(s: string, old: string, repl: string): string {
  if (old === '') {
    const cps = codePoints(s);
    return repl + cps.join(repl) + (cps.length ? repl : '');
  }
  return s.split(old).join(repl);
}

function replace(s: unknown, old: unknown, repl: unknown): string {
  return replaceAll(str('replace', 1, s), str('replace', 2, old), str('replace', 3, repl));
}

/** Go's strings.NewReplacer: at each position the first pattern (in key order) that matches wins. */
function replaceN(patterns: unknown, s: unknown): string {
  const p = obj('strings.replace_n', 1, patterns);
  const input = str('strings.replace_n', 2, s);
  const pairs = Object.keys(p)
    .sort()
    .map((k) => {
      const v = p[k];
      if (typeof v !== 'string') throw new BuiltinError('strings.replace_n', `operand 1 value for key ${JSON.stringify(k)} must be string`, 'eval_type_error');
      return [k, v] as const;
    });
  let out = '';
  let i = 0;
  while (i <= input.length) {
    const hit = pairs.find(([k]) => input.startsWith(k, i));
    if (hit && hit[0] !== '') {
      out += hit[1];
      i += hit[0].length;
      continue;
    }
    if (hit) out += hit[1]; // empty pattern: insert, then copy one code point
    if (i === input.length) break;
    const cp = input.codePointAt(i)!;
    out += String.fromCodePoint(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

function substring(s: unknown, start: unknown, length: unknown): string {
  const cps = codePoints(str('substring', 1, s));
  const from = int('substring', 2, start);
  const len = int('substring', 3, length);
  if (from < 0) fail('substring', 'negative offset');
  if (from >= cps.length) return '';
  return (len < 0 ? cps.slice(from) : cps.slice(from, from + len)).join('');
}

function split(s: unknown, delim: unknown): string[] {
  const x = str('split', 1, s);
  const d = str('split', 2, delim);
  return d === '' ? codePoints(x) : x.split(d);
}

function cutset(fn: string, v: unknown): Set<string> {
  return new Set(codePoints(str(fn, 2, v)));
}

function trimLeftCps(cps: string[], cut: Set<string>): string[] {
  let i = 0;
  while (i < cps.length && cut.has(cps[i])) i++;
  return cps.slice(i);
}

function trimRightCps(cps: string[], cut: Set<string>): string[] {
  let j = cps.length;
  while (j > 0 && cut.has(cps[j - 1])) j--;
  return cps.slice(0, j);
}

function trim(s: unknown, cs: unknown): string {
  const cut = cutset('trim', cs);
  return trimRightCps(trimLeftCps(codePoints(str('trim', 1, s)), cut), cut).join('');
}

function trimLeft(s: unknown, cs: unknown): string {
  return trimLeftCps(codePoints(str('trim_left', 1, s)), cutset('trim_left', cs)).join('');
}

function trimRight(s: unknown, cs: unknown): string {
  return trimRightCps(codePoints(str('trim_right', 1, s)), cutset('trim_right', cs)).join('');
}

function trimPrefix(s: unknown, prefix: unknown): string {
  const x = str('trim_prefix', 1, s);
  const p = str('trim_prefix', 2, prefix);
  return x.startsWith(p) ? x.slice(p.length) : x;
}

function trimSuffix(s: unknown, suffix: unknown): string {
  const x = str('trim_suffix', 1, s);
  const p = str('trim_suffix', 2, suffix);
  return p !== '' && x.endsWith(p) ? x.slice(0, x.length - p.length) : x;
}

// Go's unicode.IsSpace set (JS's trim() differs: it strips U+FEFF and keeps U+0085).
const SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+';
const LEADING_SPACE = new RegExp(`^${SPACE}`);
const TRAILING_SPACE = new RegExp(`${SPACE}$`);

function trimSpace(s: unknown): string {
  return str('trim_space', 1, s).replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
}

function formatInt(n: unknown, base: unknown): string {
  const b = num('format_int', 2, base);
  if (![2, 8, 10, 16].includes(b)) fail('format_int', 'operand 2 must be one of {2, 8, 10, 16}');
  // Truncates toward zero, like converting the number to a Go big.Int.
  const i = typeof n === 'bigint' ? n : BigInt(Math.trunc(num('format_int', 1, n)));
  return i.toString(b);
}

function reverse(s: unknown): string {
  return codePoints(str('strings.reverse', 1, s)).reverse().join('');
}

/** A string, or an array/set of strings (OPA's messages; a set arrives as an array here). */
function stringList(fn: string, pos: number, v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) throw new BuiltinError(fn, `operand ${pos} must be one of {string, set, array} but got ${typeName(v)}`, 'eval_type_error');
  return v.map((x) => {
    if (typeof x !== 'string') throw new BuiltinError(fn, `operand ${pos} must be array of strings but got array containing ${typeName(x)}`, 'eval_type_error');
    return x;
  });
}

function anyPrefixMatch(search: unknown, base: unknown): boolean {
  const xs = stringList('strings.any_prefix_match', 1, search);
  const ps = stringList('strings.any_prefix_match', 2, base);
  return xs.some((x) => ps.some((p) => x.startsWith(p)));
}

function anySuffixMatch(search: unknown, base: unknown): boolean {
  const xs = stringList('strings.any_suffix_match', 1, search);
  const ps = stringList('strings.any_suffix_match', 2, base);
  return xs.some((x) => ps.some((p) => x.endsWith(p)));
}

/** Go's strings.Count: non-overlapping; an empty substring counts code points + 1. */
function count(s: unknown, sub: unknown): number {
  const x = str('strings.count', 1, s);
  const n = str('strings.count', 2, sub);
  if (n === '') return codePoints(x).length + 1;
  return x.split(n).length - 1;
}

function lower(s: unknown): string {
  return str('lower', 1, s).toLowerCase();
}

function upper(s: unknown): string {
  return str('upper', 1, s).toUpperCase();
}

function startswith(s: unknown, p: unknown): boolean {
  return str('startswith', 1, s).startsWith(str('startswith', 2, p));
}

function endswith(s: unknown, p: unknown): boolean {
  return str('endswith', 1, s).endsWith(str('endswith', 2, p));
}

export const STRING_BUILTINS: Record<string, HostBuiltin> = {
  concat,
  contains,
  startswith,
  endswith,
  indexof,
  indexof_n: indexofN,
  replace,
  'strings.replace_n': replaceN,
  substring,
  split,
  lower,
  upper,
  trim,
  trim_left: trimLeft,
  trim_right: trimRight,
  trim_prefix: trimPrefix,
  trim_suffix: trimSuffix,
  trim_space: trimSpace,
  sprintf,
  format_int: formatInt,
  'strings.reverse': reverse,
  'strings.any_prefix_match': anyPrefixMatch,
  'strings.any_suffix_match': anySuffixMatch,
  'strings.count': count,
  'strings.render_template': renderTemplate,
};
