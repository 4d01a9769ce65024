// Safety: reorders every body so each expression's inputs are bound before it runs (OPA's
// stable reordering: repeatedly take the first expression that is safe given the bound vars),
// and reports vars that can never be bound (rego_unsafe_var_error). Rule heads' vars must be
// bound by the body (or the function's arguments).
import { lookupBuiltin } from '../../builtins/catalog';
import type { Body, Expr, Rule, Term } from '../../syntax/ast';
import type { CompileContext, Stage } from '../context';
import { displayVar, isWildcard, pairUp, visitTerm } from '../walk';
import { patternVars } from './locals';


export const safetyStage: Stage = {
  name: 'check_safety',
  needsClean: true,
  run(ctx) {
    for (const m of ctx.modules) for (const r of m.rules) checkRule(ctx, r);
  },
};

type Missing = Map<string, Term>;

function checkRule(ctx: CompileContext, rule: Rule): void {
  const globals = new Set<string>(['input', 'data']);
  const s = new Safety(ctx);
  argumentVars(rule.head.args ?? [], globals, (name, t) => s.report(new Map([[name, t]])));
  const head = rule.head;
  const check = (b: Body, terms: Term[]): Body => {
    const { body, bound } = s.reorder(b, globals);
    const miss: Missing = new Map();
    for (const t of terms) s.need(t, bound, new Set(), miss, new Set());
    s.report(miss);
    // comprehensions in the head (`p := [x | …]`) see the body's bindings
    for (const t of terms) s.closures(t, bound);
    return body;
  };
  const headTerms = [head.value, ...(head.key ? [head.key] : []), ...head.ref.slice(1)];
  rule.body = check(rule.body, headTerms);
  for (let e = rule.else; e; e = e.else) e.body = check(e.body, [e.value]);
}

/**
 * Function arguments bind the vars of their patterns, except object keys: a key is looked up,
 * so its vars must be bound by another argument (`f(k, {k: v})`), or `f({v: v})` is unsafe.
 */
function argumentVars(args: Term[], globals: Set<string>, unsafe: (name: string, t: Term) => void): void {
  const keyVars = args.map(() => new Map<string, Term>());
  args.forEach((a, i) =>
    visitTerm(a, (x) => {
      if (x.type !== 'object') return;
      for (const [k] of x.entries) visitTerm(k, (y) => void (y.type === 'var' && !keyVars[i].has(y.name) && keyVars[i].set(y.name, y)));
    }),
  );
  const valueVars = args.map((a, i) => patternVars(a).filter((v) => !keyVars[i].has(v)));
  valueVars.forEach((vs) => vs.forEach((v) => globals.add(v)));
  keyVars.forEach((keys, i) => {
    for (const [name, t] of keys) {
      if (isWildcard(name) || !valueVars.some((vs, j) => j !== i && vs.includes(name))) unsafe(name, t);
      else globals.add(name);
    }
  });
}

export class Safety {
  constructor(private ctx: CompileContext) {}

  report(miss: Missing): void {
    for (const [name, t] of miss) {
      if (name === 'input' || name === 'data') continue;
      this.ctx.diags.add('rego_unsafe_var_error', `var ${displayVar(name)} is unsafe`, t.loc);
    }
  }

  /** Reorders body given the vars bound outside; reports unsafe vars. */
  reorder(body: Body, globals: Set<string>): { body: Body; bound: Set<string> } {
    const outer = new Set<string>();
    for (const e of body) for (const t of exprTopTerms(e)) openVars(t, outer);
    const bound = new Set(globals);
    const out: Body = [];
    const pending = [...body];
    let progress = true;
    while (pending.length && progress) {
      progress = false;
      for (let i = 0; i < pending.length; i++) {
        const e = pending[i];
        const res = this.exprOutputs(e, bound, outer);
        if (res.missing.size) continue;
        this.nested(e, bound, outer);
        res.outs.forEach((v) => bound.add(v));
        out.push(e);
        pending.splice(i, 1);
        progress = true;
        break;
      }
    }
    for (const e of pending) {
      const res = this.exprOutputs(e, bound, outer);
      this.report(res.missing);
      out.push(e);
    }
    return { body: out, bound };
  }

