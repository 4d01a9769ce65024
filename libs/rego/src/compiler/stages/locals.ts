// Local rewriting: every declared variable (`:=`, `some`, `some … in`, `every`) gets a name
// unique in its rule, so later stages and the planner never deal with shadowing.
// Also reports redeclarations (`var x assigned above` / `declared above` / `referenced above`).
import type { Body, Expr, Rule, Term } from '../../syntax/ast';
import type { CompileContext, Stage } from '../context';
import { isWildcard, visitTerm } from '../walk';

class Scope {
  readonly names = new Map<string, string>();
  readonly how = new Map<string, 'assigned' | 'declared'>();
  /** Undeclared vars used so far in this body. */
  readonly seen = new Set<string>();
  constructor(readonly parent?: Scope) {}
  lookup(name: string): string | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}

export const localsStage: Stage = {
  name: 'rewrite_locals',
  needsClean: true,
  run(ctx) {
    for (const m of ctx.modules) for (const r of m.rules) rewriteRule(ctx, r);
  },
};

function rewriteRule(ctx: CompileContext, rule: Rule): void {
  const ruleScope = new Scope();
  for (const a of rule.head.args ?? []) patternVars(a).forEach((v) => ruleScope.names.set(v, v));
  const r = new Rewriter(ctx);
  const body = new Scope(ruleScope);
  rule.body = r.body(rule.body, body);
  const h = rule.head;
  h.value = r.term(h.value, body);
  if (h.key) h.key = r.term(h.key, body);
  h.ref = h.ref.map((s) => r.term(s, body));
  for (let e = rule.else; e; e = e.else) {
    const s = new Scope(ruleScope);
    e.body = r.body(e.body, s);
    e.value = r.term(e.value, s);
  }
}

/** Vars bound by a pattern (not those inside refs/calls, which are inputs). */
export function patternVars(t: Term): string[] {
  const out: string[] = [];
  visitTerm(t, (x) => {
    if (x.type === 'var') out.push(x.name);
    if (x.type === 'ref' || x.type === 'call' || x.type.endsWith('compr')) return false;
  });
  return out;
}

class Rewriter {
  constructor(private ctx: CompileContext) {}

  body(b: Body, scope: Scope): Body {
    return b.map((e) => this.expr(e, scope));
  }

  private declare(scope: Scope, name: string, how: 'assigned' | 'declared', t: Term): void {
    if (isWildcard(name)) return;
    const prior = scope.how.get(name);
    if (prior) {
      this.ctx.diags.add('rego_compile_error', `var ${name} ${prior === 'declared' ? 'declared' : 'assigned'} above`, t.loc);
      return;
    }
    if (scope.seen.has(name)) {
      this.ctx.diags.add('rego_compile_error', `var ${name} referenced above`, t.loc);
      return;
    }
    scope.names.set(name, `${name}__${this.ctx.fresh()}`);
    scope.how.set(name, how);
  }

  private declarePattern(scope: Scope, t: Term, how: 'assigned' | 'declared'): void {
    visitTerm(t, (x) => {
      if (x.type === 'var') this.declare(scope, x.name, how, x);
      if (x.type === 'ref' || x.type === 'call' || x.type.endsWith('compr')) return false;
    });
  }

  expr(e: Expr, scope: Scope): Expr {
    const withs = e.with.map((w) => ({ ...w, value: this.term(w.value, scope) }));
    switch (e.kind) {
      case 'assign': {
        const rhs = this.term(e.rhs, scope);
        this.declarePattern(scope, e.lhs, 'assigned');
        return { ...e, rhs, lhs: this.term(e.lhs, scope), with: withs };
      }
      case 'some':
        e.vars.forEach((v) => this.declare(scope, v.name, 'declared', v));
        return { ...e, vars: e.vars.map((v) => this.term(v, scope) as typeof v), with: withs };
      case 'somein': {
        const collection = this.term(e.collection, scope);
        if (e.key) this.declarePattern(scope, e.key, 'declared');
        this.declarePattern(scope, e.value, 'declared');
        return {
          ...e,
          collection,
          key: e.key && this.term(e.key, scope),
          value: this.term(e.value, scope),
          with: withs,
        };
      }
      case 'every': {
        const domain = this.term(e.domain, scope);
        const inner = new Scope(scope);
        if (e.key) this.declare(inner, e.key.name, 'declared', e.key);
        this.declare(inner, e.value.name, 'declared', e.value);
        const key = e.key && (this.term(e.key, inner) as typeof e.key);
        const value = this.term(e.value, inner) as typeof e.value;
        return { ...e, domain, key, value, body: this.body(e.body, inner), with: withs };
      }
      case 'term':
        return { ...e, term: this.term(e.term, scope), with: withs };
      case 'unify':
        return { ...e, lhs: this.term(e.lhs, scope), rhs: this.term(e.rhs, scope), with: withs };
    }
  }

  term(t: Term, scope: Scope): Term {
    switch (t.type) {
      case 'var': {
        const n = scope.lookup(t.name);
        if (n) return n === t.name ? t : { ...t, name: n };
        if (t.name !== 'input' && t.name !== 'data') scope.seen.add(t.name);
        return t;
      }
      case 'ref':
        return { ...t, head: this.term(t.head, scope), path: t.path.map((p) => this.term(p, scope)) };
      case 'array':
      case 'set':
        return { ...t, items: t.items.map((x) => this.term(x, scope)) } as Term;
      case 'object':
        return { ...t, entries: t.entries.map(([k, v]) => [this.term(k, scope), this.term(v, scope)] as [Term, Term]) };
      case 'call':
        return { ...t, args: t.args.map((a) => this.term(a, scope)) };
      case 'arraycompr':
      case 'setcompr': {
        const inner = new Scope(scope);
        const body = this.body(t.body, inner);
        return { ...t, body, term: this.term(t.term, inner) };
      }
      case 'objectcompr': {
        const inner = new Scope(scope);
        const body = this.body(t.body, inner);
        return { ...t, body, key: this.term(t.key, inner), value: this.term(t.value, inner) };
      }
      default:
        return t;
    }
  }
}
