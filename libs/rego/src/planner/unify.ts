// Unification: binds unbound vars of a pattern (var, array, object) to parts of a value, or
// compares when everything is bound.
import type { Term } from '../syntax/ast';
import { pairUp } from '../compiler/walk';
import { local, Scope } from './builder';
import type { Local, Operand } from './ir';
import type { Planner } from './planner';
import { planTerm } from './terms';

export type ScopeK = (scope: Scope) => void;

/** Vars of t in pattern position (outside refs, calls, closures) that are not bound. */
export function unboundPatternVars(t: Term, scope: Scope): string[] {
  switch (t.type) {
    case 'var':
      return t.name === 'input' || t.name === 'data' || scope.has(t.name) ? [] : [t.name];
    case 'array':
      return t.items.flatMap((x) => unboundPatternVars(x, scope));
    case 'object':
      return t.entries.flatMap(([, v]) => unboundPatternVars(v, scope));
    default:
      return [];
  }
}

export function hasUnboundVars(t: Term, scope: Scope): boolean {
  return unboundPatternVars(t, scope).length > 0;
}

/** Unifies pattern t with the value in operand v. */
export function unifyOperand(p: Planner, t: Term, v: Operand, scope: Scope, k: ScopeK): void {
  const fb = p.fb;
  if (t.type === 'var' && hasUnboundVars(t, scope)) {
    // input/data change under `with`: a var must keep the value it was bound to
    if (v.kind === 'local' && (v.local === 0 || v.local === 1)) {
      const copy = fb.local();
      fb.emit({ op: 'assign', source: v, target: copy });
      return k(scope.bind(t.name, copy));
    }
    return k(scope.bind(t.name, fb.toLocal(v)));
  }
  if (!hasUnboundVars(t, scope)) {
    return planTerm(p, t, scope, (op, s) => {
      fb.emit({ op: 'equal', a: op, b: v });
      k(s);
    });
  }
  const src = fb.toLocal(v);
  if (t.type === 'array') {
    fb.emit({ op: 'is_array', source: local(src) });
    checkLen(p, src, t.items.length);
    const go = (i: number, s: Scope): void => {
      if (i === t.items.length) return k(s);
      const item = fb.local();
      fb.emit({ op: 'dot', source: local(src), key: local(intLocal(p, i)), target: item });
      unifyOperand(p, t.items[i], local(item), s, (s2) => go(i + 1, s2));
    };
    return go(0, scope);
  }
  if (t.type === 'object') {
    fb.emit({ op: 'is_object', source: local(src) });
    checkLen(p, src, t.entries.length);
    const go = (i: number, s: Scope): void => {
      if (i === t.entries.length) return k(s);
      const [kt, vt] = t.entries[i];
      planTerm(p, kt, s, (keyOp, s1) => {
        const item = fb.local();
        fb.emit({ op: 'dot', source: local(src), key: keyOp, target: item });
        unifyOperand(p, vt, local(item), s1, (s2) => go(i + 1, s2));
      });
    };
    return go(0, scope);
  }
  throw new Error(`cannot unify ${t.type}`);
}

export function unifyLocal(p: Planner, t: Term, l: Local, scope: Scope, k: ScopeK): void {
  unifyOperand(p, t, local(l), scope, k);
}

function intLocal(p: Planner, n: number): Local {
  const l = p.fb.local();
  p.fb.emit({ op: 'make_number_int', value: n, target: l });
  return l;
}

function checkLen(p: Planner, src: Local, n: number): void {
  const len = p.fb.local();
  p.fb.emit({ op: 'len', source: local(src), target: len });
  p.fb.emit({ op: 'equal', a: local(len), b: local(intLocal(p, n)) });
}

/** `a = b`: plan whichever side is evaluable, then unify the other with it. */
export function unifyTerms(p: Planner, a: Term, b: Term, scope: Scope, k: ScopeK): void {
  const pairs = pairUp(a, b);
  if (pairs === null) {
    p.fb.emit({ op: 'equal', a: { kind: 'bool', value: true }, b: { kind: 'bool', value: false } });
    return;
  }
  if (pairs) {
    // Pairwise, each time taking a pair with at least one evaluable side.
    const go = (pending: Array<[Term, Term]>, s: Scope): void => {
      if (!pending.length) return k(s);
      let i = pending.findIndex(([x, y]) => !hasUnboundVars(x, s) || !hasUnboundVars(y, s));
      if (i < 0) i = 0;
      const [x, y] = pending[i];
      const rest = pending.filter((_, j) => j !== i);
      unifyTerms(p, x, y, s, (s2) => go(rest, s2));
    };
    return go(pairs, scope);
  }
  if (hasUnboundVars(a, scope) && !hasUnboundVars(b, scope)) {
    return planTerm(p, b, scope, (op, s) => unifyOperand(p, a, op, s, k));
  }
  if (hasUnboundVars(b, scope)) {
    return planTerm(p, a, scope, (op, s) => unifyOperand(p, b, op, s, k));
  }
  planTerm(p, a, scope, (opA, s1) =>
    planTerm(p, b, s1, (opB, s2) => {
      p.fb.emit({ op: 'equal', a: opA, b: opB });
      k(s2);
    }),
  );
}

