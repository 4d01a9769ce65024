// Walking IR statements for the locals they read. readCounts: how often a function reads each
// local (scans skip producing keys/values nobody reads: an array scan's key is a freshly
// allocated number; fuse.ts fuses a test with the call it tests when that is the only read).
// precompute.ts uses the same walk to find rules that never read input.
import type { Block, Operand, Stmt } from '../planner/ir';

/** Calls `visit` for every statement of `blocks`, nested ones (block, scan, not, with bodies) included. */
export function forEachStmt(blocks: Block[], visit: (s: Stmt) => void): void {
  for (const b of blocks) {
    for (const s of b.stmts) {
      visit(s);
      if (s.op === 'block') forEachStmt(s.blocks, visit);
      else if (s.op === 'scan' || s.op === 'not' || s.op === 'with') forEachStmt([s.block], visit);
    }
  }
}

/**
 * The locals statement `s` itself reads (not those of its nested blocks); for a call, `arg` is
 * the argument's position. Values being built in place (array_append's array, …) count as read.
 */
export function stmtReads(s: Stmt, read: (local: number, arg?: number) => void): void {
  const op = (o: Operand, arg?: number) => {
    if (o.kind === 'local') read(o.local, arg);
  };
  switch (s.op) {
    case 'call':
      return s.args.forEach(op);
    case 'dot':
      op(s.source);
      return op(s.key);
    case 'equal':
    case 'not_equal':
    case 'object_merge':
      op(s.a);
      return op(s.b);
    case 'is_array':
    case 'is_object':
    case 'is_set':
    case 'len':
    case 'assign':
      return op(s.source);
    case 'is_defined':
    case 'is_undefined':
    case 'return':
    case 'scan':
      return read(s.source);
    case 'assign_once':
      read(s.target);
      return op(s.source);
    case 'array_append':
      read(s.array);
      return op(s.value);
    case 'object_insert':
    case 'object_insert_once':
      read(s.object);
      op(s.key);
      return op(s.value);
    case 'set_add':
      read(s.set);
      return op(s.value);
    case 'with':
      read(s.local);
      return op(s.value);
    case 'result_add':
      return read(s.value);
    case 'block':
    case 'not':
    case 'break':
    case 'make_null':
    case 'make_bool':
    case 'make_number':
    case 'make_number_int':
    case 'make_string':
    case 'make_array':
    case 'make_object':
    case 'make_set':
    case 'reset':
    case 'nop':
      return;
    default: {
      const unknown: never = s;
      void unknown;
    }
  }
}

/** Local → number of statements reading it (a local absent is never read); `extra` count once more. */
export function readCounts(blocks: Block[], extra: number[] = []): Map<number, number> {
  const reads = new Map<number, number>();
  const add = (l: number) => {
    reads.set(l, (reads.get(l) ?? 0) + 1);
  };
  extra.forEach(add);
  forEachStmt(blocks, (s) => stmtReads(s, add));
  return reads;
}
