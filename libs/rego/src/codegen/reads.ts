// Which IR locals a function ever reads: scans skip producing keys/values nobody reads (an
// array scan's key is a freshly allocated number).
import type { Block, Operand, Stmt } from '../planner/ir';

export function readLocals(blocks: Block[], extra: number[] = []): Set<number> {
  const reads = new Set<number>(extra);
  const op = (o: Operand) => {
    if (o.kind === 'local') reads.add(o.local);
  };
  const walk = (bs: Block[]) => bs.forEach((b) => b.stmts.forEach(stmt));
  const stmt = (s: Stmt): void => {
    switch (s.op) {
      case 'block':
        return walk(s.blocks);
      case 'call':
        return s.args.forEach(op);
      case 'dot':
        op(s.source);
        return op(s.key);
      case 'equal':
      case 'not_equal':
        op(s.a);
        return op(s.b);
      case 'object_merge':
        op(s.a);
        return op(s.b);
      case 'is_array':
      case 'is_object':
      case 'is_set':
      case 'len':
        return op(s.source);
      case 'is_defined':
      case 'is_undefined':
      case 'return':
        reads.add(s.source);
        return;
      case 'assign':
        return op(s.source);
      case 'assign_once':
        reads.add(s.target);
        return op(s.source);
      case 'array_append':
        reads.add(s.array);
        return op(s.value);
      case 'object_insert':
      case 'object_insert_once':
        reads.add(s.object);
        op(s.key);
        return op(s.value);
      case 'set_add':
        reads.add(s.set);
        return op(s.value);
      case 'scan':
        reads.add(s.source);
        return walk([s.block]);
      case 'not':
        return walk([s.block]);
      case 'with':
        reads.add(s.local);
        op(s.value);
        return walk([s.block]);
      case 'result_add':
        reads.add(s.value);
        return;
      default:
        return;
    }
  };
  walk(blocks);
  return reads;
}
