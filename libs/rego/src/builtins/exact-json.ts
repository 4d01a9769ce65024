// JSON text ↔ JS values with exact integers. Nanosecond timestamps and big Rego integers
// exceed 2^53: they are read as bigint and written back as plain JSON integers (Node 20 has
// neither JSON.rawJSON nor reviver source access, and toJSON can only produce quoted strings).

import { randomBytes } from 'node:crypto';

/** An integer literal long enough that a double might not hold it exactly. */
const LONG_INT = /\d{16,}/;

export function parseExact(text: string): unknown {
  if (!LONG_INT.test(text)) return JSON.parse(text);
  return new ExactParser(text).document();
}

const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;

class ExactParser {
  private i = 0;

  constructor(private readonly s: string) {}

  document(): unknown {
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail('unexpected trailing text');
    return v;
  }

  private fail(msg: string): never {
    throw new SyntaxError(`${msg} at position ${this.i} in JSON`);
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  private value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(lit, this.i)) {
        this.i += lit.length;
        return v;
      }
    }
    this.fail('unexpected token');
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected string key');
      const k = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') this.fail('expected :');
      Object.defineProperty(out, k, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected , or }');
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected , or ]');
    }
  }

  private string(): string {
    STRING.lastIndex = this.i;
    const m = STRING.exec(this.s);
    if (!m) this.fail('bad string');
    this.i += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (!m) this.fail('bad number');
    this.i += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    }
    return Number(m[0]);
  }
}

const MARK = `\u0000big${randomBytes(6).toString('hex')}:`;
const MARKED = new RegExp(`"\\\\u0000big${MARK.slice(4, -1)}:(-?\\d+)"`, 'g');

function hasBigInt(v: unknown, depth = 0): boolean {
  if (typeof v === 'bigint') return true;
  if (typeof v !== 'object' || v === null || depth > 64) return depth > 64;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (hasBigInt(x, depth + 1)) return true;
  return false;
}

/** JSON.stringify that writes bigint as an exact integer. */
export function stringifyExact(value: unknown): string {
  if (!hasBigInt(value)) return JSON.stringify(value);
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? MARK + v.toString() : v));
  return text.replace(MARKED, '$1');
}
