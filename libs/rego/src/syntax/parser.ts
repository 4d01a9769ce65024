// Module-level Rego v1 parser: package, imports, rules (heads, bodies, else chains), with error
// recovery. Terms and bodies come from TermParser.
import type { Body, ElseClause, Import, Location, Module, Package, RefTerm, Rule, RuleHead, RuleKind, Term } from './ast';
import type { Comment, Token } from './lexer';
import { KEYWORDS, ParseFailure, TermParser } from './term-parser';

export interface ParseError {
  message: string;
  loc: Location;
}

/** After this many errors the rest of the file is not worth reporting. */
const MAX_ERRORS = 100;

const IMPORT_ROOTS = new Set(['data', 'input', 'future', 'rego']);
const FUTURE_KEYWORDS = new Set(['contains', 'every', 'if', 'in']);

export class ModuleParser extends TermParser {
  readonly errors: ParseError[] = [];

  constructor(
    toks: Token[],
    private readonly file: string,
  ) {
    super(toks);
  }

  parseModule(comments: Comment[]): Module | undefined {
    let pkg: Package | undefined;
    const imports: Import[] = [];
    const rules: Rule[] = [];
    let sawRule = false;
    let reportedNoPkg = false;
    while (this.tok.kind !== 'eof' && this.errors.length < MAX_ERRORS) {
      const start = this.i;
      try {
        if (this.isKw('package')) {
          if (pkg) this.fail('unexpected package keyword: only one package per module');
          pkg = this.parsePackage();
        } else {
          if (!pkg) {
            // Report once; later statements are skipped without repeating it.
            if (!reportedNoPkg) this.errors.push({ message: 'package expected', loc: this.tok.loc });
            reportedNoPkg = true;
            this.skipStatement();
            continue;
          }
          if (this.isKw('import')) {
            const imp = this.parseImport();
            if (sawRule) this.errors.push({ message: 'import must come before rules', loc: imp.loc });
            imports.push(imp);
          } else {
            sawRule = true;
            rules.push(...this.parseRule());
          }
        }
        // One statement per line.
        if (!this.atEof() && !this.tok.nlBefore) this.unexpected();
      } catch (e) {
        this.recover(e, start);
      }
    }
    if (!pkg) {
      if (this.errors.length === 0) {
        this.errors.push({ message: 'package expected', loc: this.tok.loc });
      }
      return undefined;
    }
    return { file: this.file, package: pkg, imports, rules, comments };
  }

  private skipStatement(): void {
    this.advance();
    while (!this.atEof() && !(this.tok.nlBefore && this.tok.loc.col === 1 && this.tok.kind === 'ident')) this.advance();
  }

  /**
   * Records the failure and skips to the next name that starts a line at column 1 (a plausible
   * rule start). The failing token itself is kept if it is one, unless the statement failed on
   * its very first token (which would loop).
   */
  protected recover(e: unknown, stmtStart: number): void {
    if (e instanceof ParseFailure) this.errors.push({ message: e.message, loc: e.loc });
    else if (e instanceof RangeError) this.errors.push({ message: 'input nested too deeply', loc: this.tok.loc });
    else throw e;
    const atRuleStart = (): boolean => this.tok.nlBefore && this.tok.loc.col === 1 && this.tok.kind === 'ident';
    if (this.i === stmtStart || !atRuleStart()) this.advance();
    while (!this.atEof() && !atRuleStart()) this.advance();
  }

  private atEof(): boolean {
    return this.tok.kind === 'eof';
  }

  // ----- package and imports ----------------------------------------------------------------

  private parsePackage(): Package {
    const loc = this.advance().loc;
    const ref = this.parseDottedRef('package');
    const path: string[] = [];
    for (const seg of [ref.head, ...ref.path]) {
      if (seg.type === 'var') path.push(seg.name);
      else if (seg.type === 'string') path.push(seg.value);
      else this.fail('package path must contain only names and strings', seg.loc);
    }
    if (path[0] === 'data' && path.length > 1) path.shift();
    return { path, loc };
  }

