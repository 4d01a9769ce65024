// Planner state shared by the planning functions: the policy tables, the function being
// built, and the `with data…` context (virtual documents replaced by base data).
import type { CompileContext } from '../compiler/context';
import type { RuleGroup, RuleTree, TreeNode } from '../compiler/ruletree';
import { groupDeps } from '../compiler/stages/deps';
import { FuncBuilder, PolicyBuilder } from './builder';
import type { Func, Local } from './ir';

/**
 * Paths overridden by `with data.<path> as …`: rules at or below them are not called; their
 * value is read from the (overridden) data local instead. Funcs depending on them are planned
 * again for the context (id > 0), never cached.
 */
export interface MockCtx {
  id: number;
  paths: string[][];
}

export class Planner {
  readonly pb = new PolicyBuilder();
  fb: FuncBuilder = new FuncBuilder(2);
  mock: MockCtx = { id: 0, paths: [] };
  private readonly contexts = new Map<string, MockCtx>();
  private readonly funcNames = new Map<string, string>();
  private readonly queue: Array<() => void> = [];
  private readonly depCache = new Map<RuleGroup, Set<RuleGroup>>();

  constructor(readonly ctx: CompileContext) {
    this.contexts.set('', this.mock);
  }

  get tree(): RuleTree {
    return this.ctx.tree;
  }

  withMock(path: string[]): MockCtx {
    const paths = [...this.mock.paths, path];
    const key = paths.map((p) => p.join('.')).sort().join('|');
    let c = this.contexts.get(key);
    if (!c) {
      c = { id: this.contexts.size, paths };
      this.contexts.set(key, c);
    }
    return c;
  }

  mocked(path: string[], mock = this.mock): boolean {
    return mock.paths.some((m) => m.length <= path.length && m.every((s, i) => path[i] === s));
  }

  /** True when a rule (not overridden) is defined at or below the node. */
  hasVirtual(n: TreeNode): boolean {
    return this.tree.groupsUnder(n).some((g) => !this.mocked(g.path));
  }

  /** All groups g transitively depends on (including g). */
  private closure(g: RuleGroup): Set<RuleGroup> {
    let c = this.depCache.get(g);
    if (c) return c;
    c = new Set([g]);
    this.depCache.set(g, c);
    const todo = [g];
    while (todo.length) {
      const x = todo.pop()!;
      for (const d of groupDeps(this.tree, x)) {
        if (!c.has(d)) {
          c.add(d);
          todo.push(d);
        }
      }
    }
    return c;
  }

  /** The context a group's Func must be planned in: the base one unless it reads a mock. */
  private contextFor(groups: RuleGroup[]): MockCtx {
    if (this.mock.id === 0) return this.mock;
    for (const g of groups) {
      for (const d of this.closure(g)) {
        if (this.mock.paths.some((m) => overlaps(m, d.path))) return this.mock;
      }
    }
    return this.contexts.get('')!;
  }

  /** Name of the Func computing a rule group, scheduling its planning on first use. */
  groupFunc(g: RuleGroup, plan: (p: Planner, g: RuleGroup) => Func): string {
    const mock = this.contextFor([g]);
    return this.schedule(`g${mock.id}.data.${g.path.join('.')}`, mock, () => plan(this, g));
  }

  /** Name of the Func building the merged (base + virtual) object at a tree node. */
  nodeFunc(n: TreeNode, plan: (p: Planner, n: TreeNode) => Func): string {
    const mock = this.contextFor(this.tree.groupsUnder(n));
    return this.schedule(`g${mock.id}.node.data${n.path.map((s) => '.' + s).join('')}`, mock, () => plan(this, n));
  }

  private schedule(name: string, mock: MockCtx, plan: () => Func): string {
    if (this.funcNames.has(name)) return name;
    this.funcNames.set(name, name);
    this.queue.push(() => {
      const savedFb = this.fb;
      const savedMock = this.mock;
      this.mock = mock;
      try {
        const f = plan();
        f.name = name;
        f.cacheable = f.cacheable && mock.id === 0;
        this.pb.funcs.push(f);
      } finally {
        this.fb = savedFb;
        this.mock = savedMock;
      }
    });
    return name;
  }

  drain(): void {
    while (this.queue.length) this.queue.shift()!();
  }

  /** Starts a new function body with `params` locals after input and data. */
  startFunc(params: number): { fb: FuncBuilder; params: Local[] } {
    this.fb = new FuncBuilder(2 + params);
    return { fb: this.fb, params: Array.from({ length: 2 + params }, (_, i) => i) };
  }
}

function overlaps(a: string[], b: string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
