// Which functions a rule group calls directly (builtin names, "data.…" for user functions):
// decides which Funcs a `with` replacing a function must plan again.
import type { RuleGroup } from '../compiler/ruletree';
import { ruleBodies, visitBody, visitTerm } from '../compiler/walk';
import type { Term } from '../syntax/ast';

export function groupCalls(g: RuleGroup): Set<string> {
  const out = new Set<string>();
  const visit = (t: Term) => {
    if (t.type === 'call') out.add(t.op.join('.'));
  };
  for (const { rule } of [...g.rules, ...g.defaults]) {
    ruleBodies(rule).forEach((b) => visitBody(b, visit));
    [rule.head.value, ...(rule.head.key ? [rule.head.key] : []), ...rule.head.ref, ...(rule.head.args ?? [])].forEach((t) => visitTerm(t, visit));
    for (let e = rule.else; e; e = e.else) visitTerm(e.value, visit);
  }
  return out;
}
