// Recursion: Rego forbids rules that (transitively) depend on themselves.
import type { Stage } from '../context';
import type { RuleGroup } from '../ruletree';
import { groupDeps } from './deps';

export const recursionStage: Stage = {
  name: 'check_recursion',
  needsClean: true,
  run(ctx) {
    const deps = new Map<RuleGroup, Set<RuleGroup>>();
    const dropped = new Set(ctx.dropped);
    for (const g of ctx.tree.groups) deps.set(g, groupDeps(ctx.tree, g, dropped));
    const done = new Set<RuleGroup>();
    const reported = new Set<RuleGroup>();
    const stack: RuleGroup[] = [];
    const onStack = new Set<RuleGroup>();
    const visit = (g: RuleGroup) => {
      if (done.has(g)) return;
      if (onStack.has(g)) {
        const at = stack.indexOf(g);
        const cycle = [...stack.slice(at), g];
        if (!reported.has(g)) {
          cycle.forEach((c) => reported.add(c));
          const names = cycle.map((c) => `data.${c.path.join('.')}`);
          const rule = (g.rules[0] ?? g.defaults[0]).rule;
          ctx.diags.add('rego_recursion_error', `rule ${names[0]} is recursive: ${names.join(' -> ')}`, rule.loc);
        }
        return;
      }
      stack.push(g);
      onStack.add(g);
      for (const d of deps.get(g) ?? []) visit(d);
      stack.pop();
      onStack.delete(g);
      done.add(g);
    };
    ctx.tree.groups.forEach(visit);
  },
};
