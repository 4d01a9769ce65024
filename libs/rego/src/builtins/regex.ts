// Regex builtins with Go's RE2 syntax and linear-time matching (re2js, a pure-JS RE2 port).
// Never JS RegExp: user-controlled patterns must not be able to backtrack exponentially.
// The iteration rules (FindAll, Split, ReplaceAll, Expand) follow Go's regexp package.

import { RE2JS } from 're2js';
import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { LruCache } from '@arbiter/contracts';
import { codePoints, int, str } from './values';

const CACHE_SIZE = 500;
const cache = new LruCache<string, RE2JS | Error>(CACHE_SIZE);

/** Compiles (cached) or throws BuiltinError for `fn` on a syntax error. */
export function compileRegex(fn: string, pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      re = e instanceof Error ? e : new Error(String(e));
    }
    cache.set(pattern, re);
  }
  if (re instanceof Error) throw new BuiltinError(fn, re.message);
  return re;
}

export function regexCacheSize(): number {
  return cache.size;
}

/** [start, end] pairs per group (−1 when a group did not participate); index 0 = whole match. */
type Groups = number[];

function groupsOf(m: ReturnType<RE2JS['matcher']>, n: number): Groups {
  const g: number[] = [];
  for (let i = 0; i <= n; i++) g.push(m.start(i), m.end(i));
  return g;
}

function widthAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}

/** Go's allMatches: up to n matches (n < 0 = all); an empty match abutting the previous one is skipped. */
function allMatches(re: RE2JS, s: string, n: number): Groups[] {
  const m = re.matcher(s);
  const groups = re.groupCount();
  const out: Groups[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    if (!m.find(pos)) break;
    const start = m.start();
    const end = m.end();
    let accept = true;
    if (end === start) {
      if (start === prevEnd) accept = false;
      pos = start < s.length ? start + widthAt(s, start) : s.length + 1;
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(groupsOf(m, groups));
  }
  return out;
}

function regexMatch(pattern: unknown, value: unknown): boolean {
  const re = compileRegex('regex.match', str('regex.match', 1, pattern));
  return re.test(str('regex.match', 2, value));
}

function regexIsValid(pattern: unknown): boolean {
  if (typeof pattern !== 'string') return false;
  try {
    compileRegex('regex.is_valid', pattern);
    return true;
  } catch {
    return false;
  }
}

function findN(pattern: unknown, value: unknown, count: unknown): string[] {
  const re = compileRegex('regex.find_n', str('regex.find_n', 1, pattern));
  const s = str('regex.find_n', 2, value);
  const n = int('regex.find_n', 3, count);
  return allMatches(re, s, n).map((g) => s.slice(g[0], g[1]));
}

function findAllSubmatchN(pattern: unknown, value: unknown, count: unknown): string[][] {
  const fn = 'regex.find_all_string_submatch_n';
  const re = compileRegex(fn, str(fn, 1, pattern));
  const s = str(fn, 2, value);
  const n = int(fn, 3, count);
  return allMatches(re, s, n).map((g) => {
    const parts: string[] = [];
    for (let i = 0; i < g.length; i += 2) parts.push(g[i] < 0 ? '' : s.slice(g[i], g[i + 1]));
    return parts;
  });
}

/** Go's Regexp.Split(s, -1). */
function regexSplit(pattern: unknown, value: unknown): string[] {
  const p = str('regex.split', 1, pattern);
  const re = compileRegex('regex.split', p);
  const s = str('regex.split', 2, value);
  if (p.length > 0 && s.length === 0) return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const g of allMatches(re, s, -1)) {
    end = g[0];
    if (g[1] !== 0) out.push(s.slice(beg, end));
    beg = g[1];
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's Regexp.Expand for a template like "$1", "${name}", "$$". */
function expand(template: string, s: string, g: Groups, named: Record<string, number>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    if (template[i] === '{') {
      const close = template.indexOf('}', i);
      const inner = close < 0 ? '' : template.slice(i + 1, close);
      if (close >= 0 && /^\w+$/.test(inner)) {
        name = inner;
        i = close + 1;
      }
    } else {
      const m = /^\w+/.exec(template.slice(i));
      if (m) {
        name = m[0];
        i += name.length;
      }
    }
    if (name === undefined) {
      out += '$'; // malformed: the `$` is literal text
      continue;
    }
    const idx = /^\d+$/.test(name) ? Number(name) : named[name];
    if (idx !== undefined && 2 * idx + 1 < g.length && g[2 * idx] >= 0) out += s.slice(g[2 * idx], g[2 * idx + 1]);
  }
  return out;
}

/** Go's Regexp.ReplaceAllString. */
function regexReplace(value: unknown, pattern: unknown, replacement: unknown): string {
  const s = str('regex.replace', 1, value);
  const re = compileRegex('regex.replace', str('regex.replace', 2, pattern));
  const repl = str('regex.replace', 3, replacement);
  const named = re.namedGroups();
  const m = re.matcher(s);
  const groups = re.groupCount();
  let out = '';
  let lastEnd = 0;
  let pos = 0;
  while (pos <= s.length) {
    if (!m.find(pos)) break;
    const g = groupsOf(m, groups);
    out += s.slice(lastEnd, g[0]);
    if (g[1] > lastEnd || g[0] === 0) out += expand(repl, s, g, named);
    lastEnd = g[1];
    const w = pos < s.length ? widthAt(s, pos) : 1;
    pos = pos + w > g[1] ? pos + w : g[1];
  }
  return out + s.slice(lastEnd);
}

function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * regex.template_match: literal text with regexes between delimiters, e.g.
 * "urn:foo:{.*}" with "{" "}". Delimiters nest; unbalanced ones are an error.
 */
function templateMatch(template: unknown, value: unknown, start: unknown, end: unknown): boolean {
  const fn = 'regex.template_match';
  const t = codePoints(str(fn, 1, template));
  const s = str(fn, 2, value);
  const open = codePoints(str(fn, 3, start));
  const close = codePoints(str(fn, 4, end));
  if (open.length !== 1 || close.length !== 1) throw new BuiltinError(fn, 'delimiters must be single characters');
  let pattern = '^';
  let level = 0;
  let literal = '';
  let inner = '';
  for (const ch of t) {
    if (ch === open[0]) {
      if (level === 0) {
        pattern += quoteMeta(literal);
        literal = '';
      } else inner += ch;
      level++;
    } else if (ch === close[0] && level > 0) {
      level--;
      if (level === 0) {
        pattern += `(${inner})`;
        inner = '';
      } else inner += ch;
    } else if (level > 0) inner += ch;
    else literal += ch;
  }
  if (level !== 0) throw new BuiltinError(fn, `unbalanced braces in template ${JSON.stringify(t.join(''))}`);
  pattern += quoteMeta(literal) + '$';
  return compileRegex(fn, pattern).test(s);
}

export const REGEX_BUILTINS: Record<string, HostBuiltin> = {
  'regex.match': regexMatch,
  'regex.is_valid': regexIsValid,
  'regex.find_n': findN,
  'regex.find_all_string_submatch_n': findAllSubmatchN,
  'regex.split': regexSplit,
  'regex.replace': regexReplace,
  'regex.template_match': templateMatch,
};
