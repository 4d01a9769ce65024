// Generic traversals over the AST: visiting terms, mapping terms, collecting variables.
import type { Body, Expr, Location, Rule, Term, VarTerm } from '../syntax/ast';

/** Calls fn on every term nested in t (pre-order), including comprehension bodies. */
export function visitTerm(t: Term, fn: (t: Term) => boolean | void): void {
  if (fn(t) === false) return;
  switch (t.type) {
    case 'ref':
      visitTerm(t.head, fn);
      t.path.forEach((p) => visitTerm(p, fn));
      break;
    case 'array':
    case 'set':
      t.items.forEach((x) => visitTerm(x, fn));
      break;
    case 'object':
      t.entries.forEach(([k, v]) => {
        visitTerm(k, fn);
        visitTerm(v, fn);
      });
      break;
    case 'call':
      t.args.forEach((a) => visitTerm(a, fn));
      break;
    case 'arraycompr':
    case 'setcompr':
      visitTerm(t.term, fn);
      visitBody(t.body, fn);
      break;
    case 'objectcompr':
      visitTerm(t.key, fn);
      visitTerm(t.value, fn);
      visitBody(t.body, fn);
      break;
    default:
      break;
  }
}

export function exprTerms(e: Expr): Term[] {
  const out: Term[] = [];
  switch (e.kind) {
    case 'term':
      out.push(e.term);
      break;
    case 'unify':
    case 'assign':
      out.push(e.lhs, e.rhs);
      break;
    case 'some':
      out.push(...e.vars);
      break;
    case 'somein':
      if (e.key) out.push(e.key);
      out.push(e.value, e.collection);
      break;
    case 'every':
      if (e.key) out.push(e.key);
      out.push(e.value, e.domain);
      break;
  }
  for (const w of e.with) out.push(w.value);
  return out;
}

export function visitExpr(e: Expr, fn: (t: Term) => boolean | void): void {
  for (const t of exprTerms(e)) visitTerm(t, fn);
  if (e.kind === 'every') visitBody(e.body, fn);
}

export function visitBody(b: Body, fn: (t: Term) => boolean | void): void {
  for (const e of b) visitExpr(e, fn);
}

/** Every variable occurring in t (including inside closures). */
export function termVars(t: Term, out = new Set<string>()): Set<string> {
  visitTerm(t, (x) => {
    if (x.type === 'var') out.add(x.name);
  });
  return out;
}

export function exprVars(e: Expr, out = new Set<string>()): Set<string> {
  visitExpr(e, (x) => {
    if (x.type === 'var') out.add(x.name);
  });
  return out;
}

export function bodyVars(b: Body, out = new Set<string>()): Set<string> {
  for (const e of b) exprVars(e, out);
  return out;
}

/** The first occurrence of var `name` in the body, for error locations. */
export function findVar(b: Body, name: string): VarTerm | undefined {
  let found: VarTerm | undefined;
  visitBody(b, (t) => {
    if (found) return false;
    if (t.type === 'var' && t.name === name) found = t;
  });
  return found;
}

/** Rebuilds a term bottom-up through fn (fn sees already-mapped children). */
export function mapTerm(t: Term, fn: (t: Term) => Term, bodyFn?: (b: Body) => Body): Term {
  const mb = bodyFn ?? ((b: Body) => b.map((e) => mapExpr(e, fn)));
  let r: Term;
  switch (t.type) {
    case 'ref':
      r = { ...t, head: mapTerm(t.head, fn, bodyFn), path: t.path.map((p) => mapTerm(p, fn, bodyFn)) };
      break;
    case 'array':
    case 'set':
      r = { ...t, items: t.items.map((x) => mapTerm(x, fn, bodyFn)) } as Term;
      break;
    case 'object':
      r = { ...t, entries: t.entries.map(([k, v]) => [mapTerm(k, fn, bodyFn), mapTerm(v, fn, bodyFn)] as [Term, Term]) };
      break;
    case 'call':
      r = { ...t, args: t.args.map((a) => mapTerm(a, fn, bodyFn)) };
      break;
    case 'arraycompr':
    case 'setcompr':
      r = { ...t, term: mapTerm(t.term, fn, bodyFn), body: mb(t.body) };
      break;
    case 'objectcompr':
      r = { ...t, key: mapTerm(t.key, fn, bodyFn), value: mapTerm(t.value, fn, bodyFn), body: mb(t.body) };
      break;
    default:
      r = t;
  }
  return fn(r);
}

export function mapExpr(e: Expr, fn: (t: Term) => Term): Expr {
  const m = (t: Term) => mapTerm(t, fn);
  const withs = e.with.map((w) => ({ ...w, value: m(w.value) }));
  switch (e.kind) {
    case 'term':
      return { ...e, term: m(e.term), with: withs };
    case 'unify':
    case 'assign':
      return { ...e, lhs: m(e.lhs), rhs: m(e.rhs), with: withs };
    case 'some':
      return { ...e, with: withs };
    case 'somein':
      return { ...e, key: e.key && m(e.key), value: m(e.value), collection: m(e.collection), with: withs };
    case 'every':
      return { ...e, domain: m(e.domain), body: e.body.map((x) => mapExpr(x, fn)), with: withs };
  }
}

export function isWildcard(name: string): boolean {
  return name.startsWith('$');
}

/** Strips the renaming suffix added by the local-rewriting stage, for messages. */
export function displayVar(name: string): string {
  const m = /^(.*)__\d+$/.exec(name);
  if (m) return m[1];
  return isWildcard(name) ? '_' : name;
}

/** True when the rule ref segments are all strings. */
export function stringPrefix(ref: Term[]): string[] {
  const out: string[] = [];
  for (const s of ref) {
    if (s.type !== 'string') break;
    out.push(s.value);
  }
  return out;
}

export function ruleBodies(r: Rule): Body[] {
  const out = [r.body];
  for (let e = r.else; e; e = e.else) out.push(e.body);
  return out;
}

export function mkVar(name: string, loc: Location): VarTerm {
  return { type: 'var', name, loc };
}

export function isGround(t: Term): boolean {
  let g = true;
  visitTerm(t, (x) => {
    if (x.type === 'var' || x.type === 'ref' || x.type === 'call' || x.type.endsWith('compr')) g = false;
  });
  return g;
}

/**
 * Element pairs when both sides are arrays, or objects with the same constant keys;
 * null when they can never unify (different lengths/keys); undefined otherwise.
 */
export function pairUp(a: Term, b: Term): Array<[Term, Term]> | null | undefined {
  if (a.type === 'array' && b.type === 'array') {
    if (a.items.length !== b.items.length) return null;
    return a.items.map((x, i) => [x, b.items[i]]);
  }
  if (a.type === 'object' && b.type === 'object') {
    const key = (t: Term) => (t.type === 'string' ? `s${t.value}` : t.type === 'number' ? `n${Number(t.raw)}` : t.type === 'boolean' || t.type === 'null' ? t.type + String((t as { value?: boolean }).value) : undefined);
    const ka = a.entries.map(([k]) => key(k));
    const kb = b.entries.map(([k]) => key(k));
    if (ka.some((k) => k === undefined) || kb.some((k) => k === undefined)) return undefined;
    if (ka.length !== kb.length || !ka.every((k) => kb.includes(k))) return null;
    return a.entries.map(([k, v]) => [v, b.entries[kb.indexOf(key(k))][1]]);
  }
  return undefined;
}
