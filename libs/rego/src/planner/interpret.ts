// An interpreter for the planner's IR over plain JS values: the planner's test oracle (the
// Wasm code generator is the production back end). Follows the semantics documented in ir.ts.
import { builtinImpls, EvalError, type BuiltinImpl } from './interp-builtins';
import { equal, RObject, RSet, type Value } from './interp-values';
import type { Block, Func, Operand, Policy, Stmt } from './ir';

export { EvalError } from './interp-builtins';

type Frame = Array<Value | undefined>;
const UNDEFINED_INPUT = Symbol('undefined input');
/** null: the block completed; n ≥ 0: leave n more enclosing blocks. */
type Exit = number | null;

export class Interpreter {
  private readonly funcs = new Map<string, Func>();
  readonly printed: string[] = [];
  private depth = 0;

  constructor(
    private readonly policy: Policy,
    private readonly builtins: Record<string, BuiltinImpl> = builtinImpls,
  ) {
    for (const f of policy.funcs) this.funcs.set(f.name, f);
  }

  /** Runs the plan; returns the values added with result_add. */
  run(plan: string, input: Value | undefined, data: Value): Value[] {
    const p = this.policy.plans.find((x) => x.name === plan);
    if (!p) throw new Error(`no plan ${plan}`);
    const frame: Frame = new Array(p.localCount);
    frame[0] = input;
    frame[1] = data;
    const results: Value[] = [];
    for (const b of p.blocks) this.block(b, frame, results);
    return results;
  }

  private call(name: string, args: Value[]): Value | undefined {
    const f = this.funcs.get(name);
    if (!f) throw new Error(`no func ${name}`);
    if (++this.depth > 200) throw new EvalError('eval_recursion_error', `too deep: ${name}`);
    try {
      const frame: Frame = new Array(f.localCount);
      args.forEach((a, i) => (frame[f.params[i]] = a));
      for (const b of f.blocks) this.block(b, frame, []);
      return frame[f.returnLocal];
    } finally {
      this.depth--;
    }
  }

  private block(b: Block, frame: Frame, results: Value[]): Exit {
    for (const s of b.stmts) {
      const r = this.stmt(s, frame, results);
      if (r === false) return 0;
      if (typeof r === 'number') return r;
    }
    return null;
  }

  private op(o: Operand, frame: Frame): Value | undefined {
    if (o.kind === 'local') return frame[o.local];
    if (o.kind === 'bool') return o.value;
    return this.policy.strings[o.index];
  }

  /** true: continue; false: undefined (leave this block); number: leave n+1 blocks. */
  private stmt(s: Stmt, f: Frame, results: Value[]): boolean | number {
    const def = (o: Operand) => {
      const v = this.op(o, f);
      if (v === undefined) {
        // input (local 0) may legitimately be undefined: the statement is undefined
        if (o.kind === 'local' && o.local === 0) throw UNDEFINED_INPUT;
        throw new Error(`read of undefined local ${o.kind === 'local' ? o.local : '?'} in ${s.op}`);
      }
      return v;
    };
    try {
      return this.exec(s, f, results, def);
    } catch (e) {
      if (e === UNDEFINED_INPUT) return false;
      throw e;
    }
  }

