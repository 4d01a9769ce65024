// Bodies and expressions. planBody(body, next) plans the expressions in order; each one calls
// its continuation inside the innermost block it opened, so later expressions run once per
// solution of the earlier ones.
import { lookupBuiltin } from '../builtins/catalog';
import type { Body, CallTerm, Expr, Term } from '../syntax/ast';
import { local, Scope } from './builder';
import { DATA, INPUT, type Local, type Operand } from './ir';
import type { FuncSub, Planner } from './planner';
import { withKey } from '../compiler/with-mocks';
import { planCall, planTerm, planTerms } from './terms';
import { unifyOperand, unifyTerms, type ScopeK } from './unify';

export function planBody(p: Planner, body: Body, scope: Scope, next: ScopeK): void {
  const go = (i: number, s: Scope): void => {
    if (i === body.length) return next(s);
    planExpr(p, body[i], s, (s2) => go(i + 1, s2));
  };
  go(0, scope);
}

export function planExpr(p: Planner, e: Expr, scope: Scope, next: ScopeK): void {
  if (e.with.length) return planWith(p, e, scope, next);
  planNegatable(p, e, scope, next);
}

function planNegatable(p: Planner, e: Expr, scope: Scope, next: ScopeK): void {
  if (!e.negated) return planCore(p, e, scope, next);
  planNoSolution(p, (found) => planCore(p, e, scope, found));
  next(scope);
}

/**
 * Continues only when `plan` finds no solution (never calls `found`). A bare `not` block is not
 * enough: a `scan` completes whether or not its body found anything, so `not x[_] == 2` or an
 * `every` whose body iterates would be decided by the scan, not by the solutions. A flag set at
 * the first solution (which then leaves the iteration early) decides instead.
 */
function planNoSolution(p: Planner, plan: (found: () => void) => void): void {
  const fb = p.fb;
  const flag = fb.local();
  fb.emit({ op: 'reset', target: flag });
  const block = fb.block(() => {
    const d = fb.depth;
    plan(() => {
      fb.emit({ op: 'assign', source: TRUE, target: flag });
      if (fb.depth > d && fb.canBreakTo(d)) fb.emit({ op: 'break', index: fb.depth - d });
    });
  }, 'barrier');
  fb.emit({ op: 'block', blocks: [block] });
  fb.emit({ op: 'is_undefined', source: flag });
}

const FALSE: Operand = { kind: 'bool', value: false };
const TRUE: Operand = { kind: 'bool', value: true };

function arity(p: Planner, t: CallTerm): number {
  if (t.op[0] === 'data') return p.tree.group(t.op.slice(1))?.arity ?? -1;
  return lookupBuiltin(t.op.join('.'))?.args.length ?? -1;
}

/** OPA's relation builtins: called with an output argument they iterate over their results. */
const RELATIONS = new Set(['walk']);

function isRelation(p: Planner, t: CallTerm): boolean {
  return t.op.length === 1 && RELATIONS.has(t.op[0]) && !p.mock.funcs.has(t.op[0]);
}

function planCore(p: Planner, e: Expr, scope: Scope, next: ScopeK): void {
  const fb = p.fb;
  switch (e.kind) {
    case 'term': {
      const t = e.term;
      if (t.type === 'call' && t.args.length > 0 && t.args.length === arity(p, t) + 1) {
        const out = t.args[t.args.length - 1];
        const call = { ...t, args: t.args.slice(0, -1) };
        if (isRelation(p, t)) {
          // walk(x, [path, value]) yields each pair in turn: the builtin returns them all
          return planCall(p, call, scope, (r, s) => {
            const source = fb.toLocal(r);
            const key = fb.local();
            const value = fb.local();
            const block = fb.block(() => unifyOperand(p, out, local(value), s, next));
            fb.emit({ op: 'scan', source, key, value, block });
          });
        }
        return planCall(p, call, scope, (r, s) => unifyOperand(p, out, r, s, next));
      }
      if (t.type === 'call' && t.args.length === 2 && (t.op[0] === 'equal' || t.op[0] === 'neq') && t.op.length === 1 && !p.mock.funcs.has(t.op[0])) {
        return planTerms(p, t.args, scope, ([a, b], s) => {
          fb.emit({ op: t.op[0] === 'equal' ? 'equal' : 'not_equal', a, b });
          next(s);
        });
      }
      return planTerm(p, t, scope, (op, s) => {
        if (op.kind === 'bool') {
          if (!op.value) fb.emit({ op: 'equal', a: op, b: { kind: 'bool', value: true } });
        } else fb.emit({ op: 'not_equal', a: op, b: FALSE });
        next(s);
      });
    }
    case 'unify':
    case 'assign':
      return unifyTerms(p, e.lhs, e.rhs, scope, next);
    case 'some':
      return next(scope);
    case 'somein':
      return planTerm(p, e.collection, scope, (coll, s) => {
        const source = fb.toLocal(coll);
        const key = fb.local();
        const value = fb.local();
        const block = fb.block(() => {
          const withValue = (s2: Scope) => unifyOperand(p, e.value, local(value), s2, next);
          if (e.key) unifyOperand(p, e.key, local(key), s, withValue);
          else withValue(s);
        });
        fb.emit({ op: 'scan', source, key, value, block });
      });
    case 'every':
      return planTerm(p, e.domain, scope, (dom, s) => {
        // every = no element for which the body has no solution
        const source = fb.toLocal(dom);
        const key = fb.local();
        const value = fb.local();
        planNoSolution(p, (counterexample) => {
          const scanBlock = fb.block(() => {
            let inner = s.bind(e.value.name, value);
            if (e.key) inner = inner.bind(e.key.name, key);
            planNoSolution(p, (ok) => planBody(p, e.body, inner, ok));
            counterexample();
          });
          fb.emit({ op: 'scan', source, key, value, block: scanBlock });
        });
        next(s);
      });
  }
}

