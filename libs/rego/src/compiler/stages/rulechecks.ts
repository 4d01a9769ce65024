// Rule checks: conflicting rule kinds on one path, multiple defaults, defaults on
// multi-value rules, and a rule anchored inside another rule's value.
import type { Stage } from '../context';
import type { TreeNode } from '../ruletree';
import { indexConflicts } from './index-rules';

export const ruleChecksStage: Stage = {
  name: 'rule_checks',
  run(ctx) {
    const diags = ctx.diags;
    for (const c of indexConflicts.get(ctx) ?? []) {
      const path = [...c.module.package.path, ...c.rule.head.ref.map((s) => (s.type === 'string' ? s.value : '_'))];
      diags.add('rego_type_error', `conflicting rules data.${path.join('.')} found`, c.rule.loc);
    }
    for (const g of ctx.tree.groups) {
      const name = `data.${g.path.join('.')}`;
      if (g.defaults.length > 1) {
        diags.add('rego_type_error', `multiple default rules ${name} found`, g.defaults[1].rule.loc);
      }
      if (g.defaults.length && (g.kind === 'set' || g.kind === 'object')) {
        diags.add('rego_type_error', `default rules must not be multi-value: ${name}`, g.defaults[0].rule.loc);
      }
    }
    // A rule group must be a leaf of the tree: rules below another rule's value would need
    // merging inside a computed value, which we do not support.
    const visit = (n: TreeNode) => {
      if (n.group && n.group.kind !== 'function' && n.children.size) {
        const inner = ctx.tree.groupsUnder(n).filter((g) => g !== n.group)[0];
        if (inner) {
          const r = (inner.rules[0] ?? inner.defaults[0]).rule;
          diags.add('rego_type_error', `conflicting rules data.${n.path.join('.')} found`, r.loc);
        }
      }
      n.children.forEach(visit);
    };
    visit(ctx.tree.root);
  },
};
