// Lowers IR blocks and statements of one Func or Plan to a binaryen function body.
//
// IR locals live in Wasm i32 locals holding value pointers (0 = undefined). Every IR block
// becomes a Wasm `block`; an undefined statement branches out of the innermost one.
import type { Block, Operand, SourceLoc, Stmt } from '../planner/ir';
import type { Expr } from './binaryen';
import { CodegenError, type GenContext, runtimeBuiltinExport } from './context';
import { lookupBuiltin } from '../builtins/catalog';
import { chargesResultSize } from './fuel';
import { fusedTest, type FusedTest } from './fuse';
import { ConstFolder, type FoldFacts } from './fold';
import { INLINE_BYTES_MAX, sameBytesInline } from './const-bytes';

const T_BOOL = 2;
const T_NUMBER = 3;
const T_STRING = 4;
const T_ARRAY = 5;
const T_OBJECT = 6;
const T_SET = 7;

type Frame = { kind: 'block'; label: string } | { kind: 'with'; restore: () => Expr };

export interface FuncShape {
  /** Name for messages. */
  name: string;
  /** Wasm index of IR local 0. */
  localBase: number;
  localCount: number;
  /** Wasm local holding the result set (plans only). */
  resultSet?: number;
  /** Message for assign_once conflicts. */
  conflictMessage: string;
  /** How often the function reads each local (see reads.ts); scans skip writing unread ones. */
  reads: ReadonlyMap<number, number>;
  /** What constant folding of composite literals needs to know (fold.ts). */
  fold: FoldFacts;
}

export class FuncEmitter {
  private frames: Frame[] = [];
  private labelSeq = 0;
  /** Extra i32 locals (scan counters, saved values) after the IR locals. */
  private extra = 0;

  constructor(
    private readonly g: GenContext,
    private readonly shape: FuncShape,
  ) {}

  /** Number of i32 vars the function needs beyond its params (IR locals + temporaries). */
  get varCount(): number {
    return this.shape.localCount + this.extra;
  }

  private get m() {
    return this.g.mod;
  }

  private tmp(): number {
    return this.shape.localBase + this.shape.localCount + this.extra++;
  }

  local(l: number): number {
    if (l < 0 || l >= this.shape.localCount) throw new CodegenError(`${this.shape.name}: local ${l} out of range`);
    return this.shape.localBase + l;
  }

  private get(l: number): Expr {
    return this.m.local.get(this.local(l), this.g.b.i32);
  }

  private set(l: number, e: Expr): Expr {
    return this.m.local.set(this.local(l), e);
  }

  private i32(n: number): Expr {
    return this.m.i32.const(n);
  }

  private call(rtName: string, args: Expr[], result = true): Expr {
    return this.m.call(this.g.rt(rtName), args, result ? this.g.b.i32 : this.g.b.none);
  }

  operand(o: Operand): Expr {
    switch (o.kind) {
      case 'local':
        return this.get(o.local);
      case 'bool':
        return this.i32(this.g.pool.bool(o.value));
      case 'string': {
        const s = this.g.policy.strings[o.index];
        if (s === undefined) throw new CodegenError(`${this.shape.name}: string index ${o.index} out of range`);
        return this.i32(this.g.pool.string(s));
      }
    }
  }

