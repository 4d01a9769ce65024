// Lowers IR blocks and statements of one Func or Plan to a binaryen function body.
//
// IR locals live in Wasm i32 locals holding value pointers (0 = undefined). Every IR block
// becomes a Wasm `block`; an undefined statement branches out of the innermost one.
import type { Block, Operand, SourceLoc, Stmt } from '../planner/ir';
import type { Expr } from './binaryen';
import { CodegenError, type GenContext, runtimeBuiltinExport } from './context';
import { lookupBuiltin } from '../builtins/catalog';
import { chargesResultSize } from './fuel';

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
  /** Locals the function reads (see reads.ts); scans skip writing others. */
  reads: Set<number>;
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
    const body = b.stmts.map((s) => this.stmt(s));
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
        return m.block(null, [
          this.set(s.target, this.call('rt_dot', [this.operand(s.source), this.operand(s.key)])),
          this.undefinedIf(this.isZero(this.get(s.target))),
        ]);
      case 'equal':
        return this.undefinedIf(this.isZero(this.call('rt_equal', [this.operand(s.a), this.operand(s.b)])));
      case 'not_equal':
        return this.undefinedIf(this.isZero(this.call('rt_not_equal', [this.operand(s.a), this.operand(s.b)])));
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
        return this.call('rt_array_append', [this.get(s.array), this.operand(s.value)], false);
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

  private scan(s: Extract<Stmt, { op: 'scan' }>): Expr {
    const m = this.m;
    const i32 = this.g.b.i32;
    const src = this.tmp();
    const n = this.tmp();
    const i = this.tmp();
    const exit = `S${this.labelSeq++}`;
    const loop = `L${this.labelSeq++}`;
    const body = this.block(s.block);
    return m.block(null, [
      m.local.set(src, this.get(s.source)),
      m.local.set(n, this.call('rt_iter_len', [m.local.get(src, i32)])),
      m.local.set(i, this.i32(0)),
      m.block(exit, [
        m.loop(
          loop,
          m.block(null, [
            m.br(exit, m.i32.ge_u(m.local.get(i, i32), m.local.get(n, i32))),
            this.g.fuel.charge(1),
            this.shape.reads.has(s.key) ? this.set(s.key, this.call('rt_iter_key', [m.local.get(src, i32), m.local.get(i, i32)])) : m.nop(),
            this.shape.reads.has(s.value) ? this.set(s.value, this.call('rt_iter_val', [m.local.get(src, i32), m.local.get(i, i32)])) : m.nop(),
            body,
            m.local.set(i, m.i32.add(m.local.get(i, i32), this.i32(1))),
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
