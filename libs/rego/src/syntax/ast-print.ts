// Compact, fully parenthesised text form of the AST for tests and debugging. Infix operators
// show as their builtin calls (`plus(1, mul(2, 3))`), so precedence is visible.
import type { Body, ElseClause, Expr, Module, Rule, Term } from './ast';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function printTerm(t: Term): string {
  switch (t.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return String(t.value);
    case 'number':
      return t.raw;
    case 'string':
      return JSON.stringify(t.value);
    case 'var':
      return t.name;
    case 'ref':
      return printTerm(t.head) + t.path.map(printSeg).join('');
    case 'array':
      return `[${t.items.map(printTerm).join(', ')}]`;
    case 'object':
      return `{${t.entries.map(([k, v]) => `${printTerm(k)}: ${printTerm(v)}`).join(', ')}}`;
    case 'set':
      return t.items.length ? `{${t.items.map(printTerm).join(', ')}}` : 'set()';
    case 'arraycompr':
      return `[${printTerm(t.term)} | ${printBody(t.body)}]`;
    case 'setcompr':
      return `{${printTerm(t.term)} | ${printBody(t.body)}}`;
    case 'objectcompr':
      return `{${printTerm(t.key)}: ${printTerm(t.value)} | ${printBody(t.body)}}`;
    case 'call':
      return `${t.op.join('.')}(${t.args.map(printTerm).join(', ')})`;
  }
}

function printSeg(t: Term): string {
  return t.type === 'string' && IDENT.test(t.value) ? `.${t.value}` : `[${printTerm(t)}]`;
}

export function printExpr(e: Expr): string {
  let s: string;
  switch (e.kind) {
    case 'term':
      s = printTerm(e.term);
      break;
    case 'unify':
      s = `${printTerm(e.lhs)} = ${printTerm(e.rhs)}`;
      break;
    case 'assign':
      s = `${printTerm(e.lhs)} := ${printTerm(e.rhs)}`;
      break;
    case 'some':
      s = `some ${e.vars.map(printTerm).join(', ')}`;
      break;
    case 'somein':
      s = `some ${e.key ? printTerm(e.key) + ', ' : ''}${printTerm(e.value)} in ${printTerm(e.collection)}`;
      break;
    case 'every':
      s = `every ${e.key ? printTerm(e.key) + ', ' : ''}${printTerm(e.value)} in ${printTerm(e.domain)} { ${printBody(e.body)} }`;
      break;
  }
  if (e.negated) s = `not ${s}`;
  for (const w of e.with) s += ` with ${printTerm(w.target)} as ${printTerm(w.value)}`;
  return s;
}

export function printBody(b: Body): string {
  return b.map(printExpr).join('; ');
}

export function printRule(r: Rule): string {
  const h = r.head;
  let s = (r.default ? 'default ' : '') + printTerm(h.ref[0]).slice(1, -1) + h.ref.slice(1).map(printSeg).join('');
  if (h.args) s += `(${h.args.map(printTerm).join(', ')})`;
  if (r.kind === 'partial_set') s += ` contains ${printTerm(h.key as Term)}`;
  else s += ` ${h.assign ? ':=' : '='} ${printTerm(h.value)}`;
  if (r.body.length) s += ` if { ${printBody(r.body)} }`;
  for (let e: ElseClause | undefined = r.else; e; e = e.else) {
    s += ` else = ${printTerm(e.value)}`;
    if (e.body.length) s += ` if { ${printBody(e.body)} }`;
  }
  return `[${r.kind}] ${s}`;
}

export function printModule(m: Module): string {
  const lines = [`package ${m.package.path.join('.')}`];
  for (const i of m.imports) lines.push(`import ${printTerm(i.path)}${i.alias ? ` as ${i.alias}` : ''}`);
  for (const r of m.rules) lines.push(printRule(r));
  return lines.join('\n') + '\n';
}
