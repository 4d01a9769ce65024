// The output variables of a query: every named variable the query binds at its top level.
// Wildcards (`_`, renamed `$wildN` by the parser), the roots `input`/`data`, `with` targets and
// variables local to comprehensions or `every` bodies are not outputs.
import type { Body, Expr, Term } from '../syntax/ast';

const ROOTS = new Set(['input', 'data']);

export function queryOutputVars(body: Body): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (name: string) => {
    if (name.startsWith('$') || ROOTS.has(name) || seen.has(name)) return;
    seen.add(name);
    out.push(name);
  };
  for (const e of body) exprVars(e, add);
  return out;
}

function exprVars(e: Expr, add: (n: string) => void): void {
  switch (e.kind) {
    case 'term':
      termVars(e.term, add);
      break;
    case 'unify':
    case 'assign':
      termVars(e.lhs, add);
      termVars(e.rhs, add);
      break;
    case 'some':
      for (const v of e.vars) add(v.name);
      break;
    case 'somein':
      if (e.key) termVars(e.key, add);
      termVars(e.value, add);
      termVars(e.collection, add);
      break;
    case 'every':
      // key/value and body are local to the `every`; only the domain is evaluated outside.
      termVars(e.domain, add);
      break;
  }
  for (const w of e.with) termVars(w.value, add);
}

function termVars(t: Term, add: (n: string) => void): void {
  switch (t.type) {
    case 'var':
      add(t.name);
      break;
    case 'ref':
      termVars(t.head, add);
      for (const p of t.path) termVars(p, add);
      break;
    case 'array':
    case 'set':
      for (const i of t.items) termVars(i, add);
      break;
    case 'object':
      for (const [k, v] of t.entries) {
        termVars(k, add);
        termVars(v, add);
      }
      break;
    case 'call':
      for (const a of t.args) termVars(a, add);
      break;
    // Comprehensions are closures: their variables never escape.
    default:
      break;
  }
}
