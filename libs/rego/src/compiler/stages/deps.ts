// Which rule groups a term may read: used by the recursion check and by the planner to decide
// which Funcs a `with data…` override invalidates.
import type { Rule, Term } from '../../syntax/ast';
import type { RuleGroup, RuleTree } from '../ruletree';
import { ruleBodies, visitBody, visitTerm } from '../walk';

/** Groups read by a `data` ref whose path is given (non-string segments stop the walk). */
export function groupsForPath(tree: RuleTree, path: Term[]): RuleGroup[] {
  let n = tree.root;
  for (const seg of path) {
    if (n.group) return [n.group];
    if (seg.type === 'number' || seg.type === 'boolean' || seg.type === 'null') return [];
    if (seg.type !== 'string') break;
    const c = n.children.get(seg.value);
    if (!c) return [];
    n = c;
  }
  return tree.groupsUnder(n);
}

export function termDeps(tree: RuleTree, t: Term, out: Set<RuleGroup>): void {
  visitTerm(t, (x) => {
    if (x.type === 'ref' && x.head.type === 'var' && x.head.name === 'data') {
      groupsForPath(tree, x.path).forEach((g) => out.add(g));
      x.path.forEach((seg) => termDeps(tree, seg, out));
      return false;
    } else if (x.type === 'var' && x.name === 'data') {
      tree.groupsUnder(tree.root).forEach((g) => out.add(g));
    } else if (x.type === 'call' && x.op[0] === 'data') {
      const g = tree.group(x.op.slice(1));
      if (g) out.add(g);
    }
  });
}

/** Direct dependencies of a rule group (leaving out `skip`: rules with errors). */
export function groupDeps(tree: RuleTree, g: RuleGroup, skip?: ReadonlySet<Rule>): Set<RuleGroup> {
  const out = new Set<RuleGroup>();
  for (const { rule } of [...g.rules, ...g.defaults]) {
    if (skip?.has(rule)) continue;
    const f = (t: Term) => termDeps(tree, t, out);
    ruleBodies(rule).forEach((b) => visitBody(b, (t) => { f(t); return false; }));
    f(rule.head.value);
    if (rule.head.key) f(rule.head.key);
    rule.head.ref.forEach(f);
    for (let e = rule.else; e; e = e.else) f(e.value);
  }
  return out;
}
