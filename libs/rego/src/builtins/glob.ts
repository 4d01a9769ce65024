// glob.match / glob.quote_meta with OPA's (gobwas/glob) syntax: `*` (any run without a
// delimiter), `**` (any run), `?` (one non-delimiter character), `[abc]`, `[!a-z]`, `{a,b}`,
// `\x` escapes. A glob is translated to an RE2 pattern and matched by re2js, so matching is
// linear-time whatever the pattern (no backtracking blow-up on `*a*a*a*…`).

import { RE2JS } from 're2js';
import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { LruCache } from '@arbiter/contracts';
import { coll, codePoints, str } from './values';

const cache = new LruCache<string, RE2JS | Error>(500);

function reQuote(ch: string): string {
  return /[\\.+*?()|[\]{}^$-]/.test(ch) ? '\\' + ch : ch;
}

class GlobParser {
  private i = 0;
  private readonly cps: string[];

  constructor(
    pattern: string,
    private readonly nonDelim: string,
  ) {
    this.cps = codePoints(pattern);
  }

  parse(): string {
    const re = this.sequence(false);
    if (this.i < this.cps.length) throw new Error(`unexpected ${this.cps[this.i]} in glob`);
    return re;
  }

  /** Parses up to the end, or (inside braces) up to an unescaped `,` or `}`. */
  private sequence(inBraces: boolean): string {
    let out = '';
    while (this.i < this.cps.length) {
      const ch = this.cps[this.i];
      if (inBraces && (ch === ',' || ch === '}')) return out;
      this.i++;
      switch (ch) {
        case '\\':
          if (this.i >= this.cps.length) throw new Error('unexpected end of glob after escape');
          out += reQuote(this.cps[this.i++]);
          break;
        case '*':
          if (this.cps[this.i] === '*') {
            this.i++;
            out += '.*';
          } else out += `${this.nonDelim}*`;
          break;
        case '?':
          out += this.nonDelim;
          break;
        case '[':
          out += this.charClass();
          break;
        case '{':
          out += this.alternatives();
          break;
        default:
          out += reQuote(ch);
      }
    }
    if (inBraces) throw new Error('unclosed { in glob');
    return out;
  }

  private charClass(): string {
    let out = '[';
    if (this.cps[this.i] === '!') {
      out += '^';
      this.i++;
    }
    let items = 0;
    while (this.i < this.cps.length && this.cps[this.i] !== ']') {
      let ch = this.cps[this.i++];
      if (ch === '\\' && this.i < this.cps.length) ch = this.cps[this.i++];
      if (this.cps[this.i] === '-' && this.i + 1 < this.cps.length && this.cps[this.i + 1] !== ']') {
        const hi = this.cps[this.i + 1];
        this.i += 2;
        if (hi < ch) throw new Error(`invalid range ${ch}-${hi} in glob`);
        out += `${reQuote(ch)}-${reQuote(hi)}`;
      } else out += reQuote(ch);
      items++;
    }
    if (this.i >= this.cps.length) throw new Error('unclosed [ in glob');
    if (items === 0) throw new Error('empty character class in glob');
    this.i++; // ]
    return out + ']';
  }

  private alternatives(): string {
    const alts: string[] = [];
    for (;;) {
      alts.push(this.sequence(true));
      const ch = this.cps[this.i++];
      if (ch === '}') break;
    }
    return `(?:${alts.join('|')})`;
  }
}

function compileGlob(pattern: string, delimiters: string[]): RE2JS {
  const key = `${delimiters.join('\u0000')}\u0001${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    try {
      const nonDelim = delimiters.length ? `[^${delimiters.map(reQuote).join('')}]` : '.';
      re = RE2JS.compile(`(?s)^${new GlobParser(pattern, nonDelim).parse()}$`);
    } catch (e) {
      re = e instanceof Error ? e : new Error(String(e));
    }
    cache.set(key, re);
  }
  if (re instanceof Error) throw new BuiltinError('glob.match', re.message);
  return re;
}

function globMatch(pattern: unknown, delimiters: unknown, match: unknown): boolean {
  const p = str('glob.match', 1, pattern);
  let delims: string[];
  if (delimiters === null) delims = []; // null: no delimiters at all
  else {
    delims = coll('glob.match', 2, delimiters).map((d) => {
      if (typeof d !== 'string') throw new BuiltinError('glob.match', 'operand 2 elements must be strings', 'eval_type_error');
      return d;
    });
    if (delims.length === 0) delims = ['.'];
    delims = delims.flatMap((d) => codePoints(d)); // each delimiter is a character
  }
  return compileGlob(p, delims).test(str('glob.match', 3, match));
}

const GLOB_SPECIAL = new Set(['*', '?', '\\', '[', ']', '{', '}', '!', '-', ',']);

function quoteMeta(pattern: unknown): string {
  return codePoints(str('glob.quote_meta', 1, pattern))
    .map((c) => (GLOB_SPECIAL.has(c) ? '\\' + c : c))
    .join('');
}

export const GLOB_BUILTINS: Record<string, HostBuiltin> = {
  'glob.match': globMatch,
  'glob.quote_meta': quoteMeta,
};
