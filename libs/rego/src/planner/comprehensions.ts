// Comprehensions: make the collection, then a block that runs the body and adds one element
// per solution. The collection is defined (maybe empty) even when the body has no solution.
import type { ArrayComprehension, ObjectComprehension, SetComprehension } from '../syntax/ast';
import { local, Scope, srcLoc } from './builder';
import { planBody } from './body';
import type { Planner } from './planner';
import { planTerm, planTerms, type TermK } from './terms';

export function planComprehension(
  p: Planner,
  t: ArrayComprehension | SetComprehension | ObjectComprehension,
  scope: Scope,
  k: TermK,
): void {
  const fb = p.fb;
  const target = fb.local();
  if (t.type === 'arraycompr') fb.emit({ op: 'make_array', capacity: 0, target });
  else if (t.type === 'setcompr') fb.emit({ op: 'make_set', target });
  else fb.emit({ op: 'make_object', target });
  fb.inBlock(() =>
    planBody(p, t.body, scope, (s) => {
      if (t.type === 'objectcompr') {
        planTerms(p, [t.key, t.value], s, ([key, value]) =>
          fb.emit({ op: 'object_insert_once', object: target, key, value, loc: srcLoc(t.loc) }),
        );
      } else {
        planTerm(p, t.term, s, (v) =>
          fb.emit(t.type === 'arraycompr' ? { op: 'array_append', array: target, value: v } : { op: 'set_add', set: target, value: v }),
        );
      }
    }),
  );
  k(local(target), scope);
}