  /** Reorders (and checks) the comprehensions inside a term, given the vars bound around it. */
  closures(t: Term, bound: Set<string>): void {
    visitTerm(t, (x) => {
      if (x.type === 'arraycompr' || x.type === 'setcompr' || x.type === 'objectcompr') {
        const { body, bound: inner } = this.reorder(x.body, bound);
        x.body = body;
        const miss: Missing = new Map();
        const heads = x.type === 'objectcompr' ? [x.key, x.value] : [x.term];
        heads.forEach((h) => this.need(h, inner, new Set(), miss, new Set()));
        this.report(miss);
        heads.forEach((h) => this.closures(h, inner));
        return false;
      }
    });
  }

  /** Reorders closures (comprehensions, every) inside an expression now known safe. */
  private nested(e: Expr, bound: Set<string>, _outer: Set<string>): void {
    exprTopTerms(e).forEach((t) => this.closures(t, bound));
    if (e.kind === 'every') {
      const g = new Set(bound);
      if (e.key) g.add(e.key.name);
      g.add(e.value.name);
      e.body = this.reorder(e.body, g).body;
    }
  }

  exprOutputs(e: Expr, bound: Set<string>, outer: Set<string>): { outs: Set<string>; missing: Missing } {
    const outs = new Set<string>();
    const missing: Missing = new Map();
    for (const w of e.with) this.need(w.value, bound, outs, missing, outer);
    if (e.negated) {
      const inner = new Set<string>();
      this.exprBody(e, bound, inner, missing, outer);
      // Iteration vars local to the negation are fine only as wildcards.
      for (const v of inner) {
        if (!isWildcard(v) && !bound.has(v)) missing.set(v, findTerm(e, v) ?? e.with[0]?.value ?? dummy(e));
      }
      return { outs: new Set(), missing };
    }
    this.exprBody(e, bound, outs, missing, outer);
    return { outs, missing };
  }

  private exprBody(e: Expr, bound: Set<string>, outs: Set<string>, missing: Missing, outer: Set<string>): void {
    switch (e.kind) {
      case 'some':
        return;
      case 'term': {
        const t = e.term;
        if (t.type === 'call' && t.args.length > 0 && t.args.length === this.arity(t.op) + 1) {
          t.args.slice(0, -1).forEach((a) => this.need(a, bound, outs, missing, outer));
          this.pattern(t.args[t.args.length - 1], bound, outs, missing, outer);
          return;
        }
        this.need(t, bound, outs, missing, outer);
        return;
      }
      case 'unify':
      case 'assign':
        this.unify(e.lhs, e.rhs, bound, outs, missing, outer);
        return;
      case 'somein':
        this.need(e.collection, bound, outs, missing, outer);
        if (e.key) this.pattern(e.key, bound, outs, missing, outer);
        this.pattern(e.value, bound, outs, missing, outer);
        return;
      case 'every': {
        this.need(e.domain, bound, outs, missing, outer);
        const local = new Set([e.value.name, ...(e.key ? [e.key.name] : [])]);
        for (const x of e.body) {
          for (const t of exprTopTerms(x)) {
            const vs = openVars(t, new Set());
            for (const v of vs) if (!local.has(v) && outer.has(v) && !bound.has(v)) missing.set(v, findTerm(x, v)!);
          }
        }
        return;
      }
    }
  }

  private arity(op: string[]): number {
    if (op[0] === 'data') return this.ctx.tree.group(op.slice(1))?.arity ?? -2;
    return lookupBuiltin(op.join('.'))?.args.length ?? -2;
  }

  /** A pattern: its unbound vars become outputs; refs/calls inside must be evaluable. */
  private pattern(t: Term, bound: Set<string>, outs: Set<string>, missing: Missing, outer: Set<string>): void {
    if (t.type === 'var') {
      if (!bound.has(t.name)) outs.add(t.name);
      return;
    }
    if (t.type === 'array') return t.items.forEach((x) => this.pattern(x, bound, outs, missing, outer));
    if (t.type === 'object') {
      return t.entries.forEach(([k, v]) => {
        this.need(k, bound, outs, missing, outer);
        this.pattern(v, bound, outs, missing, outer);
      });
    }
    this.need(t, bound, outs, missing, outer);
  }

