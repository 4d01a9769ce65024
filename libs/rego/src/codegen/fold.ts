// Composite literals with constant contents, built once at compile time. The planner lowers a
// literal such as `{"allow", "ask"}` (Rego's `x in {...}` idiom) or `{"code": "x", "effect":
// "deny"}` to a make_set / make_object followed by one add per element, and that code runs, with
// its allocations and sorted inserts, every time the body does (once per history step when the
// literal sits in a function called per step). When the contents are constants and nothing else
// ever changes the value, it is laid out in the constant segment instead, like a string.
//
// "Nothing else changes it": IR values are immutable once built, except that the function
// building one appends/inserts into it (ir.ts). The value is folded only when those adds are the
// statements right after its make_*, its local has no other definition, and no other statement
// of the function adds to it. A function that adds to a value reached some other way (a `dot`
// into an object under construction, a copy) is left alone entirely: such a value might be a
// folded one. Values returned to callers are never added to (precomputed and cached rule values
// are shared the same way).
import type { Block, Operand, Stmt } from '../planner/ir';
import type { ConstPool } from './pool';
import { forEachStmt } from './reads';

/** A constant value: a pool address plus what ordering and equality need of it. */
export type Const =
  | { kind: 'null'; addr: number }
  | { kind: 'bool'; addr: number; value: boolean }
  | { kind: 'int'; addr: number; value: bigint }
  | { kind: 'string'; addr: number; value: string }
  | { kind: 'composite'; addr: number };

/** Per-function facts the folding decision needs (see the header). */
export interface FoldFacts {
  /** Local → number of statements defining it. */
  defs: Map<number, number>;
  /** Local → number of statements adding to the value it holds. */
  adds: Map<number, number>;
  /** Some statement adds to a value held in a local not made by make_* (folding is off). */
  indirect: boolean;
}

const MAKES = new Set(['make_array', 'make_object', 'make_set']);

/** The local a statement adds to (array_append, object_insert(_once), set_add). */
function addTarget(s: Stmt): number | undefined {
  switch (s.op) {
    case 'array_append':
      return s.array;
    case 'object_insert':
    case 'object_insert_once':
      return s.object;
    case 'set_add':
      return s.set;
    default:
      return undefined;
  }
}

/** Calls `write` for each local statement `s` itself defines. */
export function stmtWrites(s: Stmt, write: (local: number) => void): void {
  switch (s.op) {
    case 'call':
      return write(s.result);
    case 'dot':
    case 'len':
    case 'make_null':
    case 'make_bool':
    case 'make_number':
    case 'make_number_int':
    case 'make_string':
    case 'make_array':
    case 'make_object':
    case 'make_set':
    case 'assign':
    case 'assign_once':
    case 'reset':
    case 'object_merge':
      return write(s.target);
    case 'scan':
      write(s.key);
      return write(s.value);
    case 'with':
      return write(s.local);
    default:
      return;
  }
}

export function foldFacts(blocks: Block[], params: number[]): FoldFacts {
  const defs = new Map<number, number>();
  const adds = new Map<number, number>();
  const madeOnly = new Map<number, boolean>();
  const count = (m: Map<number, number>, l: number) => m.set(l, (m.get(l) ?? 0) + 1);
  for (const p of params) {
    count(defs, p);
    madeOnly.set(p, false);
  }
  forEachStmt(blocks, (s) => {
    stmtWrites(s, (l) => {
      count(defs, l);
      if (!MAKES.has(s.op)) madeOnly.set(l, false);
      else if (!madeOnly.has(l)) madeOnly.set(l, true);
    });
    const t = addTarget(s);
    if (t !== undefined) count(adds, t);
  });
  let indirect = false;
  for (const l of adds.keys()) if (madeOnly.get(l) !== true) indirect = true;
  return { defs, adds, indirect };
}

/** UTF-8 byte order, as the runtime orders strings. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const RANK = { null: 0, bool: 1, int: 2, string: 3 } as const;

/** OPA's order for the scalar constants sets are folded with (others are not). */
function compareScalar(a: Const, b: Const): number {
  if (a.kind === 'composite' || b.kind === 'composite') throw new Error('composite set element');
  if (a.kind !== b.kind) return RANK[a.kind] - RANK[b.kind];
  switch (a.kind) {
    case 'null':
      return 0;
    case 'bool':
      return Number(a.value) - Number((b as typeof a).value);
    case 'int': {
      const y = (b as typeof a).value;
      return a.value < y ? -1 : a.value > y ? 1 : 0;
    }
    case 'string':
      return compareUtf8(a.value, (b as typeof a).value);
  }
}

