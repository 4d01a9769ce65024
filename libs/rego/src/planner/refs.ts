// References: walking a value by path (dot / scan), and references into `data`, which combine
// base documents (the data local) with virtual documents (rules → calls of their Funcs).
import type { TreeNode } from '../compiler/ruletree';
import type { Term } from '../syntax/ast';
import { local, Scope } from './builder';
import { DATA, type Func, type Operand } from './ir';
import type { Planner } from './planner';
import { planGroupFunc } from './rules';
import { makeNumber, planTerm, type TermK } from './terms';
import { hasUnboundVars, unifyLocal } from './unify';

/**
 * Walks src along path[i..]: ground segments dot, segments with unbound vars scan.
 * `base`: src is base data (from JSON, object keys are strings), where a constant number
 * key also finds the key spelled as a string (`data.x[2]` reads `{"2": …}`).
 */
export function planPath(p: Planner, src: Operand, path: Term[], i: number, scope: Scope, k: TermK, base = false): void {
  if (i === path.length) return k(src, scope);
  const fb = p.fb;
  const seg = path[i];
  if (base && seg.type === 'number') {
    const target = fb.local();
    fb.emit({ op: 'reset', target });
    fb.inBlock(() => fb.emit({ op: 'dot', source: src, key: local(makeNumber(p, seg.raw)), target }));
    fb.inBlock(() => {
      fb.emit({ op: 'is_undefined', source: target });
      fb.emit({ op: 'dot', source: src, key: { kind: 'string', index: p.pb.str(String(Number(seg.raw))) }, target });
    });
    fb.emit({ op: 'is_defined', source: target });
    return planPath(p, local(target), path, i + 1, scope, k, base);
  }
  if (hasUnboundVars(seg, scope)) {
    const source = fb.toLocal(src);
    const key = fb.local();
    const value = fb.local();
    const block = fb.block(() =>
      unifyLocal(p, seg, key, scope, (s) => planPath(p, local(value), path, i + 1, s, k, base)),
    );
    fb.emit({ op: 'scan', source, key, value, block });
    return;
  }
  planTerm(p, seg, scope, (keyOp, s) => {
    const target = fb.local();
    fb.emit({ op: 'dot', source: src, key: keyOp, target });
    planPath(p, local(target), path, i + 1, s, k, base);
  });
}

/** `data.<path>`: calls rules where the path reaches one, merges base + virtual at prefixes. */
export function planDataRef(p: Planner, path: Term[], scope: Scope, k: TermK): void {
  const fb = p.fb;
  let n = p.tree.root;
  let i = 0;
  for (;;) {
    if (n.group && !p.mocked(n.group.path)) {
      if (n.group.kind === 'function') return; // a function is not a value: undefined
      const result = fb.local();
      const func = p.groupFunc(n.group, planGroupFunc);
      fb.emit({ op: 'call', func, args: p.callArgs(func), result });
      return planPath(p, local(result), path, i, scope, k);
    }
    if (i === path.length) break;
    const seg = path[i];
    // Rule paths are strings: a constant number addresses base data.
    if (seg.type === 'number') return planBase(p, path, i, scope, k);
    if (seg.type !== 'string') break;
    const c = n.children.get(seg.value);
    if (!c) return planBase(p, path, i + 1, scope, k);
    n = c;
    i++;
  }
  if (!p.hasVirtual(n)) return planBase(p, path, i, scope, k);
  const result = fb.local();
  const func = p.nodeFunc(n, planNodeFunc);
  fb.emit({ op: 'call', func, args: p.callArgs(func), result });
  planPath(p, local(result), path, i, scope, k);
}

/** Base data only: the first `prefix` segments are strings. */
function planBase(p: Planner, path: Term[], prefix: number, scope: Scope, k: TermK): void {
  let src: Operand = local(DATA);
  for (let j = 0; j < prefix; j++) {
    const target = p.fb.local();
    p.fb.emit({ op: 'dot', source: src, key: strOp(p, path[j]), target });
    src = local(target);
  }
  planPath(p, src, path, prefix, scope, k, true);
}

function strOp(p: Planner, t: Term): Operand {
  if (t.type !== 'string') throw new Error('expected a string path segment');
  return { kind: 'string', index: p.pb.str(t.value) };
}

/** The object at a tree node: the base document there, with every rule below merged in. */
export function planNodeFunc(p: Planner, n: TreeNode): Func {
  const { fb, params } = p.startFunc(0);
  const ret = fb.local();
  fb.emit({ op: 'make_object', target: ret });
  fb.inBlock(() => {
    let src: Operand = local(DATA);
    for (const seg of n.path) {
      const t = fb.local();
      fb.emit({ op: 'dot', source: src, key: { kind: 'string', index: p.pb.str(seg) }, target: t });
      src = local(t);
    }
    const base = fb.toLocal(src);
    fb.emit({ op: 'is_object', source: local(base) });
    const key = fb.local();
    const value = fb.local();
    const block = fb.block(() => fb.emit({ op: 'object_insert', object: ret, key: local(key), value: local(value) }));
    fb.emit({ op: 'scan', source: base, key, value, block });
  });
  for (const [name, c] of n.children) {
    const g = c.group && !p.mocked(c.group.path) ? c.group : undefined;
    if (g?.kind === 'function') continue;
    if (!g && !p.hasVirtual(c)) continue;
    fb.inBlock(() => {
      const v = fb.local();
      const func = g ? p.groupFunc(g, planGroupFunc) : p.nodeFunc(c, planNodeFunc);
      fb.emit({ op: 'call', func, args: p.callArgs(func), result: v });
      fb.emit({ op: 'object_insert', object: ret, key: { kind: 'string', index: p.pb.str(name) }, value: local(v) });
    });
  }
  return { name: '', path: n.path, kind: 'rule', params, returnLocal: ret, blocks: fb.blocks, localCount: fb.localCount, cacheable: true };
}
