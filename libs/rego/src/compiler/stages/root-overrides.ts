// Rego v1 forbids declaring `input` or `data` as a local (`:=`, `some`, `every`, function
// arguments): it would hide the document for the rest of the rule. OPA reports it as
// rego_compile_error; left through, `f(data)` recursed without end at evaluation.
import type { Body, Rule, Term } from '../../syntax/ast';
import type { CompileContext } from '../context';
import { visitBody, visitTerm } from '../walk';

const ROOTS = new Set(['input', 'data']);

export function checkRootOverrides(ctx: CompileContext, rule: Rule): void {
  const seen = new Set<Term>();
  const report = (what: 'args' | 'variables', t: Term) =>
    visitTerm(t, (x) => {
      if (x.type === 'var' && ROOTS.has(x.name) && !seen.has(x)) {
        seen.add(x);
        ctx.diags.add('rego_compile_error', `${what} must not shadow ${x.name} (use a different variable name)`, x.loc);
      }
      if (x.type === 'ref' || x.type === 'call' || x.type.endsWith('compr')) return false;
    });
  for (const a of rule.head.args ?? []) report('args', a);
  // each comprehension body once (visiting goes on into nested ones through body())
  const closure = (x: Term): boolean | void => {
    if (x.type === 'arraycompr' || x.type === 'setcompr' || x.type === 'objectcompr') {
      body(x.body);
      return false;
    }
  };
  const body = (b: Body): void => {
    for (const e of b) {
      if (e.kind === 'assign') report('variables', e.lhs);
      if (e.kind === 'some') e.vars.forEach((v) => report('variables', v));
      if (e.kind === 'somein') [e.key, e.value].forEach((t) => t && report('variables', t));
      if (e.kind === 'every') {
        [e.key, e.value].forEach((t) => t && report('variables', t));
        body(e.body);
      }
    }
    visitBody(b, closure);
  };
  body(rule.body);
  const h = rule.head;
  const heads = [h.value, h.key, ...(h.args ?? []), ...h.ref.slice(1)];
  for (let e = rule.else; e; e = e.else) {
    body(e.body);
    heads.push(e.value);
  }
  for (const t of heads) {
    if (!t) continue;
    visitTerm(t, closure);
  }
}