export interface Folded {
  /** The composite's constant address. */
  addr: number;
  /** Statements it replaces: the make_* and its adds. */
  count: number;
}

/**
 * Walks one statement list in order: `known` collects the constant locals defined so far in it
 * (scalars from make_string & co., composites folded earlier), so nested literals fold too. Returns
 * the folds by the index of their make_* statement.
 */
export class ConstFolder {
  private readonly known = new Map<number, Const>();

  constructor(
    private readonly facts: FoldFacts,
    private readonly pool: ConstPool,
    private readonly strings: string[],
  ) {}

  /** Records scalar constants; returns the fold starting at `list[i]`, if there is one. */
  at(list: Stmt[], i: number): Folded | undefined {
    const s = list[i];
    if (this.facts.indirect) return undefined;
    this.noteScalar(s);
    if (s.op !== 'make_array' && s.op !== 'make_object' && s.op !== 'make_set') return undefined;
    const t = s.target;
    if (this.facts.defs.get(t) !== 1) return undefined;
    const run: Stmt[] = [];
    for (let j = i + 1; j < list.length && addTarget(list[j]) === t; j++) run.push(list[j]);
    if ((this.facts.adds.get(t) ?? 0) !== run.length) return undefined;
    const addr = this.build(s.op, run);
    if (addr === undefined) return undefined;
    this.known.set(t, { kind: 'composite', addr });
    return { addr, count: run.length + 1 };
  }

  private noteScalar(s: Stmt): void {
    const single = (l: number) => this.facts.defs.get(l) === 1;
    switch (s.op) {
      case 'make_null':
        if (single(s.target)) this.known.set(s.target, { kind: 'null', addr: this.pool.null() });
        return;
      case 'make_bool':
        if (single(s.target)) this.known.set(s.target, { kind: 'bool', addr: this.pool.bool(s.value), value: s.value });
        return;
      case 'make_string': {
        const v = this.strings[s.index];
        if (v !== undefined && single(s.target)) this.known.set(s.target, { kind: 'string', addr: this.pool.string(v), value: v });
        return;
      }
      case 'make_number_int':
        if (single(s.target) && Number.isSafeInteger(s.value)) this.known.set(s.target, { kind: 'int', addr: this.pool.int(s.value), value: BigInt(s.value) });
        return;
      case 'make_number': {
        const raw = this.strings[s.raw];
        // Plain integers in i64 only: the pool lays out other numbers differently.
        if (raw !== undefined && single(s.target) && /^-?\d+$/.test(raw) && BigInt(raw) >= -(2n ** 63n) && BigInt(raw) < 2n ** 63n) {
          this.known.set(s.target, { kind: 'int', addr: this.pool.number(raw), value: BigInt(raw) });
        }
        return;
      }
      default:
        return;
    }
  }

  private operand(o: Operand): Const | undefined {
    switch (o.kind) {
      case 'bool':
        return { kind: 'bool', addr: this.pool.bool(o.value), value: o.value };
      case 'string': {
        const v = this.strings[o.index];
        return v === undefined ? undefined : { kind: 'string', addr: this.pool.string(v), value: v };
      }
      case 'local':
        return this.known.get(o.local);
    }
  }

  private build(op: 'make_array' | 'make_object' | 'make_set', run: Stmt[]): number | undefined {
    if (op === 'make_array') {
      const elems: number[] = [];
      for (const s of run) {
        const v = s.op === 'array_append' ? this.operand(s.value) : undefined;
        if (!v) return undefined;
        elems.push(v.addr);
      }
      return this.pool.array(elems);
    }
    if (op === 'make_set') {
      const elems: Const[] = [];
      for (const s of run) {
        const v = s.op === 'set_add' ? this.operand(s.value) : undefined;
        if (!v || v.kind === 'composite') return undefined;
        elems.push(v);
      }
      elems.sort(compareScalar);
      const unique = elems.filter((e, k) => k === 0 || compareScalar(elems[k - 1], e) !== 0);
      return this.pool.set(unique.map((e) => e.addr));
    }
    // Objects: string keys; a repeated key keeps the last value (object_insert replaces).
    // object_insert_once is left alone (a repeated key with another value is a conflict error).
    const entries = new Map<string, number>();
    for (const s of run) {
      if (s.op !== 'object_insert') return undefined;
      const k = this.operand(s.key);
      const v = this.operand(s.value);
      if (!k || k.kind !== 'string' || !v) return undefined;
      entries.set(k.value, v.addr);
    }
    const keys = [...entries.keys()].sort(compareUtf8);
    return this.pool.object(keys.map((k) => [this.pool.string(k), entries.get(k)!]));
  }
}
