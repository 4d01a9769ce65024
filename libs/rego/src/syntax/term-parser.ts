// Recursive-descent parser for Rego terms, expressions and bodies (the part shared by modules
// and queries). Binary operators use precedence climbing with OPA's levels, lowest first:
// `in`, comparisons, `|`, `&`, `+ -`, `* / %`. All operators are left-associative.
import type {
  Body,
  CallTerm,
  EveryExpr,
  Expr,
  Location,
  RefTerm,
  Term,
  VarTerm,
  WithModifier,
} from './ast';
import type { Token } from './lexer';

/** Internal: unwinds to the nearest recovery point; never escapes the public API. */
export class ParseFailure extends Error {
  constructor(
    message: string,
    readonly loc: Location,
  ) {
    super(message);
  }
}

/** Words that cannot be used as variables (they may still follow a `.` in a ref). */
export const KEYWORDS = new Set([
  'if', 'contains', 'in', 'every', 'some', 'not', 'with', 'as', 'default', 'else', 'import', 'package',
]);

const OPS_BY_LEVEL: ReadonlyArray<Readonly<Record<string, string>>> = [
  {}, // level 0 (`in`) is handled separately because of the `k, v in xs` form
  { '==': 'equal', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' },
  { '|': 'or' },
  { '&': 'and' },
  { '+': 'plus', '-': 'minus' },
  { '*': 'mul', '/': 'div', '%': 'rem' },
];
const LEVEL_IN = 0;
const LEVEL_RELATION = 1;
const LEVEL_UNARY = OPS_BY_LEVEL.length;

/** Max nesting before we stop with a clean error instead of overflowing the stack. */
const MAX_DEPTH = 500;

interface Ctx {
  /** A newline ends the current expression (bodies, module level) or not (inside (), [], {}). */
  nl: boolean;
  /** `|` ends the term instead of being union: first element of `[`/`{` may start a comprehension. */
  noOr: boolean;
}

export class TermParser {
  protected i = 0;
  private ctx: Ctx[] = [{ nl: true, noOr: false }];
  private wildCount = 0;
  private depth = 0;

  constructor(protected readonly toks: Token[]) {}

  // ----- cursor helpers ---------------------------------------------------------------------

  protected get tok(): Token {
    return this.toks[this.i];
  }
  protected peek(k = 1): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }
  protected advance(): Token {
    const t = this.toks[this.i];
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  protected isPunct(v: string, t: Token = this.tok): boolean {
    return t.kind === 'punct' && t.value === v;
  }
  protected isKw(v: string, t: Token = this.tok): boolean {
    return t.kind === 'ident' && t.value === v;
  }
  protected expectPunct(v: string): Token {
    if (!this.isPunct(v)) this.unexpected(`expected ${v}`);
    return this.advance();
  }
  protected fail(message: string, loc: Location = this.tok.loc): never {
    throw new ParseFailure(message, loc);
  }
  protected unexpected(expected?: string, t: Token = this.tok): never {
    if (t.kind === 'error') this.fail(t.value, t.loc);
    const what = describe(t);
    this.fail(expected ? `unexpected ${what}: ${expected}` : `unexpected ${what}`, t.loc);
  }
  /** The current token continues the expression (not cut off by a significant newline). */
  protected cont(): boolean {
    return !(this.tok.nlBefore && this.ctx[this.ctx.length - 1].nl);
  }
  protected withCtx<T>(c: Ctx, f: () => T): T {
    this.ctx.push(c);
    if (++this.depth > MAX_DEPTH) this.fail('expression nested too deeply');
    try {
      return f();
    } finally {
      this.ctx.pop();
      this.depth--;
    }
  }
  private setNoOr(v: boolean): void {
    this.ctx[this.ctx.length - 1].noOr = v;
  }

  // ----- bodies and expressions -------------------------------------------------------------

  /** Parses literals until `closer` (a punct value, or '' for end of input); does not consume it. */
  protected parseBodyUntil(closer: string, open: Location): Body {
    return this.withCtx({ nl: true, noOr: false }, () => {
      const body: Body = [];
      const atEnd = (): boolean => (closer === '' ? this.tok.kind === 'eof' : this.isPunct(closer));
      while (!atEnd()) {
        if (this.isPunct(';')) {
          this.advance();
          continue;
        }
        if (this.tok.kind === 'eof') this.unexpected(`expected ${closer}`);
        body.push(this.parseLiteral());
        if (atEnd()) break;
        if (this.isPunct(';')) continue;
        if (this.tok.nlBefore) continue;
        this.unexpected(closer ? `expected ; or newline or ${closer}` : 'expected ; or newline');
      }
      if (body.length === 0) this.fail('found empty body', open);
      return body;
    });
  }

  /** `{ body }` starting at the current `{`. */
  protected parseBracedBody(): Body {
    const open = this.expectPunct('{').loc;
    const body = this.parseBodyUntil('}', open);
    this.expectPunct('}');
    return body;
  }

  protected parseLiteral(): Expr {
    const loc = this.tok.loc;
    let expr: Expr;
    if (this.isKw('some')) expr = this.parseSome();
    else if (this.isKw('every')) expr = this.parseEvery();
    else if (this.isKw('not')) {
      this.advance();
      if (this.isKw('some') || this.isKw('every') || this.isKw('not')) this.unexpected('expected expression after not');
      expr = this.parseExpr();
      expr.negated = true;
      expr.loc = loc;
    } else expr = this.parseExpr();
    // `with` may continue on the next line: it cannot start a literal.
    while (this.isKw('with')) expr.with.push(this.parseWith());
    return expr;
  }

  private parseWith(): WithModifier {
    const loc = this.advance().loc;
    const target = this.parseInfix(LEVEL_RELATION);
    if (target.type !== 'ref' && target.type !== 'var') this.fail('with target must be a reference or a variable', target.loc);
    if (!this.isKw('as')) this.unexpected('expected as');
    this.advance();
    const value = this.parseInfix(LEVEL_IN);
    return { target, value, loc };
  }

  private parseExpr(): Expr {
    const loc = this.tok.loc;
    const lhs = this.parseIn(true);
    if (this.cont() && (this.isPunct(':=') || this.isPunct('='))) {
      const assign = this.advance().value === ':=';
      const rhs = this.parseIn(false);
      return { kind: assign ? 'assign' : 'unify', lhs, rhs, loc, negated: false, with: [] };
    }
    return { kind: 'term', term: lhs, loc, negated: false, with: [] };
  }

  private parseSome(): Expr {
    const loc = this.advance().loc;
    const first = this.parseInfix(LEVEL_RELATION);
    const terms: Term[] = [first];
    while (this.isPunct(',') && this.cont()) {
      this.advance();
      terms.push(this.parseInfix(LEVEL_RELATION));
    }
    if (this.isKw('in') && this.cont()) {
      if (terms.length > 2) this.fail('unexpected , in some declaration: at most key and value before in', terms[2].loc);
      this.advance();
      const collection = this.parseInfix(LEVEL_RELATION);
      const key = terms.length === 2 ? terms[0] : undefined;
      const value = terms[terms.length - 1];
      return { kind: 'somein', key, value, collection, loc, negated: false, with: [] };
    }
    const vars: VarTerm[] = [];
    for (const t of terms) {
      if (t.type !== 'var') this.fail('expected var in some declaration', t.loc);
      vars.push(t);
    }
    return { kind: 'some', vars, loc, negated: false, with: [] };
  }

  private parseEvery(): EveryExpr {
    const loc = this.advance().loc;
    const a = this.parseVarOnly('every');
    let key: VarTerm | undefined;
    let value = a;
    if (this.isPunct(',')) {
      this.advance();
      key = a;
      value = this.parseVarOnly('every');
    }
    if (!this.isKw('in')) this.unexpected('expected in');
    this.advance();
    const domain = this.parseInfix(LEVEL_RELATION);
    if (!this.isPunct('{')) this.unexpected('expected { after every domain');
    const body = this.parseBracedBody();
    return { kind: 'every', key, value, domain, body, loc, negated: false, with: [] };
  }

  private parseVarOnly(what: string): VarTerm {
    const t = this.parsePrimary();
    if (t.type !== 'var') this.fail(`expected variable in ${what}`, t.loc);
    return t;
  }

  // ----- infix ------------------------------------------------------------------------------

  /** `in` level; with `keyVal`, also `k, v in xs` (only at the top of a literal). */
  protected parseIn(keyVal: boolean): Term {
    let lhs = this.parseInfix(LEVEL_RELATION);
    if (keyVal && this.isPunct(',') && this.cont()) {
      this.advance();
      const mhs = this.parseInfix(LEVEL_RELATION);
      if (!(this.isKw('in') && this.cont())) this.unexpected('expected in');
      this.advance();
      const rhs = this.parseInfix(LEVEL_RELATION);
      lhs = call(['internal', 'member_3'], [lhs, mhs, rhs], lhs.loc);
    }
    while (this.isKw('in') && this.cont()) {
      this.advance();
      const rhs = this.parseInfix(LEVEL_RELATION);
      lhs = call(['internal', 'member_2'], [lhs, rhs], lhs.loc);
    }
    return lhs;
  }

  protected parseInfix(level: number): Term {
    if (level === LEVEL_IN) return this.parseIn(false);
    if (level >= LEVEL_UNARY) return this.parseUnary();
    const ops = OPS_BY_LEVEL[level];
    let lhs = this.parseInfix(level + 1);
    for (;;) {
      const t = this.tok;
      if (t.kind !== 'punct' || !this.cont()) break;
      const name = ops[t.value];
      if (name === undefined || !Object.prototype.hasOwnProperty.call(ops, t.value)) break;
      if (t.value === '|' && this.ctx[this.ctx.length - 1].noOr) break;
      this.advance();
      const rhs = this.parseInfix(level + 1);
      lhs = call([name], [lhs, rhs], lhs.loc);
    }
    return lhs;
  }

  private parseUnary(): Term {
    if (!this.isPunct('-')) return this.parsePostfix();
    const minus = this.advance();
    const n = this.tok;
    // `-1` (and `- 1`) fold into the literal; any other operand becomes `minus(0, x)`.
    if (n.kind === 'number') {
      this.advance();
      const lit: Term = { type: 'number', raw: '-' + n.value, loc: minus.loc };
      return this.parseRefTail(lit);
    }
    if (this.depth > MAX_DEPTH) this.fail('expression nested too deeply');
    this.depth++;
    try {
      const operand = this.parseUnary();
      return call(['minus'], [{ type: 'number', raw: '0', loc: minus.loc }, operand], minus.loc);
    } finally {
      this.depth--;
    }
  }

  // ----- terms ------------------------------------------------------------------------------

  protected parsePostfix(): Term {
    return this.parseRefTail(this.parsePrimary());
  }

  /** `.x`, `[t]` and `(args)` suffixes, as long as no significant newline intervenes. */
  protected parseRefTail(head: Term): Term {
    // Scalars cannot be dereferenced; leave the `.`/`[` for the caller to reject.
    if (head.type === 'string' || head.type === 'number' || head.type === 'boolean' || head.type === 'null') return head;
    let t: Term = head;
    for (;;) {
      if (!this.cont()) return t;
      if (this.isPunct('.')) {
        this.advance();
        const seg = this.tok;
        if (seg.kind !== 'ident' || seg.loc.offset !== this.toks[this.i - 1].end) this.unexpected('expected name after .');
        this.advance();
        t = appendRef(t, { type: 'string', value: seg.value, loc: seg.loc });
      } else if (this.isPunct('[')) {
        this.advance();
        const seg = this.withCtx({ nl: false, noOr: false }, () => this.parseIn(false));
        this.expectPunct(']');
        t = appendRef(t, seg);
      } else if (this.isPunct('(')) {
        t = this.parseCall(t);
      } else {
        return t;
      }
    }
  }

  private parseCall(fn: Term): Term {
    const op = callName(fn);
    if (!op) this.fail('invalid function name in call', fn.loc);
    this.advance(); // (
    const args = this.parseList(')');
    if (op.length === 1 && op[0] === 'set' && args.length === 0) return { type: 'set', items: [], loc: fn.loc };
    const c: CallTerm = { type: 'call', op, args, loc: fn.loc };
    return c;
  }

  /** Comma-separated terms up to `closer` (consumed); a trailing comma is allowed. */
  protected parseList(closer: string): Term[] {
    return this.withCtx({ nl: false, noOr: false }, () => {
      const items: Term[] = [];
      while (!this.isPunct(closer)) {
        items.push(this.parseIn(false));
        if (this.isPunct(',')) {
          this.advance();
          continue;
        }
        if (!this.isPunct(closer)) this.unexpected(`expected , or ${closer}`);
      }
      this.advance();
      return items;
    });
  }

  protected parsePrimary(): Term {
    const t = this.tok;
    switch (t.kind) {
      case 'number':
        this.advance();
        return { type: 'number', raw: t.value, loc: t.loc };
      case 'string':
        this.advance();
        return { type: 'string', value: t.value, loc: t.loc };
      case 'ident':
        return this.parseIdent();
      case 'punct':
        if (t.value === '[') return this.parseArray();
        if (t.value === '{') return this.parseBrace();
        if (t.value === '(') {
          this.advance();
          const inner = this.withCtx({ nl: false, noOr: false }, () => this.parseIn(false));
          this.expectPunct(')');
          return inner;
        }
        return this.unexpected('expected term');
      default:
        return this.unexpected('expected term');
    }
  }

  private parseIdent(): Term {
    const t = this.advance();
    const loc = t.loc;
    switch (t.value) {
      case 'null':
        return { type: 'null', loc };
      case 'true':
        return { type: 'boolean', value: true, loc };
      case 'false':
        return { type: 'boolean', value: false, loc };
      case '_':
        return { type: 'var', name: `$wild${this.wildCount++}`, loc };
    }
    // `contains` is a keyword only in rule heads: `contains(s, "x")` stays the string builtin (as in OPA).
    const builtinCall = t.value === 'contains' && this.isPunct('(');
    if (KEYWORDS.has(t.value) && !builtinCall) this.unexpected(undefined, t);
    return { type: 'var', name: t.value, loc };
  }

  private parseArray(): Term {
    const loc = this.advance().loc;
    return this.withCtx({ nl: false, noOr: true }, () => {
      if (this.isPunct(']')) {
        this.advance();
        return { type: 'array', items: [], loc };
      }
      const first = this.parseIn(false);
      if (this.isPunct('|')) {
        const bar = this.advance().loc;
        const body = this.parseBodyUntil(']', bar);
        this.expectPunct(']');
        return { type: 'arraycompr', term: first, body, loc };
      }
      this.setNoOr(false);
      const items = [first];
      if (this.isPunct(',')) {
        this.advance();
        items.push(...this.parseList(']'));
      } else this.expectPunct(']');
      return { type: 'array', items, loc };
    });
  }

  /** `{` starts an object, a set, or one of their comprehensions. */
  private parseBrace(): Term {
    const loc = this.advance().loc;
    return this.withCtx({ nl: false, noOr: true }, () => {
      if (this.isPunct('}')) {
        this.advance();
        return { type: 'object', entries: [], loc };
      }
      const first = this.parseIn(false);
      if (this.isPunct(':')) {
        this.advance();
        const value = this.parseIn(false);
        if (this.isPunct('|')) {
          const bar = this.advance().loc;
          const body = this.parseBodyUntil('}', bar);
          this.expectPunct('}');
          return { type: 'objectcompr', key: first, value, body, loc };
        }
        this.setNoOr(false);
        const entries: Array<[Term, Term]> = [[first, value]];
        while (this.isPunct(',')) {
          this.advance();
          if (this.isPunct('}')) break;
          const k = this.parseIn(false);
          this.expectPunct(':');
          entries.push([k, this.parseIn(false)]);
        }
        this.expectPunct('}');
        return { type: 'object', entries, loc };
      }
      if (this.isPunct('|')) {
        const bar = this.advance().loc;
        const body = this.parseBodyUntil('}', bar);
        this.expectPunct('}');
        return { type: 'setcompr', term: first, body, loc };
      }
      this.setNoOr(false);
      const items = [first];
      if (this.isPunct(',')) {
        this.advance();
        items.push(...this.parseList('}'));
      } else this.expectPunct('}');
      return { type: 'set', items, loc };
    });
  }
}

export function call(op: string[], args: Term[], loc: Location): CallTerm {
  return { type: 'call', op, args, loc };
}

function appendRef(t: Term, seg: Term): RefTerm {
  if (t.type === 'ref') return { type: 'ref', head: t.head, path: [...t.path, seg], loc: t.loc };
  return { type: 'ref', head: t, path: [seg], loc: t.loc };
}

/** A call's operator must be a var or a ref of var + string segments (`a.b.f`, `a["b"].f`). */
function callName(t: Term): string[] | undefined {
  if (t.type === 'var') return t.name.startsWith('$') ? undefined : [t.name];
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
  const out = [t.head.name];
  for (const seg of t.path) {
    if (seg.type !== 'string') return undefined;
    out.push(seg.value);
  }
  return out;
}

export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of file';
    case 'punct':
      return `${t.value} token`;
    case 'ident':
      return KEYWORDS.has(t.value) ? `${t.value} keyword` : `identifier ${t.value}`;
    case 'number':
      return `number ${t.value}`;
    case 'string':
      return 'string';
    default:
      return t.value;
  }
}
