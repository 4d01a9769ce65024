// Type checking (OPA's rego_type_error for builtin arguments that can never match): infers the
// kind of terms where it is known — literals, composites and comprehensions, builtin results
// (catalog result types), `:=`-bound locals, rule values and user function results — and
// reports a builtin call when one argument's possible kinds and the accepted ones are disjoint.
// input, data and anything else unknown is `any` and never reported.
import { lookupBuiltin } from '../../builtins/catalog';
import type { Body, CallTerm, Expr, Rule, Term } from '../../syntax/ast';
import type { CompileContext, Stage } from '../context';
import type { RuleGroup } from '../ruletree';
import { exprTerms, visitTerm } from '../walk';
import { ANY, bit, fromSpec, NONE, showTy, type Ty } from '../typecheck/types';

export const typeCheckStage: Stage = {
  name: 'check_types',
  needsClean: true,
  run(ctx) {
    const c = new Checker(ctx);
    for (const m of ctx.modules) for (const r of m.rules) c.checkRule(r);
  },
};

class Checker {
  /** Types of `:=`-declared locals (unique names after rewrite_locals), per rule. */
  private readonly envs = new WeakMap<Rule, Map<string, Ty>>();
  private readonly groupTypes = new Map<RuleGroup, Ty>();
  private readonly inProgress = new Set<RuleGroup>();

  constructor(private readonly ctx: CompileContext) {}

  checkRule(rule: Rule): void {
    const env = this.env(rule);
    const bodies: Array<[Body, Term[]]> = [[rule.body, [rule.head.value, ...(rule.head.key ? [rule.head.key] : []), ...rule.head.ref]]];
    for (let e = rule.else; e; e = e.else) bodies.push([e.body, [e.value]]);
    for (const [body, heads] of bodies) {
      this.checkBody(body, env);
      heads.forEach((t) => this.checkTerm(t, env));
    }
  }

  private checkBody(body: Body, env: Map<string, Ty>): void {
    for (const e of body) this.checkExpr(e, env);
  }

  private checkExpr(e: Expr, env: Map<string, Ty>): void {
    for (const t of exprTerms(e)) this.checkTerm(t, env, e.kind === 'term' ? e.term : undefined);
    if (e.kind === 'every') this.checkBody(e.body, env);
  }

  /** `top`: the expression's own call, which may carry an output argument. */
  private checkTerm(t: Term, env: Map<string, Ty>, top?: Term): void {
    visitTerm(t, (x) => {
      if (x.type === 'arraycompr' || x.type === 'setcompr' || x.type === 'objectcompr') {
        this.checkBody(x.body, env);
        (x.type === 'objectcompr' ? [x.key, x.value] : [x.term]).forEach((h) => this.checkTerm(h, env));
        return false;
      }
      if (x.type === 'call') this.checkCall(x, env, x === top);
    });
  }

  private checkCall(t: CallTerm, env: Map<string, Ty>, mayHaveOutput: boolean): void {
    if (t.op[0] === 'data') return;
    const name = t.op.join('.');
    const decl = lookupBuiltin(name);
    if (!decl) return;
    const n = decl.args.length;
    if (t.args.length !== n && !(mayHaveOutput && t.args.length === n + 1)) return;
    const have = t.args.slice(0, n).map((a) => this.typeOf(a, env));
    const want = decl.args.map(fromSpec);
    if (have.every((h, i) => (h & want[i]) !== NONE)) return;
    const list = (ts: Ty[]) => `(${ts.map(showTy).join(', ')})`;
    this.ctx.diags.add('rego_type_error', `${name}: invalid argument(s)\n\thave: ${list(have)}\n\twant: ${list(want)}`, t.loc);
  }

  /** `:=` bindings of a rule (all its bodies, nested ones included), in body order. */
  private env(rule: Rule): Map<string, Ty> {
    let env = this.envs.get(rule);
    if (env) return env;
    env = new Map();
    this.envs.set(rule, env);
    const e2 = env;
    const scan = (b: Body) => {
      for (const e of b) {
        for (const t of exprTerms(e)) {
          visitTerm(t, (x) => {
            if (x.type === 'arraycompr' || x.type === 'setcompr' || x.type === 'objectcompr') {
              scan(x.body);
              return false;
            }
          });
        }
        if (e.kind === 'every') scan(e.body);
        if (e.kind === 'assign' && e.lhs.type === 'var') e2.set(e.lhs.name, this.typeOf(e.rhs, e2));
      }
    };
    const scanTerm = (t: Term) =>
      visitTerm(t, (x) => {
        if (x.type === 'arraycompr' || x.type === 'setcompr' || x.type === 'objectcompr') {
          scan(x.body);
          return false;
        }
      });
    scan(rule.body);
    [rule.head.value, ...(rule.head.key ? [rule.head.key] : []), ...rule.head.ref].forEach(scanTerm);
    for (let e = rule.else; e; e = e.else) {
      scan(e.body);
      scanTerm(e.value);
    }
    return env;
  }

  typeOf(t: Term, env: Map<string, Ty>): Ty {
    switch (t.type) {
      case 'null':
      case 'boolean':
      case 'number':
      case 'string':
      case 'array':
      case 'object':
      case 'set':
        return bit(t.type);
      case 'arraycompr':
        return bit('array');
      case 'setcompr':
        return bit('set');
      case 'objectcompr':
        return bit('object');
      case 'var':
        return env.get(t.name) ?? ANY;
      case 'ref':
        return t.head.type === 'var' && t.head.name === 'data' ? this.dataRefType(t.path) : ANY;
      case 'call': {
        if (t.op[0] === 'data') {
          const g = this.ctx.tree.group(t.op.slice(1));
          return g ? this.groupType(g) : ANY;
        }
        const decl = lookupBuiltin(t.op.join('.'));
        return decl ? fromSpec(decl.result) : ANY;
      }
    }
  }

  /** A ref naming a rule exactly has the rule's type; anything else under data is `any`. */
  private dataRefType(path: Term[]): Ty {
    if (!path.every((s) => s.type === 'string')) return ANY;
    const g = this.ctx.tree.group(path.map((s) => (s as { value: string }).value));
    return g && g.kind !== 'function' ? this.groupType(g) : ANY;
  }

  private groupType(g: RuleGroup): Ty {
    const known = this.groupTypes.get(g);
    if (known !== undefined) return known;
    if (g.kind === 'set') return bit('set');
    if (g.kind === 'object') return bit('object');
    if (this.inProgress.has(g)) return ANY;
    this.inProgress.add(g);
    let ty = NONE;
    for (const { rule } of [...g.rules, ...g.defaults]) {
      const env = this.env(rule);
      ty |= this.typeOf(rule.head.value, env);
      for (let e = rule.else; e; e = e.else) ty |= this.typeOf(e.value, env);
    }
    this.inProgress.delete(g);
    const out = ty === NONE ? ANY : ty;
    this.groupTypes.set(g, out);
    return out;
  }
}
