// Resolve: imports, references to rules of the same package, and calls (user function vs
// builtin). Afterwards every rule/data reference is a ref rooted at the `data` var, every user
// function call's op starts with "data", and builtin calls are arity/type checked.
import { lookupBuiltin } from '../../builtins/catalog';
import type { Body, CallTerm, Expr, Location, Module, Rule, Term, VarTerm, WithModifier } from '../../syntax/ast';
import type { CompileContext, Stage } from '../context';
import { mapExpr, mapTerm, mkVar, ruleBodies, visitBody, exprTerms, visitTerm } from '../walk';
import { checkWith } from './with-targets';
import { checkRootOverrides } from './root-overrides';

interface Scope {
  ctx: CompileContext;
  module: Module;
  pkg: string[];
  /** alias → [root var, ...path] */
  imports: Map<string, string[]>;
  /** First ref segments of the package's rules (all modules of the package). */
  ruleNames: Set<string>;
  declared: Set<string>;
}

export const resolveStage: Stage = {
  name: 'resolve',
  run(ctx) {
    const names = new Map<string, Set<string>>();
    for (const m of ctx.modules) {
      const key = m.package.path.join('.');
      const set = names.get(key) ?? new Set<string>();
      for (const r of m.rules) if (r.head.ref[0]?.type === 'string') set.add(r.head.ref[0].value);
      names.set(key, set);
    }
    for (const m of ctx.modules) {
      const imports = new Map<string, string[]>();
      for (const imp of m.imports) {
        const head = imp.path.head;
        if (head.type !== 'var' || (head.name !== 'data' && head.name !== 'input')) continue;
        const path = [head.name, ...imp.path.path.map((p) => (p.type === 'string' ? p.value : '?'))];
        const alias = imp.alias ?? path[path.length - 1];
        const earlier = imports.get(alias);
        if (earlier) ctx.diags.add('rego_compile_error', `import must not shadow import ${earlier.join('.')}${imp.alias ? ` as ${alias}` : ''}`, imp.loc);
        imports.set(alias, path);
      }
      const base = { ctx, module: m, pkg: m.package.path, imports, ruleNames: names.get(m.package.path.join('.'))! };
      for (const rule of m.rules) {
        checkRootOverrides(ctx, rule);
        resolveRule(rule, { ...base, declared: declaredVars(rule) });
        checkOutputArgs(rule, ctx);
      }
    }
  },
};

/** Vars a rule declares (`:=`, `some`, `every`, function args): these shadow rule names. */
function declaredVars(rule: Rule): Set<string> {
  const out = new Set<string>();
  const addPattern = (t: Term) =>
    visitTerm(t, (x) => {
      if (x.type === 'var') out.add(x.name);
      if (x.type === 'ref' || x.type === 'call') return false;
    });
  for (const a of rule.head.args ?? []) addPattern(a);
  const scanBody = (b: Body) => {
    for (const e of b) {
      if (e.kind === 'assign') addPattern(e.lhs);
      if (e.kind === 'some') e.vars.forEach((v) => out.add(v.name));
      if (e.kind === 'somein') {
        if (e.key) addPattern(e.key);
        addPattern(e.value);
      }
      if (e.kind === 'every') {
        if (e.key) out.add(e.key.name);
        out.add(e.value.name);
        scanBody(e.body);
      }
    }
    visitBody(b, (t) => {
      if (t.type === 'arraycompr' || t.type === 'setcompr' || t.type === 'objectcompr') scanBody(t.body);
    });
  };
  ruleBodies(rule).forEach(scanBody);
  return out;
}

function resolveRule(rule: Rule, s: Scope): void {
  const fn = (t: Term) => resolveTerm(t, s);
  const withs = (e: Expr) => {
    if (e.with.length) e.with = e.with.map((w) => resolveWith(w, s));
  };
  const mapBody = (b: Body): Body => {
    const out = b.map((e) => mapExpr(e, fn));
    forEachExpr(out, withs);
    return out;
  };
  const term = (t: Term): Term => {
    const out = mapTerm(t, fn);
    forEachExprIn(out, withs);
    return out;
  };
  rule.body = mapBody(rule.body);
  const h = rule.head;
  h.value = term(h.value);
  if (h.key) h.key = term(h.key);
  h.ref = h.ref.map((seg, i) => (i === 0 ? seg : term(seg)));
  if (h.args) h.args = h.args.map(term);
  for (let e = rule.else; e; e = e.else) {
    e.body = mapBody(e.body);
    e.value = term(e.value);
  }
}

function forEachExprIn(t: Term, fn: (e: Expr) => void): void {
  visitTerm(t, (x) => {
    if (x.type === 'arraycompr' || x.type === 'setcompr' || x.type === 'objectcompr') {
      forEachExpr(x.body, fn);
      return false;
    }
  });
}

/** Every expression of a body, including those in comprehension and `every` bodies. */
function forEachExpr(b: Body, fn: (e: Expr) => void): void {
  for (const e of b) {
    fn(e);
    if (e.kind === 'every') forEachExpr(e.body, fn);
    for (const t of exprTerms(e)) forEachExprIn(t, fn);
  }
}