  /** Branch that leaves `index + 1` IR blocks, restoring `with` locals on the way. */
  private breakOut(index: number): Expr {
    const restores: Expr[] = [];
    let seen = -1;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.kind === 'with') {
        restores.push(f.restore());
        continue;
      }
      seen++;
      if (seen === index) {
        const br = this.m.br(f.label);
        return restores.length ? this.m.block(null, [...restores, br]) : br;
      }
    }
    throw new CodegenError(`${this.shape.name}: break ${index} leaves more blocks than enclosing ones`);
  }

  /** Ends the innermost block when cond is true (the statement is undefined). */
  private undefinedIf(cond: Expr): Expr {
    const top = this.frames[this.frames.length - 1];
    if (!top || top.kind !== 'block') throw new CodegenError(`${this.shape.name}: statement outside a block`);
    return this.m.br(top.label, cond);
  }

  private isZero(e: Expr): Expr {
    return this.m.i32.eqz(e);
  }

  /** A Wasm block for an IR block (its label is a break target). */
  block(b: Block, trailer?: () => Expr): Expr {
    const label = `B${this.labelSeq++}`;
    this.frames.push({ kind: 'block', label });
    const body: Expr[] = [];
    const stmts = b.stmts;
    const fast = this.g.fastPaths;
    const folder = fast ? new ConstFolder(this.shape.fold, this.g.pool, this.g.policy.strings) : undefined;
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i];
      const folded = folder?.at(stmts, i);
      if (folded && (s.op === 'make_array' || s.op === 'make_object' || s.op === 'make_set')) {
        body.push(this.set(s.target, this.i32(folded.addr)));
        i += folded.count - 1;
        continue;
      }
      const test = fast ? fusedTest(stmts[i], stmts[i + 1], this.shape.reads) : undefined;
      if (test) {
        body.push(this.fused(test));
        i++;
      } else body.push(this.stmt(stmts[i]));
    }
    if (trailer) body.push(trailer());
    this.frames.pop();
    return this.m.block(label, body.length ? body : [this.m.nop()]);
  }

  blocks(bs: Block[]): Expr[] {
    return bs.map((b) => this.block(b));
  }

  private conflict(loc: SourceLoc | undefined, what: string): Expr {
    const at = loc ? ` (${loc.file}:${loc.line}:${loc.col})` : '';
    const msg = this.g.pool.cstring(`eval_conflict_error: ${what}${at}`);
    return this.call('rt_abort', [this.i32(msg)], false);
  }

  stmt(s: Stmt): Expr {
    const m = this.m;
    switch (s.op) {
      case 'block':
        return m.block(null, s.blocks.length ? this.blocks(s.blocks) : [m.nop()]);
      case 'break':
        return this.breakOut(s.index);
      case 'call':
        return this.callStmt(s);
      case 'dot':
        return m.block(null, [this.dot(s), this.undefinedIf(this.isZero(this.get(s.target)))]);
      case 'equal':
        return this.constEquality(s.a, s.b, false) ?? this.undefinedIf(this.isZero(this.call('rt_equal', [this.operand(s.a), this.operand(s.b)])));
      case 'not_equal':
        return this.constEquality(s.a, s.b, true) ?? this.undefinedIf(this.isZero(this.call('rt_not_equal', [this.operand(s.a), this.operand(s.b)])));
      case 'is_array':
        return this.undefinedIf(m.i32.ne(this.call('rt_tag', [this.operand(s.source)]), this.i32(T_ARRAY)));
      case 'is_object':
        return this.undefinedIf(m.i32.ne(this.call('rt_tag', [this.operand(s.source)]), this.i32(T_OBJECT)));
      case 'is_set':
        return this.undefinedIf(m.i32.ne(this.call('rt_tag', [this.operand(s.source)]), this.i32(T_SET)));
      case 'is_defined':
        return this.undefinedIf(this.isZero(this.get(s.source)));
      case 'is_undefined':
        return this.undefinedIf(this.get(s.source));
      case 'len':
        return m.block(null, [
          this.set(s.target, this.call('rt_len', [this.operand(s.source)])),
          this.undefinedIf(this.isZero(this.get(s.target))),
        ]);
      case 'make_null':
        return this.set(s.target, this.i32(this.g.pool.null()));
      case 'make_bool':
        return this.set(s.target, this.i32(this.g.pool.bool(s.value)));
      case 'make_number': {
        const raw = this.g.policy.strings[s.raw];
        if (raw === undefined) throw new CodegenError(`${this.shape.name}: number string ${s.raw} out of range`);
        return this.set(s.target, this.i32(this.g.pool.number(raw)));
      }
      case 'make_number_int':
        return this.set(s.target, this.i32(this.g.pool.int(s.value)));
      case 'make_string': {
        const str = this.g.policy.strings[s.index];
        if (str === undefined) throw new CodegenError(`${this.shape.name}: string index ${s.index} out of range`);
        return this.set(s.target, this.i32(this.g.pool.string(str)));
      }
      case 'make_array':
        return this.set(s.target, this.call('rt_make_array', [this.i32(Math.max(0, s.capacity | 0))]));
      case 'make_object':
        return this.set(s.target, this.call('rt_make_object', []));
      case 'make_set':
        return this.set(s.target, this.call('rt_make_set', []));
      case 'assign':
        return this.set(s.target, this.operand(s.source));
      case 'assign_once': {
        const t = this.tmp();
        const src = () => m.local.get(t, this.g.b.i32);
        return m.block(null, [
          m.local.set(t, this.operand(s.source)),
          m.if(
            this.isZero(this.get(s.target)),
            this.set(s.target, src()),
            m.if(this.isZero(this.call('rt_equal', [this.get(s.target), src()])), this.conflict(s.loc, this.shape.conflictMessage)),
          ),
        ]);
      }
      case 'reset':
        return this.set(s.target, this.i32(0));
      case 'array_append':
        return this.append(s);
      case 'object_insert':
        return this.call('rt_object_insert', [this.get(s.object), this.operand(s.key), this.operand(s.value)], false);
      case 'object_insert_once':
        return m.if(
          this.isZero(this.call('rt_object_insert_once', [this.get(s.object), this.operand(s.key), this.operand(s.value)])),
          this.conflict(s.loc, 'object keys must be unique'),
        );
      case 'object_merge':
        return m.block(null, [
          this.set(s.target, this.call('rt_object_merge', [this.operand(s.a), this.operand(s.b)])),
          this.undefinedIf(this.isZero(this.get(s.target))),
        ]);
      case 'set_add':
        return this.call('rt_set_add', [this.get(s.set), this.operand(s.value)], false);
      case 'scan':
        return this.scan(s);
      case 'not': {
        // The body completing makes `not` undefined: branch out of the enclosing block.
        const outer = this.frames[this.frames.length - 1];
        if (!outer || outer.kind !== 'block') throw new CodegenError(`${this.shape.name}: not outside a block`);
        return this.block(s.block, () => m.br(outer.label));
      }
      case 'with':
        return this.withStmt(s);
      case 'return':
        if (this.shape.resultSet !== undefined) throw new CodegenError(`${this.shape.name}: return inside a plan`);
        return m.return(this.get(s.source));
      case 'result_add':
        if (this.shape.resultSet === undefined) throw new CodegenError(`${this.shape.name}: result_add outside a plan`);
        return this.call('rt_set_add', [m.local.get(this.shape.resultSet, this.g.b.i32), this.get(s.value)], false);
      case 'nop':
        return m.nop();
      default:
        throw new CodegenError(`${this.shape.name}: unknown statement ${(s as { op: string }).op}`);
    }
  }

  /** A builtin call and the test of its result in one (fuse.ts): ends the block when it fails. */
  private fused(t: FusedTest): Expr {
    const m = this.m;
    switch (t.kind) {
      case 'type': {
        const v = this.tmp();
        return m.block(null, [m.local.set(v, this.operand(t.arg)), this.undefinedIf(this.tagIsNot(v, t.tag))]);
      }
      case 'order': {
        const [a, b] = [this.tmp(), this.tmp()];
        const c = this.call('rt_compare', [this.getTmp(a), this.getTmp(b)]);
        const zero = this.i32(0);
        const holds = t.order === 'lt' ? m.i32.lt_s(c, zero) : t.order === 'lte' ? m.i32.le_s(c, zero) : t.order === 'gt' ? m.i32.gt_s(c, zero) : m.i32.ge_s(c, zero);
        return m.block(null, [
          m.local.set(a, this.operand(t.a)),
          m.local.set(b, this.operand(t.b)),
          this.undefinedIf(m.i32.or(this.isZero(this.getTmp(a)), this.isZero(this.getTmp(b)))),
          this.undefinedIf(this.isZero(holds)),
        ]);
      }
      case 'equal':
        return this.undefinedIf(this.isZero(this.call(t.negate ? 'rt_not_equal' : 'rt_equal', [this.operand(t.a), this.operand(t.b)])));
      case 'member':
        return this.undefinedIf(this.isZero(this.call('rt_member', [this.operand(t.x), this.operand(t.coll)])));
    }
  }

  private getTmp(t: number): Expr {
    return this.m.local.get(t, this.g.b.i32);
  }

  /** True when the value in temporary `v` is undefined or not of type `tag`. */
  private tagIsNot(v: number, tag: number): Expr {
    const m = this.m;
    // Reading the tag of address 0 is harmless (memory starts there); `or` keeps it branch-free.
    return m.i32.or(this.isZero(this.getTmp(v)), m.i32.ne(m.i32.load(0, 4, this.getTmp(v)), this.i32(tag)));
  }

  /**
   * Sets the target of a `dot`. Each access site has a word (`hint`) remembering where its key
   * was found last time: objects reaching a site mostly share a shape (the steps of a history),
   * so one probe usually finds it. For a field name (a constant string key) that probe is
   * inline: the entry at the hinted index is tested against the name's bytes as immediates.
   * Anything else (not an object, another shape, a missing key) calls rt_dot_at, which searches
   * and updates the hint.
   */
  private dot(s: Extract<Stmt, { op: 'dot' }>): Expr {
    const m = this.m;
    const hint = this.g.pool.scratchWord();
    const name = s.key.kind === 'string' ? this.g.policy.strings[s.key.index] : undefined;
    if (!this.g.fastPaths) return this.set(s.target, this.call('rt_dot', [this.operand(s.source), this.operand(s.key)]));
    if (s.key.kind === 'local') return this.index(s, hint);
    const bytes = name === undefined ? undefined : new TextEncoder().encode(name);
    if (!bytes || bytes.length === 0 || bytes.length > INLINE_BYTES_MAX) {
      return this.set(s.target, this.call('rt_dot_at', [this.operand(s.source), this.operand(s.key), this.i32(hint)]));
    }
    const key = this.g.pool.string(name!);
    const [src, at, e] = [this.tmp(), this.tmp(), this.tmp()];
    const load = (offset: number, ptr: Expr) => m.i32.load(offset, 4, ptr);
    const slow = `D${this.labelSeq++}`;
    const done = `D${this.labelSeq++}`;
    return m.block(done, [
      m.block(slow, [
        m.local.set(src, this.operand(s.source)),
        m.br(slow, this.isZero(this.getTmp(src))),
        m.br(slow, m.i32.ne(load(0, this.getTmp(src)), this.i32(T_OBJECT))),
        // The hinted entry (index < length), its key…
        m.local.set(at, load(0, this.i32(hint))),
        m.br(slow, m.i32.ge_u(this.getTmp(at), load(4, this.getTmp(src)))),
        m.local.set(at, m.i32.add(load(12, this.getTmp(src)), m.i32.shl(this.getTmp(at), this.i32(3)))),
        m.local.set(e, load(0, this.getTmp(at))),
        // …is the name itself, or a string of its length and bytes.
        m.if(
          m.i32.ne(this.getTmp(e), this.i32(key)),
          m.block(null, [
            m.br(slow, m.i32.ne(load(0, this.getTmp(e)), this.i32(T_STRING))),
            m.br(slow, m.i32.ne(load(4, this.getTmp(e)), this.i32(bytes.length))),
            m.local.set(e, load(8, this.getTmp(e))),
            m.br(slow, this.isZero(sameBytesInline(m, () => this.getTmp(e), bytes))),
          ]),
        ),
        this.set(s.target, load(4, this.getTmp(at))),
        m.br(done),
      ]),
      this.set(s.target, this.call('rt_dot_at', [this.getTmp(src), this.i32(key), this.i32(hint)])),
    ]);
  }

  /**
   * A `dot` with a computed key: an array indexed by an integer below its length (`xs[i]` in a
   * loop over positions) is read inline; everything else calls rt_dot_at.
   */
  private index(s: Extract<Stmt, { op: 'dot' }>, hint: number): Expr {
    const m = this.m;
    const [src, key] = [this.tmp(), this.tmp()];
    const load = (offset: number, ptr: Expr) => m.i32.load(offset, 4, ptr);
    const slow = `D${this.labelSeq++}`;
    const done = `D${this.labelSeq++}`;
    const idx = () => m.i64.load(8, 8, this.getTmp(key));
    return m.block(done, [
      m.block(slow, [
        m.local.set(src, this.operand(s.source)),
        m.local.set(key, this.operand(s.key)),
        m.br(slow, m.i32.or(this.isZero(this.getTmp(src)), this.isZero(this.getTmp(key)))),
        m.br(slow, m.i32.ne(load(0, this.getTmp(src)), this.i32(T_ARRAY))),
        // An integer number (kind 0) in [0, length).
        m.br(slow, m.i32.ne(load(0, this.getTmp(key)), this.i32(T_NUMBER))),
        m.br(slow, m.i32.ne(load(4, this.getTmp(key)), this.i32(0))),
        m.br(slow, m.i64.ge_u(idx(), m.i64.extend_u(load(4, this.getTmp(src))))),
        this.set(s.target, load(0, m.i32.add(load(12, this.getTmp(src)), m.i32.shl(m.i32.wrap(idx()), this.i32(2))))),
        m.br(done),
      ]),
      this.set(s.target, this.call('rt_dot_at', [this.getTmp(src), this.getTmp(key), this.i32(hint)])),
    ]);
  }

  /** array_append, inline while the array has room (rt_array_append grows it). */
  private append(s: Extract<Stmt, { op: 'array_append' }>): Expr {
    const m = this.m;
    const [a, v, n] = [this.tmp(), this.tmp(), this.tmp()];
    const get = (t: number) => this.getTmp(t);
    if (!this.g.fastPaths) return this.call('rt_array_append', [this.get(s.array), this.operand(s.value)], false);
    return m.block(null, [
      m.local.set(a, this.get(s.array)),
      m.local.set(v, this.operand(s.value)),
      m.local.set(n, m.i32.load(4, 4, get(a))),
      m.if(
        m.i32.lt_u(get(n), m.i32.load(8, 4, get(a))),
        m.block(null, [m.i32.store(0, 4, m.i32.add(m.i32.load(12, 4, get(a)), m.i32.shl(get(n), this.i32(2))), get(v)), m.i32.store(4, 4, get(a), m.i32.add(get(n), this.i32(1)))]),
        this.call('rt_array_append', [get(a), get(v)], false),
      ),
    ]);
  }

  /**
   * `equal` / `not_equal` against a boolean or string constant, inline: both are common (the
   * planner tests every body expression's value against false; rule heads like `f("x", v)`
   * compare arguments with strings). Undefined when neither operand is such a constant.
   */
  private constEquality(a: Operand, b: Operand, negate: boolean): Expr | undefined {
    const [value, c] = a.kind === 'local' && b.kind !== 'local' ? [a, b] : b.kind === 'local' && a.kind !== 'local' ? [b, a] : [undefined, undefined];
    if (!value || !c || !this.g.fastPaths) return undefined;
    const m = this.m;
    const v = this.tmp();
    const get = () => this.getTmp(v);
    let same: Expr;
    if (c.kind === 'bool') {
      // Booleans are 8-byte values (tag, 0 or 1), so the flag word is there to read for any tag.
      const flag = m.i32.load(4, 4, get());
      same = m.i32.and(m.i32.eq(m.i32.load(0, 4, get()), this.i32(T_BOOL)), c.value ? m.i32.ne(flag, this.i32(0)) : this.isZero(flag));
    } else if (c.kind === 'string') {
      const str = this.g.policy.strings[c.index];
      if (str === undefined) throw new CodegenError(`${this.shape.name}: string index ${c.index} out of range`);
      const addr = this.g.pool.string(str);
      const bytes = new TextEncoder().encode(str);
      const n = bytes.length;
      // Tag and length, then (only when those match) the bytes: inline up to a length.
      same = m.if(
        m.i32.and(m.i32.eq(m.i32.load(0, 4, get()), this.i32(T_STRING)), m.i32.eq(m.i32.load(4, 4, get()), this.i32(n))),
        n <= INLINE_BYTES_MAX ? sameBytesInline(m, () => m.i32.load(8, 4, get()), bytes) : this.call('rt_same_bytes', [get(), this.i32(addr)]),
        this.i32(0),
      );
    } else return undefined;
    // An undefined operand makes both statements undefined.
    return m.block(null, [m.local.set(v, this.operand(value)), this.undefinedIf(this.isZero(get())), this.undefinedIf(negate ? same : this.isZero(same))]);
  }

  /**
   * A loop over an array, object or set. The length is read once (as the runtime's iterLen: 0
   * for undefined or a scalar); each value is loaded inline from the entries (stride 8 with the
   * value in the second word for objects, else 4), keys through the runtime (an array's key is
   * a number value).
   */
  private scan(s: Extract<Stmt, { op: 'scan' }>): Expr {
    const m = this.m;
    const [src, n, i, shift, off] = [this.tmp(), this.tmp(), this.tmp(), this.tmp(), this.tmp()];
    const get = (t: number) => this.getTmp(t);
    const exit = `S${this.labelSeq++}`;
    const loop = `L${this.labelSeq++}`;
    const body = this.block(s.block);
    const readsValue = this.shape.reads.has(s.value);
    const tagOf = () => m.i32.load(0, 4, get(src));
    const fast = this.g.fastPaths;
    const setup: Expr[] = [
      m.local.set(src, this.get(s.source)),
      fast ? m.local.set(n, this.i32(0)) : m.local.set(n, this.call('rt_iter_len', [get(src)])),
    ];
    if (fast) setup.push(m.if(m.i32.and(m.i32.ne(get(src), this.i32(0)), m.i32.ge_u(tagOf(), this.i32(T_ARRAY))), m.local.set(n, m.i32.load(4, 4, get(src)))));
    if (readsValue && fast) {
      const obj = () => m.i32.eq(tagOf(), this.i32(T_OBJECT));
      setup.push(
        m.if(m.i32.ne(get(n), this.i32(0)), m.block(null, [m.local.set(shift, m.select(obj(), this.i32(3), this.i32(2))), m.local.set(off, m.select(obj(), this.i32(4), this.i32(0)))])),
      );
    }
    // Entry i's value: items + (i << shift) + off (items re-read: the body may not move it, but
    // a load is cheap insurance).
    const value = () => m.i32.load(0, 4, m.i32.add(m.i32.add(m.i32.load(12, 4, get(src)), m.i32.shl(get(i), get(shift))), get(off)));
    return m.block(null, [
      ...setup,
      m.local.set(i, this.i32(0)),
      m.block(exit, [
        m.loop(
          loop,
          m.block(null, [
            m.br(exit, m.i32.ge_u(get(i), get(n))),
            this.g.fuel.charge(1),
            this.shape.reads.has(s.key) ? this.set(s.key, this.call('rt_iter_key', [get(src), get(i)])) : m.nop(),
            readsValue ? this.set(s.value, fast ? value() : this.call('rt_iter_val', [get(src), get(i)])) : m.nop(),
            body,
            m.local.set(i, m.i32.add(get(i), this.i32(1))),
            m.br(loop),
          ]),
        ),
      ]),
    ]);
  }

  private withStmt(s: Extract<Stmt, { op: 'with' }>): Expr {
    const m = this.m;
    const saved = this.tmp();
    const path = s.path.map((idx) => {
      const str = this.g.policy.strings[idx];
      if (str === undefined) throw new CodegenError(`${this.shape.name}: with path string ${idx} out of range`);
      return this.g.pool.string(str);
    });
    const restore = () => this.set(s.local, m.local.get(saved, this.g.b.i32));
    const setup = [
      m.local.set(saved, this.get(s.local)),
      this.set(s.local, this.call('rt_upsert', [this.get(s.local), this.i32(this.g.pool.array(path)), this.operand(s.value)])),
    ];
    this.frames.push({ kind: 'with', restore });
    const body = this.block(s.block);
    this.frames.pop();
    return m.block(null, [...setup, body, restore()]);
  }

  private callStmt(s: Extract<Stmt, { op: 'call' }>): Expr {
    const m = this.m;
    const args = s.args.map((a) => this.operand(a));
    let callExpr: Expr;
    const guards: Expr[] = [];
    let sized = false;
    if (!s.builtin) {
      const arity = this.g.funcArity(s.func);
      if (arity === undefined) throw new CodegenError(`${this.shape.name}: call to unknown function ${s.func}`);
      if (arity !== args.length) throw new CodegenError(`${this.shape.name}: ${s.func} takes ${arity} arguments, got ${args.length}`);
      callExpr = m.call(this.g.funcName(s.func), args, this.g.b.i32);
    } else {
      const decl = lookupBuiltin(s.func);
      const exportName = runtimeBuiltinExport(s.func);
      const rtArity = this.g.rtArity(exportName);
      if (rtArity !== undefined && rtArity === args.length && (!decl || decl.impl === 'runtime')) {
        callExpr = m.call(this.g.rt(exportName), args, this.g.b.i32);
        sized = chargesResultSize(s.func, false);
      } else {
        if (args.length > 4) throw new CodegenError(`${this.shape.name}: builtin ${s.func} has more than 4 arguments`);
        const host = this.g.host(s.func, args.length);
        // Host builtins receive JSON: an undefined argument makes the call undefined.
        for (const a of s.args) if (a.kind === 'local') guards.push(this.undefinedIf(this.isZero(this.get(a.local))));
        callExpr = m.call(`opa_builtin${args.length}`, [this.i32(host.id), this.i32(0), ...args], this.g.b.i32);
        if (host.resultIsSet) callExpr = this.call('rt_array_to_set', [callExpr]);
        sized = chargesResultSize(s.func, true);
      }
    }
    const charge = sized ? [this.g.fuel.chargeDynamic(this.call('rt_iter_len', [this.get(s.result)]))] : [];
    return m.block(null, [...guards, this.set(s.result, callExpr), this.undefinedIf(this.isZero(this.get(s.result))), ...charge]);
  }
}