  private exec(s: Stmt, f: Frame, results: Value[], def: (o: Operand) => Value): boolean | number {
    const nested = (r: Exit): boolean | number => (r !== null && r > 0 ? r - 1 : true);
    switch (s.op) {
      case 'block':
        for (const b of s.blocks) {
          const r = this.block(b, f, results);
          if (r !== null && r > 0) return r - 1;
        }
        return true;
      case 'break':
        return s.index;
      case 'call': {
        // input (local 0) may be undefined; it is passed through as such
        const args = s.args.map((a) => this.op(a, f)) as Value[];
        let v: Value | undefined;
        if (s.builtin) {
          const impl = this.builtins[s.func];
          if (!impl) throw new EvalError('eval_builtin_error', `unsupported builtin ${s.func}`);
          try {
            v = impl(args, this);
          } catch (e) {
            // non-strict builtin errors: the call is undefined
            if (e instanceof EvalError && e.code === 'eval_builtin_error' && !e.message.startsWith('unsupported')) v = undefined;
            else throw e;
          }
        } else v = this.call(s.func, args);
        if (v === undefined) return false;
        f[s.result] = v;
        return true;
      }
      case 'dot': {
        const v = dot(def(s.source), def(s.key));
        if (v === undefined) return false;
        f[s.target] = v;
        return true;
      }
      case 'equal':
        return equal(def(s.a), def(s.b));
      case 'not_equal':
        return !equal(def(s.a), def(s.b));
      case 'is_array':
        return Array.isArray(def(s.source));
      case 'is_object':
        return def(s.source) instanceof RObject;
      case 'is_set':
        return def(s.source) instanceof RSet;
      case 'is_defined':
        return f[s.source] !== undefined;
      case 'is_undefined':
        return f[s.source] === undefined;
      case 'len': {
        const v = def(s.source);
        const n = Array.isArray(v) ? v.length : v instanceof RObject || v instanceof RSet ? v.size : typeof v === 'string' ? [...v].length : undefined;
        if (n === undefined) return false;
        f[s.target] = n;
        return true;
      }
      case 'make_null':
        f[s.target] = null;
        return true;
      case 'make_bool':
        f[s.target] = s.value;
        return true;
      case 'make_number':
        f[s.target] = Number(this.policy.strings[s.raw]);
        return true;
      case 'make_number_int':
        f[s.target] = s.value;
        return true;
      case 'make_string':
        f[s.target] = this.policy.strings[s.index];
        return true;
      case 'make_array':
        f[s.target] = [];
        return true;
      case 'make_object':
        f[s.target] = new RObject();
        return true;
      case 'make_set':
        f[s.target] = new RSet();
        return true;
      case 'assign':
        // copies undefined-ness too (saving an undefined input before a `with`)
        f[s.target] = this.op(s.source, f);
        return true;
      case 'assign_once': {
        const v = def(s.source);
        const cur = f[s.target];
        if (cur !== undefined && !equal(cur, v)) throw new EvalError('eval_conflict_error', 'complete rules must not produce multiple outputs');
        f[s.target] = v;
        return true;
      }
      case 'reset':
        f[s.target] = undefined;
        return true;
      case 'array_append':
        (f[s.array] as Value[]).push(def(s.value));
        return true;
      case 'object_insert':
        (f[s.object] as RObject).set(def(s.key), def(s.value));
        return true;
      case 'object_insert_once': {
        const o = f[s.object];
        if (!(o instanceof RObject)) throw new EvalError('eval_conflict_error', 'object insert into a non-object');
        const k = def(s.key);
        const v = def(s.value);
        const cur = o.get(k);
        if (cur !== undefined && !equal(cur, v)) throw new EvalError('eval_conflict_error', 'object keys must be unique');
        o.set(k, v);
        return true;
      }
      case 'object_merge': {
        const v = merge(def(s.a), def(s.b));
        if (v === undefined) return false;
        f[s.target] = v;
        return true;
      }
      case 'set_add':
        (f[s.set] as RSet).add(def(s.value));
        return true;
      case 'scan': {
        const src = f[s.source];
        const pairs: Array<[Value, Value]> = Array.isArray(src)
          ? src.map((v, i) => [i, v])
          : src instanceof RObject
            ? src.entries()
            : src instanceof RSet
              ? src.values().map((v) => [v, v])
              : [];
        for (const [k, v] of pairs) {
          f[s.key] = k;
          f[s.value] = v;
          const r = this.block(s.block, f, results);
          if (r !== null && r > 0) return r - 1;
        }
        return true;
      }
      case 'not': {
        const r = this.block(s.block, f, results);
        if (r === null) return false;
        return nested(r);
      }
      case 'with': {
        const saved = f[s.local];
        const v = this.op(s.value, f);
        f[s.local] = s.path.length === 0 ? v : upsert(saved, s.path.map((i) => this.policy.strings[i]), def(s.value));
        try {
          return nested(this.block(s.block, f, results));
        } finally {
          f[s.local] = saved;
        }
      }
      case 'return':
        return true;
      case 'result_add':
        results.push(def({ kind: 'local', local: s.value }));
        return true;
      case 'nop':
        return true;
    }
  }
}

export function dot(src: Value, key: Value): Value | undefined {
  if (Array.isArray(src)) return typeof key === 'number' && Number.isInteger(key) ? src[key] : undefined;
  if (src instanceof RObject) return src.get(key);
  if (src instanceof RSet) return src.has(key) ? key : undefined;
  return undefined;
}

function upsert(base: Value | undefined, path: string[], v: Value): Value {
  if (!path.length) return v;
  const o = new RObject();
  if (base instanceof RObject) for (const [k, x] of base.entries()) o.set(k, x);
  o.set(path[0], upsert(o.get(path[0]), path.slice(1), v));
  return o;
}

function merge(a: Value, b: Value): Value | undefined {
  if (!(a instanceof RObject) || !(b instanceof RObject)) return undefined;
  const o = new RObject();
  for (const [k, v] of a.entries()) o.set(k, v);
  for (const [k, v] of b.entries()) {
    const cur = o.get(k);
    if (cur === undefined) o.set(k, v);
    else {
      const m = merge(cur, v);
      if (m === undefined) return undefined;
      o.set(k, m);
    }
  }
  return o;
}
