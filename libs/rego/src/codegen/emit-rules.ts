// One Wasm function per IR Func (with the per-evaluation cache for cacheable rules) and per Plan.
import type { Func, Plan } from '../planner/ir';
import { CodegenError, wasmName, type GenContext } from './context';
import { FuncEmitter } from './emit-func';
import { readCounts } from './reads';
import { foldFacts } from './fold';

/** Both OPA spellings: the Wasm one first, then topdown's (which names the rule). */
function conflictMessage(f: Func): string {
  const ref = ['data', ...f.path].join('.');
  return f.kind === 'function'
    ? `functions must not produce multiple outputs for same inputs: function ${ref} produced conflicting values for the same inputs`
    : `complete rules must not produce multiple outputs: rule ${ref} produced conflicting values`;
}

/** A rule cached across evaluations once the host has precomputed it (see precompute.ts). */
export interface PersistentRule {
  /** The rule's Wasm function (the caching wrapper). */
  func: string;
  state: string;
  value: string;
  /** i64: the fuel computing it burned, charged again by each evaluation that uses it. */
  fuel: string;
}

export function emitFunc(g: GenContext, f: Func, cacheGlobals: string[], persistent?: PersistentRule[]): string[] {
  const { b, mod } = g;
  const i32 = b.i32;
  const P = f.params.length;
  if (P < 2) throw new CodegenError(`${f.name}: functions take input and data as their first parameters`);
  const em = new FuncEmitter(g, { name: f.name, localBase: P, localCount: f.localCount, conflictMessage: conflictMessage(f), reads: readCounts(f.blocks, [f.returnLocal]), fold: foldFacts(f.blocks, f.params) });
  const prologue = f.params.map((l, i) => mod.local.set(em.local(l), mod.local.get(i, i32)));
  const body = [g.fuel.charge(1), ...em.blocks(f.blocks)];
  const ret = mod.return(mod.local.get(em.local(f.returnLocal), i32));
  const params = b.createType(Array(P).fill(i32));
  const vars = Array(em.varCount).fill(i32);
  const name = g.funcName(f.name);
  if (!f.cacheable || P !== 2) {
    mod.addFunction(name, params, i32, vars, mod.block(null, [...prologue, ...body, ret], i32));
    return [name];
  }
  // Cached for one evaluation while called with the evaluation's own input and data.
  const impl = `${name}#impl`;
  mod.addFunction(impl, params, i32, vars, mod.block(null, [...prologue, ...body, ret], i32));
  const state = `cache_state:${wasmName(f.name)}`;
  const value = `cache_value:${wasmName(f.name)}`;
  mod.addGlobal(state, i32, true, mod.i32.const(0));
  mod.addGlobal(value, i32, true, mod.i32.const(0));
  cacheGlobals.push(state);
  const p = (i: number) => mod.local.get(i, i32);
  // Computes the rule, keeps it for the rest of this evaluation and returns it.
  const computeOnce = (): ReturnType<typeof mod.return>[] => [
    mod.global.set(value, mod.call(impl, [p(0), p(1)], i32)),
    mod.global.set(state, mod.i32.const(1)),
    mod.return(mod.global.get(value, i32)),
  ];
  if (persistent) {
    // Depends on data alone: any call with the evaluation's data may use the value precomputed
    // for that data (valid across evaluations), else the one computed earlier in this evaluation.
    // The first use in an evaluation burns the fuel its computation took, so budgets (and a
    // runaway rule's policy_timeout) stay what they were without the cache; only the CPU is saved.
    const pstate = `pcache_state:${wasmName(f.name)}`;
    const pvalue = `pcache_value:${wasmName(f.name)}`;
    const pfuel = `pcache_fuel:${wasmName(f.name)}`;
    mod.addGlobal(pstate, i32, true, mod.i32.const(0));
    mod.addGlobal(pvalue, i32, true, mod.i32.const(0));
    mod.addGlobal(pfuel, b.i64, true, mod.i64.const(BigInt(0)));
    persistent.push({ func: name, state: pstate, value: pvalue, fuel: pfuel });
    const wrapper = mod.block(
      null,
      [
        mod.if(
          mod.i32.eq(p(1), mod.global.get(g.evalDataGlobal, i32)),
          mod.block(null, [
            mod.if(mod.global.get(state, i32), mod.return(mod.global.get(value, i32))),
            mod.if(
              mod.global.get(pstate, i32),
              mod.block(null, [
                g.fuel.chargeI64(mod.global.get(pfuel, b.i64)),
                mod.global.set(value, mod.global.get(pvalue, i32)),
                mod.global.set(state, mod.i32.const(1)),
                mod.return(mod.global.get(value, i32)),
              ]),
            ),
            ...computeOnce(),
          ]),
        ),
        mod.call(impl, [p(0), p(1)], i32),
      ],
      i32,
    );
    mod.addFunction(name, params, i32, [], wrapper);
    return [impl, name];
  }
  const own = mod.i32.and(mod.i32.eq(p(0), mod.global.get(g.evalInputGlobal, i32)), mod.i32.eq(p(1), mod.global.get(g.evalDataGlobal, i32)));
  const wrapper = mod.block(
    null,
    [
      mod.if(
        own,
        mod.block(null, [mod.if(mod.global.get(state, i32), mod.return(mod.global.get(value, i32))), ...computeOnce()]),
      ),
      mod.call(impl, [p(0), p(1)], i32),
    ],
    i32,
  );
  mod.addFunction(name, params, i32, [], wrapper);
  return [impl, name];
}

export function emitPlan(g: GenContext, p: Plan, index: number): string {
  const { b, mod } = g;
  const i32 = b.i32;
  // Params: input, data, result set. IR locals start at 3.
  const em = new FuncEmitter(g, { name: p.name, localBase: 3, localCount: Math.max(p.localCount, 2), resultSet: 2, conflictMessage: 'complete rules must not produce multiple outputs', reads: readCounts(p.blocks), fold: foldFacts(p.blocks, [0, 1]) });
  const body = [mod.local.set(em.local(0), mod.local.get(0, i32)), mod.local.set(em.local(1), mod.local.get(1, i32)), g.fuel.charge(1), ...em.blocks(p.blocks)];
  const name = `p:${index}`;
  mod.addFunction(name, b.createType([i32, i32, i32]), b.none, Array(em.varCount).fill(i32), mod.block(null, body));
  return name;
}