  private parseImport(): Import {
    const loc = this.advance().loc;
    const path = this.parseDottedRef('import');
    const root = path.head.type === 'var' ? path.head.name : '';
    if (!IMPORT_ROOTS.has(root)) {
      this.fail(`invalid import path: must begin with input, data, future or rego`, path.loc);
    }
    this.checkKeywordImport(root, path);
    let alias: string | undefined;
    if (this.isKw('as') && this.cont()) {
      this.advance();
      const a = this.tok;
      if (a.kind !== 'ident' || KEYWORDS.has(a.value)) this.unexpected('expected alias name');
      if (root === 'future' || root === 'rego') this.fail(`${root} imports cannot be aliased`, a.loc);
      alias = a.value;
      this.advance();
    }
    return { path, alias, loc };
  }

  /** `future.keywords[.kw]` and `rego.v1` are the only imports of their roots (no-ops in v1). */
  private checkKeywordImport(root: string, path: RefTerm): void {
    const segs = path.path.map((p) => (p.type === 'string' ? p.value : '?'));
    if (root === 'rego' && (segs.length !== 1 || segs[0] !== 'v1')) {
      this.fail(`invalid import \`rego.${segs.join('.')}\`, must be \`rego.v1\``, path.loc);
    }
    if (root !== 'future') return;
    if (segs[0] !== 'keywords' || segs.length > 2) this.fail('invalid import, must be `future.keywords` or `future.keywords.<keyword>`', path.loc);
    if (segs.length === 2 && !FUTURE_KEYWORDS.has(segs[1])) {
      this.fail(`unexpected keyword ${segs[1]}, must be one of [${[...FUTURE_KEYWORDS].join(' ')}]`, path.loc);
    }
  }

  /** `a.b["c"]`: a name followed by dotted names (keywords allowed) or string segments. */
  private parseDottedRef(what: string): RefTerm {
    const first = this.tok;
    if (first.kind !== 'ident' || KEYWORDS.has(first.value)) this.unexpected(`expected ${what} path`);
    this.advance();
    const ref: RefTerm = { type: 'ref', head: { type: 'var', name: first.value, loc: first.loc }, path: [], loc: first.loc };
    for (;;) {
      if (!this.cont()) break;
      if (this.isPunct('.')) {
        this.advance();
        const seg = this.tok;
        if (seg.kind !== 'ident') this.unexpected(`expected name in ${what} path`);
        this.advance();
        ref.path.push({ type: 'string', value: seg.value, loc: seg.loc });
      } else if (this.isPunct('[')) {
        this.advance();
        const seg = this.tok;
        if (seg.kind !== 'string') this.unexpected(`expected string in ${what} path`);
        this.advance();
        this.expectPunct(']');
        ref.path.push({ type: 'string', value: seg.value, loc: seg.loc });
      } else break;
    }
    return ref;
  }

  // ----- rules ------------------------------------------------------------------------------

