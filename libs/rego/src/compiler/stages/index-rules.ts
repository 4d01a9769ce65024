// Builds the rule tree (anchors → rule groups); kind conflicts at one anchor are reported
// by the rule-check stage.
import type { Stage } from '../context';
import { buildRuleTree, type RuleEntry } from '../ruletree';

export const indexConflicts = new WeakMap<object, RuleEntry[]>();

export const indexRulesStage: Stage = {
  name: 'index_rules',
  run(ctx) {
    const { tree, conflicts } = buildRuleTree(ctx.modules);
    ctx.tree = tree;
    indexConflicts.set(ctx, conflicts);
  },
};