  private unify(a: Term, b: Term, bound: Set<string>, outs: Set<string>, missing: Missing, outer: Set<string>): void {
    const ok = (t: Term) => {
      const m: Missing = new Map();
      this.need(t, bound, new Set(), m, outer);
      return m.size === 0;
    };
    const pairs = pairUp(a, b);
    if (pairs) {
      const local = new Set(bound);
      let progress = true;
      const pending = [...pairs];
      while (pending.length && progress) {
        progress = false;
        for (let i = 0; i < pending.length; i++) {
          const o = new Set<string>();
          const m: Missing = new Map();
          this.unify(pending[i][0], pending[i][1], local, o, m, outer);
          if (m.size) continue;
          o.forEach((v) => {
            local.add(v);
            outs.add(v);
          });
          pending.splice(i, 1);
          progress = true;
          break;
        }
      }
      for (const [x, y] of pending) this.unify(x, y, local, outs, missing, outer);
      return;
    }
    if (isPattern(a, bound) && ok(b)) {
      this.need(b, bound, outs, missing, outer);
      this.pattern(a, bound, outs, missing, outer);
      return;
    }
    if (isPattern(b, bound) && ok(a)) {
      this.need(a, bound, outs, missing, outer);
      this.pattern(b, bound, outs, missing, outer);
      return;
    }
    this.need(a, bound, outs, missing, outer);
    this.need(b, bound, outs, missing, outer);
  }

  /** Vars t needs bound; vars in ref segments become outputs (iteration). */
  need(t: Term, bound: Set<string>, outs: Set<string>, missing: Missing, outer: Set<string>): void {
    switch (t.type) {
      case 'var':
        if (!bound.has(t.name) && !outs.has(t.name)) missing.set(t.name, t);
        return;
      case 'ref':
        if (t.head.type === 'var') {
          if (!bound.has(t.head.name) && !outs.has(t.head.name)) missing.set(t.head.name, t.head);
        } else this.need(t.head, bound, outs, missing, outer);
        for (const seg of t.path) {
          if (seg.type === 'var' || seg.type === 'array' || seg.type === 'object') {
            for (const v of patternVars(seg)) if (!bound.has(v)) outs.add(v);
            if (seg.type !== 'var') this.need(seg, new Set([...bound, ...outs]), outs, missing, outer);
          } else this.need(seg, bound, outs, missing, outer);
        }
        return;
      case 'array':
      case 'set':
        return t.items.forEach((x) => this.need(x, bound, outs, missing, outer));
      case 'object':
        return t.entries.forEach(([k, v]) => {
          this.need(k, bound, outs, missing, outer);
          this.need(v, bound, outs, missing, outer);
        });
      case 'call':
        return t.args.forEach((x) => this.need(x, bound, outs, missing, outer));
      case 'arraycompr':
      case 'setcompr':
      case 'objectcompr': {
        // Closure: vars shared with the enclosing body must be bound before it runs.
        const vs = new Set<string>();
        visitTerm(t, (x) => {
          if (x.type === 'var') vs.add(x.name);
        });
        for (const v of vs) if (outer.has(v) && !bound.has(v) && !outs.has(v)) missing.set(v, findIn(t, v)!);
        return;
      }
      default:
        return;
    }
  }
}

function dummy(e: Expr): Term {
  return { type: 'null', loc: e.loc };
}

/** An unbound var or a composite with unbound vars in pattern position. */
function isPattern(t: Term, bound: Set<string>): boolean {
  if (t.type === 'var') return !bound.has(t.name);
  if (t.type === 'array' || t.type === 'object') return patternVars(t).some((v) => !bound.has(v));
  return false;
}

/** The terms of an expression (not descending into every bodies). */
function exprTopTerms(e: Expr): Term[] {
  const ts: Term[] = [];
  switch (e.kind) {
    case 'term':
      ts.push(e.term);
      break;
    case 'unify':
    case 'assign':
      ts.push(e.lhs, e.rhs);
      break;
    case 'somein':
      if (e.key) ts.push(e.key);
      ts.push(e.value, e.collection);
      break;
    case 'every':
      ts.push(e.domain);
      break;
    case 'some':
      break;
  }
  for (const w of e.with) ts.push(w.value);
  return ts;
}

/** Vars of t outside closures. */
function openVars(t: Term, out: Set<string>): Set<string> {
  visitTerm(t, (x) => {
    if (x.type === 'var') out.add(x.name);
    if (x.type.endsWith('compr')) return false;
  });
  return out;
}

function findIn(t: Term, name: string): Term | undefined {
  let f: Term | undefined;
  visitTerm(t, (x) => {
    if (f) return false;
    if (x.type === 'var' && x.name === name) f = x;
  });
  return f;
}

function findTerm(e: Expr, name: string): Term | undefined {
  for (const t of exprTopTerms(e)) {
    const f = findIn(t, name);
    if (f) return f;
  }
  if (e.kind === 'every') for (const x of e.body) {
    const f = findTerm(x, name);
    if (f) return f;
  }
  return undefined;
}