  private parseRule(): Rule[] {
    const loc = this.tok.loc;
    const isDefault = this.isKw('default');
    if (isDefault) this.advance();
    const ref = this.parseHeadRef();
    let args: Term[] | undefined;
    if (this.isPunct('(') && this.cont()) {
      this.advance();
      args = this.parseList(')');
    }

    if (isDefault) {
      if (!(this.isPunct(':=') || this.isPunct('='))) this.unexpected('expected := or = after default rule name');
      const assign = this.advance().value === ':=';
      const value = this.parseIn(false);
      const head: RuleHead = { ref, args, value, assign, loc };
      if (this.isKw('if') || this.isPunct('{')) this.fail('default rules cannot have a body');
      return [{ kind: args ? 'function' : 'complete', default: true, head, body: [], loc }];
    }

    let kind: RuleKind;
    let key: Term | undefined;
    let value: Term;
    let assign = false;
    let hasValue = true;
    if (this.isKw('contains') && this.cont()) {
      if (args) this.fail('contains cannot be used with function rules');
      this.advance();
      key = this.parseIn(false);
      kind = 'partial_set';
      value = { type: 'boolean', value: true, loc };
    } else {
      if ((this.isPunct(':=') || this.isPunct('=')) && this.cont()) {
        assign = this.advance().value === ':=';
        value = this.parseIn(false);
      } else {
        hasValue = false;
        value = { type: 'boolean', value: true, loc };
      }
      if (args) kind = 'function';
      else if (ref.slice(1).some((t) => !isScalar(t))) {
        kind = 'partial_object';
        key = ref[ref.length - 1];
      } else kind = 'complete';
    }
    const head: RuleHead = { ref, args, key, value, assign, loc };

    const bodies: Body[] = [];
    if (this.isKw('if')) {
      this.advance();
      if (this.isPunct('{')) {
        bodies.push(this.parseBracedBody());
        // Additional `{ … }` blocks on the same line define more rules with the same head.
        while (this.isPunct('{') && !this.tok.nlBefore) bodies.push(this.parseBracedBody());
      } else {
        bodies.push([this.parseLiteral()]);
      }
    } else if (this.isPunct('{')) {
      if (kind === 'partial_object' && !hasValue) this.fail('`contains` keyword is required for partial set rules', loc);
      this.fail('`if` keyword is required before rule body');
    } else {
      if (!hasValue && kind !== 'partial_set') {
        this.fail('rule must have a value assignment (:= or =) or a body (if …)', loc);
      }
      bodies.push([]);
    }

    let elseChain: ElseClause | undefined;
    if (this.isKw('else')) {
      if (kind === 'partial_set' || kind === 'partial_object') this.fail('else keyword cannot be used on multi-value rules');
      if (bodies.length > 1) this.fail('else keyword cannot be used on rules with multiple bodies');
      elseChain = this.parseElse();
    }

    return bodies.map((body, n) => ({
      kind,
      default: false,
      head: n === 0 ? head : { ...head },
      body,
      ...(n === 0 && elseChain ? { else: elseChain } : {}),
      loc,
    }));
  }

  /** `p`, `a.b.c`, `a.b[x]`: first segment a name, then `.name` or `[term]`. */
  private parseHeadRef(): Term[] {
    const first = this.tok;
    if (first.kind !== 'ident' || KEYWORDS.has(first.value) || first.value === '_') {
      this.unexpected('expected rule name');
    }
    if (first.value === 'true' || first.value === 'false' || first.value === 'null') {
      this.fail(`${first.value} cannot be used for rule name`);
    }
    this.advance();
    const ref: Term[] = [{ type: 'string', value: first.value, loc: first.loc }];
    for (;;) {
      if (!this.cont()) break;
      if (this.isPunct('.')) {
        this.advance();
        const seg = this.tok;
        if (seg.kind !== 'ident') this.unexpected('expected name after .');
        this.advance();
        ref.push({ type: 'string', value: seg.value, loc: seg.loc });
      } else if (this.isPunct('[')) {
        this.advance();
        ref.push(this.parseBracketSeg());
      } else break;
    }
    return ref;
  }

  private parseBracketSeg(): Term {
    const list = this.parseList(']');
    if (list.length !== 1) this.fail('expected exactly one term in rule head reference', list[1]?.loc);
    return list[0];
  }

  private parseElse(): ElseClause {
    const loc = this.advance().loc;
    let value: Term = { type: 'boolean', value: true, loc };
    if (this.isPunct(':=') || this.isPunct('=')) {
      this.advance();
      value = this.parseIn(false);
    }
    let body: Body = [];
    if (this.isKw('if')) {
      this.advance();
      body = this.isPunct('{') ? this.parseBracedBody() : [this.parseLiteral()];
    } else if (this.isPunct('{') && this.cont()) {
      body = this.parseBracedBody();
    }
    const next = this.isKw('else') ? this.parseElse() : undefined;
    return next ? { value, body, else: next, loc } : { value, body, loc };
  }

  // ----- queries ----------------------------------------------------------------------------

  parseQuery(): Body | undefined {
    try {
      const start = this.tok.loc;
      const body = this.parseBodyUntil('', start);
      return body;
    } catch (e) {
      this.recover(e, this.i);
      return undefined;
    }
  }

  parseSingleTerm(): Term | undefined {
    try {
      const t = this.parseIn(false);
      if (!this.atEof()) this.unexpected('expected end of term');
      return t;
    } catch (e) {
      this.recover(e, this.i);
      return undefined;
    }
  }
}

function isScalar(t: Term): boolean {
  return t.type === 'string' || t.type === 'number' || t.type === 'boolean' || t.type === 'null';
}
