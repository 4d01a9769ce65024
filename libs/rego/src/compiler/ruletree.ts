// The tree of virtual documents: every rule hangs at its anchor (the longest all-string prefix
// of `data.<package>.<rule ref>`); rules sharing an anchor form one group planned as one Func.
import type { Module, Rule, Term } from '../syntax/ast';
import { stringPrefix } from './walk';

/**
 * complete: one value (`p := v`); function: `f(x) := v`; set: `p contains x`;
 * object: the ref continues past the anchor with non-string keys (`p[k] := v`, `p.q[r].s := v`),
 * so the group's value is an object built from those keys.
 */
export type GroupKind = 'complete' | 'function' | 'set' | 'object';

export interface RuleEntry {
  rule: Rule;
  module: Module;
  /** Number of head ref segments forming the anchor; the rest are the object keys. */
  anchorLen: number;
  /** Object groups: `a[x] contains y` puts a set at the key path (head.key is the element). */
  setLeaf?: boolean;
}

/** Key terms after the anchor (object groups), read from the current (rewritten) head. */
export function entryKeys(e: RuleEntry): Term[] {
  return e.rule.head.ref.slice(e.anchorLen);
}

export interface RuleGroup {
  /** Anchor path without `data`. */
  path: string[];
  kind: GroupKind;
  rules: RuleEntry[];
  defaults: RuleEntry[];
  arity: number;
}

export interface TreeNode {
  path: string[];
  children: Map<string, TreeNode>;
  group?: RuleGroup;
}

export class RuleTree {
  readonly root: TreeNode = { path: [], children: new Map() };
  readonly groups: RuleGroup[] = [];

  node(path: string[], create = false): TreeNode | undefined {
    let n = this.root;
    for (const seg of path) {
      let c = n.children.get(seg);
      if (!c) {
        if (!create) return undefined;
        c = { path: [...n.path, seg], children: new Map() };
        n.children.set(seg, c);
      }
      n = c;
    }
    return n;
  }

  group(path: string[]): RuleGroup | undefined {
    return this.node(path)?.group;
  }

  /** Groups at or below node. */
  groupsUnder(n: TreeNode, out: RuleGroup[] = []): RuleGroup[] {
    if (n.group) out.push(n.group);
    for (const c of n.children.values()) this.groupsUnder(c, out);
    return out;
  }
}

export function classify(rule: Rule): { kind: GroupKind; anchor: string[]; keys: Term[] } {
  const prefix = stringPrefix(rule.head.ref);
  const keys = rule.head.ref.slice(prefix.length);
  if (rule.kind === 'function') return { kind: 'function', anchor: prefix, keys: [] };
  if (rule.kind === 'partial_set') return { kind: keys.length ? 'object' : 'set', anchor: prefix, keys };
  if (keys.length > 0) return { kind: 'object', anchor: prefix, keys };
  return { kind: 'complete', anchor: prefix, keys: [] };
}

/** Builds the tree; returns anchor-level conflicts for the rule-check stage to report. */
export function buildRuleTree(modules: Module[]): { tree: RuleTree; conflicts: RuleEntry[] } {
  const tree = new RuleTree();
  const conflicts: RuleEntry[] = [];
  for (const m of modules) {
    for (const rule of m.rules) {
      const { kind, anchor } = classify(rule);
      const path = [...m.package.path, ...anchor];
      const node = tree.node(path, true)!;
      const entry: RuleEntry = { rule, module: m, anchorLen: anchor.length, setLeaf: rule.kind === 'partial_set' && kind === 'object' };
      const arity = rule.head.args?.length ?? 0;
      if (!node.group) {
        node.group = { path, kind, rules: [], defaults: [], arity };
        tree.groups.push(node.group);
      } else if (node.group.kind !== kind || node.group.arity !== arity) {
        conflicts.push(entry);
        continue;
      }
      (rule.default ? node.group.defaults : node.group.rules).push(entry);
    }
  }
  mergeIntoObjects(tree);
  return { tree, conflicts };
}

/**
 * `p["foo"] := 1` next to `p[k] := v`: a rule below an object group contributes to that
 * object (its remaining path segments become keys; a partial set puts a set there).
 */
function mergeIntoObjects(tree: RuleTree): void {
  for (const g of [...tree.groups]) {
    if (g.kind === 'function' || g.defaults.length) continue;
    for (let len = g.path.length - 1; len > 0; len--) {
      const owner = tree.group(g.path.slice(0, len));
      if (!owner) continue;
      if (owner.kind !== 'object') break;
      const parent = tree.node(g.path.slice(0, -1))!;
      parent.children.delete(g.path[g.path.length - 1]);
      tree.groups.splice(tree.groups.indexOf(g), 1);
      const setLeaf = g.kind === 'set';
      for (const e of g.rules) owner.rules.push({ ...e, anchorLen: e.anchorLen - (g.path.length - len), setLeaf: e.setLeaf || setLeaf });
      break;
    }
  }
}
