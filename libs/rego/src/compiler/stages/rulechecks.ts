// Rule checks: conflicting rule kinds on one path, multiple defaults, defaults on
// multi-value rules, and a rule anchored inside another rule's value.
import type { Stage } from '../context';
import type { RuleEntry, TreeNode } from '../ruletree';
import { displayVar } from '../walk';
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
    // A rule group must be a leaf of the tree (object groups absorb the rules below them when
    // they can): OPA reports the outer rule, listing the rules inside its value.
    const visit = (n: TreeNode) => {
      const g = n.group;
      if (g && n.children.size) {
        const inner = ctx.tree.groupsUnder(n).filter((x) => x !== g);
        if (inner.length) {
          const first = (g.rules[0] ?? g.defaults[0]);
          const kind = g.kind === 'set' ? 'multi-value rule' : g.kind === 'object' ? 'single-value rule' : 'rule';
          const refs = [...new Set(inner.flatMap((x) => [...x.rules, ...x.defaults].map(ruleRef)))].sort();
          diags.add('rego_type_error', `${kind} ${ruleRef(first)} conflicts with [${refs.join(' ')}]`, first.rule.loc);
        }
      }
      n.children.forEach(visit);
    };
    visit(ctx.tree.root);
  },
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `data.a.p.q[x]` for a rule, as OPA prints rule refs in messages. */
function ruleRef(e: RuleEntry): string {
  let out = ['data', ...e.module.package.path].join('.');
  for (const seg of e.rule.head.ref) {
    if (seg.type === 'string') out += IDENT.test(seg.value) ? `.${seg.value}` : `[${JSON.stringify(seg.value)}]`;
    else if (seg.type === 'var') out += `[${displayVar(seg.name)}]`;
    else if (seg.type === 'number') out += `[${seg.raw}]`;
    else out += '[_]';
  }
  return out;
}
