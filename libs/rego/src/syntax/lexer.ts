// Rego lexer: turns source text into tokens with locations. Newlines are not tokens; instead each
// token records whether a newline preceded it, which the parser uses to end expressions.
import type { Location } from './ast';

export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'eof' | 'error';

export interface Token {
  kind: TokenKind;
  /** ident/punct: the text; number: raw text; string: decoded value; error: the message. */
  value: string;
  loc: Location;
  /** Offset just past the token. */
  end: number;
  /** A newline (or comment line) separates this token from the previous one. */
  nlBefore: boolean;
  /** Raw (backtick) string. */
  raw?: boolean;
}

export interface Comment {
  text: string;
  loc: Location;
}

export interface LexResult {
  tokens: Token[];
  comments: Comment[];
}

// Two-character operators are tried before one-character ones, so `:=` wins over `:`.
const PUNCT2 = new Set([':=', '==', '!=', '<=', '>=']);
const PUNCT1 = new Set(['=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '(', ')', '[', ']', '{', '}', ',', ';', ':', '.']);

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

export function lex(file: string, text: string): LexResult {
  return new Lexer(file, text).run();
}

class Lexer {
  private pos = 0;
  private line = 1;
  private col = 1;
  private readonly tokens: Token[] = [];
  private readonly comments: Comment[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  run(): LexResult {
    const t = this.text;
    let nl = false;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 10) {
        this.advanceNewline();
        nl = true;
        continue;
      }
      if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
        this.advance1();
        continue;
      }
      if (c === 35 /* # */) {
        const loc = this.loc();
        const start = this.pos;
        while (this.pos < t.length && t.charCodeAt(this.pos) !== 10) this.advanceChar();
        this.comments.push({ text: t.slice(start + 1, this.pos), loc });
        continue;
      }
      const tok = this.next(c);
      tok.nlBefore = nl;
      nl = false;
      this.tokens.push(tok);
    }
    this.tokens.push({ kind: 'eof', value: '', loc: this.loc(), end: this.pos, nlBefore: true });
    return { tokens: this.tokens, comments: this.comments };
  }

  private loc(): Location {
    return { file: this.file, line: this.line, col: this.col, offset: this.pos };
  }

  private advance1(): void {
    this.pos++;
    this.col++;
  }

  /** Advances one code point (two UTF-16 units for a surrogate pair), one column. */
  private advanceChar(): void {
    const c = this.text.charCodeAt(this.pos);
    if (c >= 0xd800 && c <= 0xdbff && this.pos + 1 < this.text.length) {
      const d = this.text.charCodeAt(this.pos + 1);
      if (d >= 0xdc00 && d <= 0xdfff) this.pos++;
    }
    this.pos++;
    this.col++;
  }

  private advanceNewline(): void {
    this.pos++;
    this.line++;
    this.col = 1;
  }

  private make(kind: TokenKind, value: string, loc: Location): Token {
    return { kind, value, loc, end: this.pos, nlBefore: false };
  }

  private next(c: number): Token {
    const loc = this.loc();
    const t = this.text;
    if (isIdentStart(c)) {
      const start = this.pos;
      while (this.pos < t.length && isIdentPart(t.charCodeAt(this.pos))) this.advance1();
      return this.make('ident', t.slice(start, this.pos), loc);
    }
    if (isDigit(c)) return this.number(loc);
    if (c === 34 /* " */) return this.string(loc);
    if (c === 96 /* ` */) return this.rawString(loc);
    const two = t.substr(this.pos, 2);
    if (PUNCT2.has(two)) {
      this.advance1();
      this.advance1();
      return this.make('punct', two, loc);
    }
    const one = t[this.pos];
    if (PUNCT1.has(one)) {
      this.advance1();
      return this.make('punct', one, loc);
    }
    const cp = t.codePointAt(this.pos) ?? c;
    this.advanceChar();
    return this.make('error', `illegal character ${JSON.stringify(String.fromCodePoint(cp))}`, loc);
  }

  private digits(): number {
    const start = this.pos;
    while (this.pos < this.text.length && isDigit(this.text.charCodeAt(this.pos))) this.advance1();
    return this.pos - start;
  }

  // JSON-style numbers: int [frac] [exp]. A `.` not followed by a digit ends the number
  // so refs like `x[1].y` are not a concern (numbers never take a dot segment anyway).
  private number(loc: Location): Token {
    const t = this.text;
    const start = this.pos;
    this.digits();
    if (t.charCodeAt(this.pos) === 46 && isDigit(t.charCodeAt(this.pos + 1))) {
      this.advance1();
      this.digits();
    }
    const e = t.charCodeAt(this.pos);
    if (e === 101 || e === 69) {
      let p = this.pos + 1;
      const s = t.charCodeAt(p);
      if (s === 43 || s === 45) p++;
      if (isDigit(t.charCodeAt(p))) {
        while (this.pos < p) this.advance1();
        this.digits();
      }
    }
    if (this.pos < t.length && isIdentStart(t.charCodeAt(this.pos))) {
      while (this.pos < t.length && isIdentPart(t.charCodeAt(this.pos))) this.advance1();
      return this.make('error', `invalid number ${JSON.stringify(t.slice(start, this.pos))}`, loc);
    }
    const raw = t.slice(start, this.pos);
    // Integers are exact at any size; a fraction or exponent must fit a float64.
    if (!/^\d+$/.test(raw) && !Number.isFinite(Number(raw))) return this.make('error', `number out of range ${raw}`, loc);
    return this.make('number', raw, loc);
  }

  private string(loc: Location): Token {
    const t = this.text;
    this.advance1(); // opening quote
    let out = '';
    let chunk = this.pos;
    while (true) {
      if (this.pos >= t.length || t.charCodeAt(this.pos) === 10) {
        return this.make('error', 'non-terminated string', loc);
      }
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        out += t.slice(chunk, this.pos);
        this.advance1();
        return this.make('string', out, loc);
      }
      if (c !== 92 /* \ */) {
        this.advanceChar();
        continue;
      }
      out += t.slice(chunk, this.pos);
      const escLoc = this.loc();
      this.advance1();
      const e = t[this.pos];
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        this.advance1();
      } else if (e === 'u') {
        const cu = this.hex4(this.pos + 1);
        if (cu < 0) return this.badString(escLoc, 'invalid \\u escape in string');
        for (let i = 0; i < 5; i++) this.advance1();
        out += String.fromCharCode(cu);
      } else {
        return this.badString(escLoc, `invalid escape sequence \\${e ?? ''} in string`);
      }
      chunk = this.pos;
    }
  }

  /** Reports a bad escape but still consumes the rest of the string so lexing can continue. */
  private badString(loc: Location, msg: string): Token {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 10) break;
      if (c === 92) {
        this.advance1();
        if (this.pos < t.length && t.charCodeAt(this.pos) !== 10) this.advanceChar();
        continue;
      }
      this.advanceChar();
      if (c === 34) break;
    }
    return this.make('error', msg, loc);
  }

  private hex4(p: number): number {
    const t = this.text;
    if (p + 4 > t.length) return -1;
    for (let i = p; i < p + 4; i++) if (!isHex(t.charCodeAt(i))) return -1;
    return parseInt(t.slice(p, p + 4), 16);
  }

  private rawString(loc: Location): Token {
    const t = this.text;
    this.advance1();
    const start = this.pos;
    while (this.pos < t.length && t.charCodeAt(this.pos) !== 96) {
      if (t.charCodeAt(this.pos) === 10) this.advanceNewline();
      else this.advanceChar();
    }
    if (this.pos >= t.length) return this.make('error', 'non-terminated raw string', loc);
    const value = t.slice(start, this.pos);
    this.advance1();
    const tok = this.make('string', value, loc);
    tok.raw = true;
    return tok;
  }
}

// `\uXXXX` pairs (surrogates) combine naturally since we build a UTF-16 JS string.
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
