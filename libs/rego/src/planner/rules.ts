// Rule groups → Funcs. Every rule of the group is a block (a failing body ends only its block);
// complete rules and functions assign their value with assign_once (conflict = runtime error),
// partial sets add, object-building rules insert at their key path.
import { isGround } from '../compiler/walk';
import { entryKeys, type RuleEntry, type RuleGroup } from '../compiler/ruletree';
import type { Body, Term } from '../syntax/ast';
import { local, Scope, srcLoc } from './builder';
import { planBody } from './body';
import type { Func, Local, Operand } from './ir';
import type { Planner } from './planner';
import { planTerm, planTerms } from './terms';
import { unifyOperand } from './unify';

type Sink = (op: Operand, scope: Scope) => void;

export function planGroupFunc(p: Planner, g: RuleGroup): Func {
  const { fb, params, args: argLocals } = p.startFunc(g.arity);
  const ret = fb.local();
  if (g.kind === 'set') fb.emit({ op: 'make_set', target: ret });
  if (g.kind === 'object') fb.emit({ op: 'make_object', target: ret });
  for (const entry of g.rules) {
    const loc = srcLoc(entry.rule.loc);
    switch (g.kind) {
      case 'complete':
      case 'function':
        planChain(p, entry, argLocals, (op) => fb.emit({ op: 'assign_once', source: op, target: ret, loc }));
        break;
      case 'set':
        planChain(p, entry, argLocals, (op) => fb.emit({ op: 'set_add', set: ret, value: op }), entry.rule.head.key);
        break;
      case 'object':
        if (entry.setLeaf) {
          planChain(p, entry, argLocals, (op, s) => insertAtKeys(p, ret, entryKeys(entry), op, s, loc, true), entry.rule.head.key);
        } else planChain(p, entry, argLocals, (op, s) => insertAtKeys(p, ret, entryKeys(entry), op, s, loc));
        break;
    }
  }
  for (const d of g.defaults) {
    fb.inBlock(() => {
      fb.emit({ op: 'is_undefined', source: ret });
      planTerm(p, d.rule.head.value, Scope.empty(), (op) => fb.emit({ op: 'assign', source: op, target: ret }));
    });
  }
  return {
    name: '',
    path: g.path,
    kind: g.kind === 'function' ? 'function' : 'rule',
    params,
    returnLocal: ret,
    blocks: fb.blocks,
    localCount: fb.localCount,
    cacheable: g.kind !== 'function',
  };
}

/** Plans body → value for a rule and its else chain; `sink` receives each value. */
function planChain(p: Planner, entry: RuleEntry, argLocals: Local[], sink: Sink, valueTerm?: Term): void {
  const fb = p.fb;
  const rule = entry.rule;
  const links: Array<{ body: Body; value: Term }> = [{ body: rule.body, value: valueTerm ?? rule.head.value }];
  for (let e = rule.else; e; e = e.else) links.push({ body: e.body, value: e.value });
  const args = rule.head.args ?? [];
  const bindArgs = (s: Scope, k: (s: Scope) => void) => {
    const go = (i: number, s2: Scope): void => {
      if (i === args.length) return k(s2);
      unifyOperand(p, args[i], local(argLocals[i]), s2, (s3) => go(i + 1, s3));
    };
    go(0, s);
  };
  const run = (link: { body: Body; value: Term }, to: Sink) =>
    bindArgs(Scope.empty(), (s) => planBody(p, link.body, s, (s2) => planTerm(p, link.value, s2, to)));
  if (links.length === 1) {
    // Early exit: a constant value cannot conflict with itself, so once one solution of
    // this body is found the remaining iterations are skipped.
    const constant = isGround(links[0].value) && (rule.kind === 'complete' || rule.kind === 'function');
    fb.inBlock(() => {
      const d = fb.depth;
      run(links[0], (op, s) => {
        sink(op, s);
        if (constant && fb.depth > d && fb.canBreakTo(d)) fb.emit({ op: 'break', index: fb.depth - d });
      });
    });
    return;
  }
  // else: the first link with a solution wins
  const chosen = fb.local();
  const loc = srcLoc(rule.loc);
  links.forEach((link, i) =>
    fb.inBlock(() => {
      if (i > 0) fb.emit({ op: 'is_undefined', source: chosen });
      run(link, (op) => fb.emit({ op: 'assign_once', source: op, target: chosen, loc }));
    }),
  );
  fb.inBlock(() => {
    fb.emit({ op: 'is_defined', source: chosen });
    sink(local(chosen), Scope.empty());
  });
}

/**
 * obj[k1][k2]…[kn] = value, creating intermediate objects; the last insert is "once".
 * With setLeaf, obj[k1]…[kn] is a set (created when missing) and value is added to it.
 */
function insertAtKeys(p: Planner, obj: Local, keys: Term[], value: Operand, scope: Scope, loc: ReturnType<typeof srcLoc>, setLeaf = false): void {
  const fb = p.fb;
  planTerms(p, keys, scope, (ops) => {
    let target = obj;
    for (const [i, key] of ops.entries()) {
      const last = i === ops.length - 1;
      if (last && !setLeaf) break;
      const inner = fb.local();
      fb.emit({ op: 'reset', target: inner });
      fb.inBlock(() => fb.emit({ op: 'dot', source: local(target), key, target: inner }));
      fb.inBlock(() => {
        fb.emit({ op: 'is_undefined', source: inner });
        fb.emit(last ? { op: 'make_set', target: inner } : { op: 'make_object', target: inner });
        fb.emit({ op: 'object_insert', object: target, key, value: local(inner) });
      });
      target = inner;
    }
    if (setLeaf) fb.emit({ op: 'set_add', set: target, value });
    else fb.emit({ op: 'object_insert_once', object: target, key: ops[ops.length - 1], value, loc });
  });
}
