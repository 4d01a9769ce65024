// Test helper: a seeded generator of random Rego expressions over numbers, strings and
// collections, using only builtins both back ends implement (the Wasm runtime and the IR
// interpreter), for differential tests.

/** mulberry32: small, seedable, good enough to vary test programs. */
export function seeded(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNARY = ['count', 'sum', 'product', 'max', 'min', 'sort', 'type_name', 'is_number', 'is_string', 'is_array', 'is_set',
  'is_object', 'abs', 'round', 'floor', 'ceil', 'upper', 'lower', 'trim_space', 'object.keys'];
const BINARY = ['concat', 'startswith', 'endswith', 'contains', 'split', 'trim', 'indexof', 'array.concat', 'union',
  'intersection', 'object.union', 'object.remove', 'format_int', 'numbers.range'];
const TERNARY = ['substring', 'replace', 'object.get', 'array.slice'];
const OPS = ['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '|', '&'];

export class ExprGen {
  constructor(private readonly rnd: () => number) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }

  private scalar(): string {
    const r = this.rnd();
    if (r < 0.3) return String(Math.floor(this.rnd() * 21) - 10);
    if (r < 0.4) return this.pick(['1.5', '0.25', '-2.5', '1e2', '3.0']);
    if (r < 0.65) return this.pick(['"a"', '"b"', '""', '"ab"', '"é"', '"A,b"', '" x "', '"😀"']);
    if (r < 0.75) return this.pick(['true', 'false', 'null']);
    return this.pick(['input.n', 'input.s', 'input.xs[0]', 'input.o.k']);
  }

  private coll(d: number): string {
    const k = Math.floor(this.rnd() * 3);
    const items = () => Array.from({ length: k }, () => this.expr(d + 1)).join(', ');
    switch (Math.floor(this.rnd() * 9)) {
      case 0: return `[${items()}]`;
      case 1: return k ? `{${items()}}` : 'set()';
      case 2: return `{${Array.from({ length: k }, () => `${this.scalar()}: ${this.expr(d + 1)}`).join(', ')}}`;
      case 3: return 'input.xs';
      case 4: return 'input.o';
      case 5: return `[x | some x in ${this.coll(d + 1)}]`;
      case 6: return `{x | some x in ${this.coll(d + 1)}}`;
      case 7: return `[x | some x in ${this.coll(d + 1)}; x != ${this.scalar()}]`;
      default: return `{k: v | some k, v in ${this.coll(d + 1)}}`;
    }
  }

  expr(d = 0): string {
    if (d > 3) return this.scalar();
    const e = () => this.expr(d + 1);
    switch (Math.floor(this.rnd() * 13)) {
      case 0: case 1: return this.scalar();
      case 2: return this.coll(d);
      case 3: return `(${e()} ${this.pick(OPS)} ${e()})`;
      case 4: return `${this.pick(UNARY)}(${e()})`;
      case 5: return `${this.pick(BINARY)}(${e()}, ${e()})`;
      case 6: return `${this.pick(TERNARY)}(${e()}, ${e()}, ${e()})`;
      case 7: return `${e()} in ${this.coll(d + 1)}`;
      case 8: return `${this.coll(d + 1)}[${this.scalar()}]`;
      case 9: return `[x | some x in ${this.coll(d + 1)}; not x == ${this.scalar()}]`;
      case 10: return `[x | some x in ${this.coll(d + 1)}; not ${this.coll(d + 1)}[_] == x]`;
      case 11: return `[x | some x in ${this.coll(d + 1)}; every y in ${this.coll(d + 1)} { y != x }]`;
      default: return `to_number(${this.scalar()})`;
    }
  }
}
