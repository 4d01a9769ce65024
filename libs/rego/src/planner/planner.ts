// Planner state shared by the planning functions: the policy tables, the function being
// built, and the `with data…` context (virtual documents replaced by base data).
import type { CompileContext } from '../compiler/context';
import type { RuleGroup, RuleTree, TreeNode } from '../compiler/ruletree';
import { groupDeps } from '../compiler/stages/deps';
import { FuncBuilder, PolicyBuilder } from './builder';
import { local } from './builder';
import { DATA, INPUT, type Func, type Local, type Operand } from './ir';
import { groupCalls } from './calls';

/**
 * Paths overridden by `with data.<path> as …`: rules at or below them are not called; their
 * value is read from the (overridden) data local instead. Funcs depending on them are planned
 * again for the context (id > 0), never cached.
 */
export interface MockCtx {
  id: number;
  paths: string[][];
  /**
   * Functions replaced by `with` (key: builtin name or "data.<path>"). A value replacement
   * names a slot: Funcs planned in this context take one extra parameter per slot (after input
   * and data) carrying the values, so calls deep inside see the value of the `with` site.
   */
  funcs: Map<string, FuncSub>;
  slots: number;
}

export type FuncSub = { kind: 'value'; slot: number } | { kind: 'builtin'; name: string } | { kind: 'function'; path: string[] };

function subKey(s: FuncSub): string {
  return s.kind === 'value' ? `#${s.slot}` : s.kind === 'builtin' ? s.name : `data.${s.path.join('.')}`;
}

export class Planner {
  readonly pb = new PolicyBuilder();
  fb: FuncBuilder = new FuncBuilder(2);
  mock: MockCtx = { id: 0, paths: [], funcs: new Map(), slots: 0 };
  /** Locals of the current function holding the current context's value slots. */
  slotLocals: Local[] = [];
  private readonly contexts = new Map<string, MockCtx>();
  private readonly funcNames = new Map<string, string>();
  private readonly queue: Array<() => void> = [];
  private readonly depCache = new Map<RuleGroup, Set<RuleGroup>>();
  private readonly callCache = new Map<RuleGroup, Set<string>>();
  private readonly funcCtx = new Map<string, MockCtx>();

  constructor(readonly ctx: CompileContext) {
    this.contexts.set('', this.mock);
  }

  get tree(): RuleTree {
    return this.ctx.tree;
  }

  /** The context of `with` overrides added to the current one (later ones win). */
  deriveMock(paths: string[][], funcs: Array<[string, FuncSub]>, slots: number): MockCtx {
    if (!paths.length && !funcs.length) return this.mock;
    const all = [...this.mock.paths, ...paths];
    const subs = new Map(this.mock.funcs);
    for (const [k, v] of funcs) subs.set(k, v);
    const total = this.mock.slots + slots;
    const key = [
      all.map((p) => p.join('.')).sort().join('|'),
      [...subs].map(([k, v]) => `${k}=${subKey(v)}`).sort().join('|'),
      total,
    ].join('~');
    let c = this.contexts.get(key);
    if (!c) {
      c = { id: this.contexts.size, paths: all, funcs: subs, slots: total };
      this.contexts.set(key, c);
    }
    return c;
  }

  /** Runs fn planning in another context (with its slot locals), restoring afterwards. */
  inMock<T>(mock: MockCtx, slotLocals: Local[], fn: () => T): T {
    const saved = [this.mock, this.slotLocals] as const;
    this.mock = mock;
    this.slotLocals = slotLocals;
    try {
      return fn();
    } finally {
      [this.mock, this.slotLocals] = saved;
    }
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

  /** Builtins and user functions ("data.…") called directly by a group's rules. */
  private calls(g: RuleGroup): Set<string> {
    let c = this.callCache.get(g);
    if (!c) {
      c = groupCalls(g);
      this.callCache.set(g, c);
    }
    return c;
  }

  /** The context a group's Func must be planned in: the base one unless it reads a mock. */
  private contextFor(groups: RuleGroup[]): MockCtx {
    if (this.mock.id === 0) return this.mock;
    const funcs = [...this.mock.funcs.keys()];
    for (const g of groups) {
      for (const d of this.closure(g)) {
        if (this.mock.paths.some((m) => overlaps(m, d.path))) return this.mock;
        if (funcs.length) {
          const calls = this.calls(d);
          if (funcs.some((f) => calls.has(f))) return this.mock;
        }
      }
    }
    return this.contexts.get('')!;
  }

  /** The leading arguments of a call of a planned Func: input, data and its context's slots. */
  callArgs(func: string): Operand[] {
    const c = this.funcCtx.get(func);
    const slots = c && c.slots > 0 ? this.slotLocals.slice(0, c.slots) : [];
    return [local(INPUT), local(DATA), ...slots.map(local)];
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
    this.funcCtx.set(name, mock);
    this.queue.push(() => {
      const savedFb = this.fb;
      try {
        this.inMock(mock, [], () => {
          const f = plan();
          f.name = name;
          f.cacheable = f.cacheable && mock.id === 0;
          this.pb.funcs.push(f);
        });
      } finally {
        this.fb = savedFb;
      }
    });
    return name;
  }

  drain(): void {
    for (let i = 0; i < this.queue.length; i++) this.queue[i]();
    this.queue.length = 0;
  }

  /**
   * Starts a new function body: params are input, data, the context's value slots, then
   * `arity` arguments (returned as `args`).
   */
  startFunc(arity: number): { fb: FuncBuilder; params: Local[]; args: Local[] } {
    const slots = this.mock.slots;
    this.fb = new FuncBuilder(2 + slots + arity);
    const params = Array.from({ length: 2 + slots + arity }, (_, i) => i);
    this.slotLocals = params.slice(2, 2 + slots);
    return { fb: this.fb, params, args: params.slice(2 + slots) };
  }
}

function overlaps(a: string[], b: string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
