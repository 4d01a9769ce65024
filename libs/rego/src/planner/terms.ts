// Terms → statements. Continuation-passing: planTerm emits what computes the term and calls k
// with its operand *inside* the innermost block (refs with variables open scans).
import type { CallTerm, Term } from '../syntax/ast';
import { local, Scope, srcLoc } from './builder';
import { planComprehension } from './comprehensions';
import { INPUT, type Operand } from './ir';
import type { Planner } from './planner';
import { planDataRef, planPath } from './refs';
import { planGroupFunc } from './rules';

export type TermK = (op: Operand, scope: Scope) => void;

export function planTerm(p: Planner, t: Term, scope: Scope, k: TermK): void {
  const fb = p.fb;
  switch (t.type) {
    case 'null': {
      const l = fb.local();
      fb.emit({ op: 'make_null', target: l });
      return k(local(l), scope);
    }
    case 'boolean':
      return k({ kind: 'bool', value: t.value }, scope);
    case 'string':
      return k({ kind: 'string', index: p.pb.str(t.value) }, scope);
    case 'number':
      return k(local(makeNumber(p, t.raw)), scope);
    case 'var': {
      if (t.name === 'input') {
        // No input: every expression using `input` itself is undefined (as a ref's path would be).
        fb.emit({ op: 'is_defined', source: INPUT });
        return k(local(INPUT), scope);
      }
      if (t.name === 'data') return planDataRef(p, [], scope, k);
      const l = scope.get(t.name);
      if (l === undefined) throw new Error(`unbound var ${t.name} at ${t.loc.line}:${t.loc.col}`);
      return k(local(l), scope);
    }
    case 'ref': {
      const h = t.head;
      if (h.type === 'var' && h.name === 'data') return planDataRef(p, t.path, scope, k);
      // input.x: the path lookups already make an undefined input undefined.
      if (h.type === 'var' && h.name === 'input') return planPath(p, local(INPUT), t.path, 0, scope, k);
      return planTerm(p, h, scope, (src, s) => planPath(p, src, t.path, 0, s, k));
    }
    case 'array':
      return planTerms(p, t.items, scope, (ops, s) => {
        const l = fb.local();
        fb.emit({ op: 'make_array', capacity: ops.length, target: l });
        for (const v of ops) fb.emit({ op: 'array_append', array: l, value: v });
        k(local(l), s);
      });
    case 'set':
      return planTerms(p, t.items, scope, (ops, s) => {
        const l = fb.local();
        fb.emit({ op: 'make_set', target: l });
        for (const v of ops) fb.emit({ op: 'set_add', set: l, value: v });
        k(local(l), s);
      });
    case 'object':
      return planTerms(p, t.entries.flat(), scope, (ops, s) => {
        const l = fb.local();
        fb.emit({ op: 'make_object', target: l });
        for (let i = 0; i < ops.length; i += 2) {
          fb.emit({ op: 'object_insert', object: l, key: ops[i], value: ops[i + 1] });
        }
        k(local(l), s);
      });
    case 'call':
      return planCall(p, t, scope, k);
    case 'arraycompr':
    case 'setcompr':
    case 'objectcompr':
      return planComprehension(p, t, scope, k);
  }
}

export function makeNumber(p: Planner, raw: string): number {
  const fb = p.fb;
  const l = fb.local();
  if (/^-?\d+$/.test(raw) && Math.abs(Number(raw)) <= 0x7fffffff) {
    fb.emit({ op: 'make_number_int', value: Number(raw), target: l });
  } else {
    fb.emit({ op: 'make_number', raw: p.pb.str(raw), target: l });
  }
  return l;
}

/** Plans terms left to right; k gets all operands. */
export function planTerms(p: Planner, ts: Term[], scope: Scope, k: (ops: Operand[], s: Scope) => void): void {
  const go = (i: number, acc: Operand[], s: Scope): void => {
    if (i === ts.length) return k(acc, s);
    planTerm(p, ts[i], s, (op, s2) => go(i + 1, [...acc, op], s2));
  };
  go(0, [], scope);
}

/** A call whose arguments are all given (the output-argument form is handled by the caller). */
export function planCall(p: Planner, t: CallTerm, scope: Scope, k: TermK): void {
  const fb = p.fb;
  if (t.op.join('.') === 'internal.print') return planPrint(p, t, scope, k);
  const sub = p.mock.funcs.get(t.op.join('.'));
  planTerms(p, t.args, scope, (args, s) => {
    // `with f as …`: the replacement's value or another function (args are still evaluated)
    if (sub?.kind === 'value') return k(local(p.slotLocals[sub.slot]), s);
    const result = fb.local();
    const userPath = sub?.kind === 'function' ? sub.path : sub ? undefined : t.op[0] === 'data' ? t.op.slice(1) : undefined;
    if (userPath) {
      const g = p.tree.group(userPath);
      if (!g) throw new Error(`undefined function data.${userPath.join('.')}`);
      const name = p.groupFunc(g, planGroupFunc);
      fb.emit({ op: 'call', func: name, args: [...p.callArgs(name), ...args], result, loc: srcLoc(t.loc) });
    } else {
      const name = sub?.kind === 'builtin' ? sub.name : t.op.join('.');
      p.pb.builtin(name, args.length);
      fb.emit({ op: 'call', func: name, builtin: true, args, result, loc: srcLoc(t.loc) });
    }
    k(local(result), s);
  });
}

/**
 * `print(a, b)` → `internal.print([{a}, {b}])`: each argument becomes a set holding its value,
 * or the empty set when undefined (printed as `<undefined>`), so printing never fails a body.
 */
function planPrint(p: Planner, t: CallTerm, scope: Scope, k: TermK): void {
  const fb = p.fb;
  const items = t.args[0]?.type === 'array' ? t.args[0].items : [];
  const arr = fb.local();
  const sets = items.map((item) => {
    const set = fb.local();
    fb.emit({ op: 'make_set', target: set });
    fb.inBlock(() => planTerm(p, item, scope, (v) => fb.emit({ op: 'set_add', set, value: v })));
    return set;
  });
  fb.emit({ op: 'make_array', capacity: sets.length, target: arr });
  sets.forEach((s) => fb.emit({ op: 'array_append', array: arr, value: local(s) }));
  const result = fb.local();
  p.pb.builtin('internal.print', 1);
  fb.emit({ op: 'call', func: 'internal.print', builtin: true, args: [local(arr)], result, loc: srcLoc(t.loc) });
  k(local(result), scope);
}