function resolveWith(w: WithModifier, s: Scope): WithModifier {
  const t = mapTerm(w.target, (x) => resolveTerm(x, { ...s, declared: new Set() }));
  const target = t.type === 'ref' || t.type === 'var' ? t : w.target;
  return checkWith(s.ctx, { ...w, target }, s.declared);
}

function strings(path: string[], loc: Location): Term[] {
  return path.map((value) => ({ type: 'string', value, loc }));
}

/** The ref a bare name stands for, if it names an import or a rule of the package. */
function nameRef(name: string, s: Scope): string[] | undefined {
  if (s.declared.has(name)) return undefined;
  const imp = s.imports.get(name);
  if (imp) return imp;
  if (s.ruleNames.has(name)) return ['data', ...s.pkg, name];
  return undefined;
}

function resolveTerm(t: Term, s: Scope): Term {
  if (t.type === 'var') {
    const target = nameRef(t.name, s);
    if (!target) return t;
    if (target.length === 1) return mkVar(target[0], t.loc);
    return { type: 'ref', head: mkVar(target[0], t.loc), path: strings(target.slice(1), t.loc), loc: t.loc };
  }
  if (t.type === 'ref' && t.head.type === 'ref') {
    // A resolved head var became a ref: flatten `data.p` + path.
    return { ...t, head: t.head.head, path: [...t.head.path, ...t.path] };
  }
  if (t.type === 'call') return resolveCall(t, s);
  return t;
}

const PRINT = 'print';

function resolveCall(t: CallTerm, s: Scope): Term {
  const { ctx } = s;
  const op = t.op;
  if (op.length === 1 && op[0] === PRINT) {
    return { ...t, op: ['internal', 'print'], args: [{ type: 'array', items: t.args, loc: t.loc }] };
  }
  let target: string[] | undefined;
  const head = nameRef(op[0], s);
  if (op[0] === 'data') target = op;
  else if (head && head[0] === 'data') target = [...head, ...op.slice(1)];
  if (!target && s.ruleNames.has(op[0]) && !s.declared.has(op[0])) target = ['data', ...s.pkg, ...op];
  if (target) {
    const group = ctx.tree.group(target.slice(1));
    if (!group || group.kind !== 'function') {
      ctx.diags.add('rego_type_error', `undefined function ${target.join('.')}`, t.loc);
      return t;
    }
    const n = t.args.length;
    if (n !== group.arity && n !== group.arity + 1) {
      ctx.diags.add('rego_type_error', `function ${target.join('.')} has arity ${group.arity}, got ${n} argument${n === 1 ? '' : 's'}`, t.loc);
    }
    return { ...t, op: target };
  }
  const name = op.join('.');
  const decl = lookupBuiltin(name);
  if (!decl) {
    ctx.diags.add('rego_type_error', `undefined function ${name}`, t.loc);
    return t;
  }
  checkArity(name, decl.args.length, t, s);
  return t;
}

function checkArity(name: string, arity: number, t: CallTerm, s: Scope): boolean {
  const n = t.args.length;
  if (n === arity) return true;
  if (n === arity + 1) {
    // The extra argument receives the result; it must be something that can be unified.
    return true;
  }
  const msg = n > arity + 1 ? `${name}: too many arguments` : `${name}: arity mismatch`;
  s.ctx.diags.add('rego_type_error', `${msg} (have ${n}, want ${arity})`, t.loc);
  return false;
}

/**
 * `f(x, out)` (one argument more than f takes) binds the result to `out`, but only as an
 * expression of its own: anywhere else (`y := count(a, b)`, a head value, an array item) it is
 * OPA's "too many arguments" — left through, the planner or the host loader would fail later.
 */
function checkOutputArgs(rule: Rule, ctx: CompileContext): void {
  const statements = new Set<Term>();
  const arity = (t: CallTerm): number | undefined =>
    t.op[0] === 'data' ? ctx.tree.group(t.op.slice(1))?.arity : lookupBuiltin(t.op.join('.'))?.args.length;
  const check = (t: Term): void =>
    visitTerm(t, (x) => {
      if (x.type !== 'call' || statements.has(x)) return;
      const n = arity(x);
      if (n !== undefined && x.args.length === n + 1) {
        ctx.diags.add('rego_type_error', `${x.op.join('.')}: too many arguments (have ${x.args.length}, want ${n})`, x.loc);
      }
    });
  const closures = (x: Term): void => {
    if (x.type === 'arraycompr' || x.type === 'setcompr' || x.type === 'objectcompr') body(x.body);
  };
  const body = (b: Body): void => {
    for (const e of b) {
      if (e.kind === 'term' && e.term.type === 'call') statements.add(e.term);
      if (e.kind === 'every') body(e.body);
    }
    visitBody(b, closures);
  };
  const h = rule.head;
  const headTerms = [h.value, h.key, ...(h.args ?? []), ...h.ref.slice(1)].filter((t): t is Term => t !== undefined);
  for (let e = rule.else; e; e = e.else) headTerms.push(e.value);
  ruleBodies(rule).forEach(body);
  headTerms.forEach((t) => visitTerm(t, closures));
  for (const b of ruleBodies(rule)) visitBody(b, (x) => (check(x), false));
  headTerms.forEach(check);
}

export function isVar(t: Term, name?: string): t is VarTerm {
  return t.type === 'var' && (name === undefined || t.name === name);
}