interface WithTarget {
  root: Local;
  path: string[];
}

function withTarget(t: Term): WithTarget {
  const head = t.type === 'ref' ? t.head : t;
  if (head.type !== 'var' || (head.name !== 'input' && head.name !== 'data')) {
    throw new Error('with: only input and data targets are supported');
  }
  const path = t.type === 'ref' ? t.path : [];
  if (path.some((s) => s.type !== 'string')) throw new Error('with: target path must be constant');
  return { root: head.name === 'input' ? INPUT : DATA, path: path.map((s) => (s.type === 'string' ? s.value : '')) };
}

/**
 * `expr with input.x as v`: the expression runs inside `with` statements; the rest of the body
 * runs inside `with` statements restoring the original input/data (OPA's "undo").
 * Overriding a path where rules live, or replacing a function, switches to a context in which
 * the Funcs affected are planned again (see Planner.mock).
 */
function planWith(p: Planner, e: Expr, scope: Scope, next: ScopeK): void {
  const fb = p.fb;
  const mocks = e.with.map((w) => p.ctx.funcMocks.get(withKey(w.loc)));
  // evaluated at the `with` site: input/data values and value replacements of functions
  const valued = mocks.map((m) => !m || m.replacement.kind === 'value');
  planTerms(p, e.with.filter((_, i) => valued[i]).map((w) => w.value), scope, (ops, s) => {
    let j = 0;
    const targets: Array<WithTarget & { value: Operand }> = [];
    const paths: string[][] = [];
    const funcs: Array<[string, FuncSub]> = [];
    const newSlots: Local[] = [];
    e.with.forEach((w, i) => {
      const m = mocks[i];
      const value = valued[i] ? ops[j++] : undefined;
      if (!m) {
        const t = withTarget(w.target);
        targets.push({ ...t, value: value! });
        if (t.root === DATA && touchesRules(p, t.path)) paths.push(t.path);
      } else if (m.replacement.kind === 'value') {
        // a local of its own: later `with`s may replace input/data
        const l = fb.local();
        fb.emit({ op: 'assign', source: value!, target: l });
        funcs.push([m.target, { kind: 'value', slot: p.mock.slots + newSlots.length }]);
        newSlots.push(l);
      } else funcs.push([m.target, m.replacement]);
    });
    const saved = new Map<Local, Local>();
    for (const t of targets) {
      if (saved.has(t.root)) continue;
      const copy = fb.local();
      fb.emit({ op: 'assign', source: local(t.root), target: copy });
      saved.set(t.root, copy);
    }
    const outer = { mock: p.mock, slots: p.slotLocals };
    const inner = { mock: p.deriveMock(paths, funcs, newSlots.length), slots: [...p.slotLocals, ...newSlots] };
    const undo = (entries: Array<[Local, Local]>, s2: Scope): void => {
      if (!entries.length) return next(s2);
      const [[root, copy], ...rest] = entries;
      const block = fb.block(() => undo(rest, s2), 'barrier');
      fb.emit({ op: 'with', local: root, path: [], value: local(copy), block });
    };
    const wrap = (i: number): void => {
      if (i === targets.length) {
        p.inMock(inner.mock, inner.slots, () =>
          planNegatable(p, { ...e, with: [] }, s, (s2) => p.inMock(outer.mock, outer.slots, () => undo([...saved], s2))),
        );
        return;
      }
      const t = targets[i];
      const block = fb.block(() => wrap(i + 1), 'barrier');
      fb.emit({ op: 'with', local: t.root, path: t.path.map((x) => p.pb.str(x)), value: t.value, block });
    };
    wrap(0);
  });
}

function touchesRules(p: Planner, path: string[]): boolean {
  let n = p.tree.root;
  for (const seg of path) {
    if (n.group) return true;
    const c = n.children.get(seg);
    if (!c) return false;
    n = c;
  }
  return p.tree.groupsUnder(n).length > 0;
}
