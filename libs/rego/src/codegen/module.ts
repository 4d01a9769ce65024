// Builds the policy module: the runtime plus one function per IR Func and Plan, the ABI entry
// points (opa_eval, eval, entrypoints, builtins) and the constant data segment.
import type { Func, Policy } from '../planner/ir';
import { lookupBuiltin } from '../builtins/catalog';
import type { Binaryen, Expr } from './binaryen';
import { CodegenError, wasmName, type GenContext, type HostBuiltin } from './context';
import { emitFunc, emitPlan, type PersistentRule } from './emit-rules';
import { dataOnlyRules, PRECOMPUTE_BEGIN, PRECOMPUTE_DROP, PRECOMPUTE_RUN } from './precompute';
import { installFuel, noFuel } from './fuel';
import { ConstPool, align8 } from './pool';
import { runtimeWasm } from './runtime-wasm';

/** Exports of the runtime that belong to the ABI; the code generator hides the others. */
const ABI_EXPORTS = new Set([
  'opa_wasm_abi_version',
  'opa_wasm_abi_minor_version',
  'opa_malloc',
  'opa_free',
  'opa_json_parse',
  'opa_json_dump',
  'opa_value_dump',
  'opa_value_parse',
  'opa_heap_ptr_get',
  'opa_heap_ptr_set',
  'opa_value_add_path',
  'opa_value_remove_path',
  'opa_eval_ctx_new',
  'opa_eval_ctx_set_input',
  'opa_eval_ctx_set_data',
  'opa_eval_ctx_set_entrypoint',
  'opa_eval_ctx_get_result',
  // Arbiter's extension (ignored by opa-wasm): strict builtin errors for runtime builtins.
  'arbiter_set_strict_builtin_errors',
]);

/** Cheap passes that remove most of the naive lowering's overhead (copies, nested blocks). */
const LIGHT_PASSES = ['merge-blocks', 'remove-unused-brs', 'remove-unused-names', 'simplify-locals', 'vacuum', 'coalesce-locals', 'reorder-locals'];

/** opa-wasm's own JS builtins take precedence over custom ones with these names. */
const SHADOWED = new Set(['sprintf', 'json.is_valid', 'regex.split', 'yaml.is_valid', 'yaml.marshal', 'yaml.unmarshal']);

/** The name a host builtin is registered under in builtins(). */
export function hostAbiName(name: string): string {
  return SHADOWED.has(name) ? `arbiter.${name}` : name;
}

export interface GenerateOptions {
  /**
   * Optimization of the generated functions: 'light' (default) runs a few cheap local passes,
   * 'full' binaryen's -O2 function pipeline, false none.
   */
  optimize?: boolean | 'light' | 'full';
  /** Validate the module (default false; tests turn it on). */
  validate?: boolean;
  /**
   * Fuel metering (default true): see fuel.ts. Off only to measure its cost; an unmetered module
   * cannot be stopped by the host.
   */
  fuel?: boolean;
  /**
   * Rules that depend on data alone are cached across evaluations once the host precomputes them
   * (default true; see precompute.ts). Off to compare against.
   */
  precompute?: boolean;
  /**
   * Inline fast paths (default true): builtin tests fused with their use (fuse.ts), comparisons
   * with constants and field accesses inline (const-bytes.ts), constant literals laid out at
   * compile time (fold.ts), loops reading entries inline. Off to compare against: the module
   * then calls the runtime for each of these, as it did before them.
   */
  fastPaths?: boolean;
}

export function generateWasm(b: Binaryen, policy: Policy, opts: GenerateOptions = {}): Uint8Array {
  const rt = runtimeWasm();
  const mod = b.readBinary(rt.bytes);
  try {
    mod.setFeatures(
      b.Features.MVP | b.Features.BulkMemory | b.Features.BulkMemoryOpt | b.Features.MutableGlobals | b.Features.SignExt | b.Features.NontrappingFPToInt,
    );
    return build(b, mod, rt, policy, opts);
  } finally {
    mod.dispose();
  }
}

function build(
  b: Binaryen,
  mod: InstanceType<Binaryen['Module']>,
  rt: ReturnType<typeof runtimeWasm>,
  policy: Policy,
  opts: GenerateOptions,
): Uint8Array {
  const i32 = b.i32;
  const exportTarget = (name: string): string | undefined => {
    const ref = mod.getExport(name);
    return ref ? b.getExportInfo(ref).value : undefined;
  };
  const runtimeFuncs = new Map<string, string>();
  for (let i = 0; i < mod.getNumExports(); i++) {
    const info = b.getExportInfo(mod.getExportByIndex(i));
    if (info.kind === b.ExternalFunction) runtimeFuncs.set(info.name, info.value);
  }
  const heapGlobal = exportTarget('arbiter_heap_ptr');
  if (!heapGlobal) throw new CodegenError('runtime lacks the arbiter_heap_ptr export');

  const pool = new ConstPool(align8(rt.heapBase));
  const funcsByName = new Map<string, Func>();
  for (const f of policy.funcs) {
    if (funcsByName.has(f.name)) throw new CodegenError(`duplicate function ${f.name}`);
    funcsByName.set(f.name, f);
  }
  const hosts = new Map<string, HostBuiltin>();
  const evalInputGlobal = 'arbiter_eval_input';
  const evalDataGlobal = 'arbiter_eval_data';
  mod.addGlobal(evalInputGlobal, i32, true, mod.i32.const(0));
  mod.addGlobal(evalDataGlobal, i32, true, mod.i32.const(0));

  const g: GenContext = {
    b,
    mod,
    pool,
    policy,
    rt(name) {
      const internal = runtimeFuncs.get(name);
      if (!internal) throw new CodegenError(`runtime lacks ${name}`);
      return internal;
    },
    rtArity(name) {
      return runtimeFuncs.has(name) ? rt.exports.get(name) : undefined;
    },
    host(name, arity) {
      let h = hosts.get(name);
      if (!h) {
        const decl = lookupBuiltin(name);
        h = { name, abiName: hostAbiName(name), id: hosts.size, arity, resultIsSet: decl?.result === 'set' };
        hosts.set(name, h);
      }
      return h;
    },
    funcName: (n) => `f:${wasmName(n)}`,
    funcArity: (n) => funcsByName.get(n)?.params.length,
    evalInputGlobal,
    evalDataGlobal,
    fuel: noFuel(mod),
    fastPaths: opts.fastPaths !== false,
  };
  if (opts.fuel !== false) g.fuel = installFuel(b, mod, pool, g.rt('rt_abort'));

  // Host builtin imports (opa-wasm provides all five).
  for (let n = 0; n <= 4; n++) {
    mod.addFunctionImport(`opa_builtin${n}`, 'env', `opa_builtin${n}`, b.createType(Array(n + 2).fill(i32)), i32);
  }

  const generated: string[] = [];
  const cacheGlobals: string[] = [];
  const persistent: PersistentRule[] = [];
  const dataOnly = opts.precompute === false ? new Set<string>() : dataOnlyRules(policy);
  for (const f of policy.funcs) generated.push(...emitFunc(g, f, cacheGlobals, dataOnly.has(f.name) ? persistent : undefined));
  policy.plans.forEach((p, i) => generated.push(emitPlan(g, p, i)));

  // Dispatch: entrypoint id → plan, returns the result set.
  const dispatch = 'arbiter_dispatch';
  {
    const ep = () => mod.local.get(0, i32);
    const rs = () => mod.local.get(3, i32);
    const body: Expr[] = [mod.local.set(3, mod.call(g.rt('rt_make_set'), [], i32))];
    policy.plans.forEach((_, i) => {
      body.push(
        mod.if(mod.i32.eq(ep(), mod.i32.const(i)), mod.call(`p:${i}`, [mod.local.get(1, i32), mod.local.get(2, i32), rs()], b.none)),
      );
    });
    body.push(rs());
    mod.addFunction(dispatch, b.createType([i32, i32, i32]), i32, [i32], mod.block(null, body, i32));
    generated.push(dispatch);
  }
  const resetCaches = (): Expr[] => cacheGlobals.map((c) => mod.global.set(c, mod.i32.const(0)));
  const setEvalGlobals = (input: Expr, data: Expr): Expr[] => [mod.global.set(evalInputGlobal, input), mod.global.set(evalDataGlobal, data)];

  // opa_eval(reserved, entrypoint, data, input_addr, input_len, heap_ptr, format) → result JSON address.
  {
    const L = (i: number) => mod.local.get(i, i32);
    const body = mod.block(
      null,
      [
        mod.local.set(7, mod.call(g.rt('rt_eval_begin'), [L(5), L(3), L(4)], i32)),
        ...setEvalGlobals(L(7), L(2)),
        ...resetCaches(),
        g.fuel.refill(),
        mod.call(g.rt('rt_eval_end'), [mod.call(dispatch, [L(1), L(7), L(2)], i32)], i32),
      ],
      i32,
    );
    mod.addFunction('opa_eval', b.createType(Array(7).fill(i32)), i32, [i32], body);
    generated.push('opa_eval');
  }
  // ABI 1.0: eval(ctx).
  {
    const ctx = () => mod.local.get(0, i32);
    const body = mod.block(
      null,
      [
        ...setEvalGlobals(mod.call(g.rt('rt_ctx_input'), [ctx()], i32), mod.call(g.rt('rt_ctx_data'), [ctx()], i32)),
        ...resetCaches(),
        g.fuel.refill(),
        mod.call(
          g.rt('rt_ctx_set_result'),
          [ctx(), mod.call(dispatch, [mod.call(g.rt('rt_ctx_entrypoint'), [ctx()], i32), mod.global.get(evalInputGlobal, i32), mod.global.get(evalDataGlobal, i32)], i32)],
          b.none,
        ),
        mod.i32.const(0),
      ],
      i32,
    );
    mod.addFunction('eval', b.createType([i32]), i32, [], body);
  }
  // Precompute (host/loader.ts runs these after setData, heap pointer just past the data):
  // begin(data) → how many rules; run(i) computes rule i for that data and keeps it; drop(i)
  // forgets it again (its computation failed or reported a builtin error: evaluate it per call).
  {
    const L = (i: number) => mod.local.get(i, i32);
    mod.addFunction(
      PRECOMPUTE_BEGIN,
      b.createType([i32]),
      i32,
      [],
      mod.block(
        null,
        [...setEvalGlobals(mod.i32.const(0), L(0)), ...resetCaches(), ...persistent.map((r) => mod.global.set(r.state, mod.i32.const(0))), g.fuel.refill(), mod.i32.const(persistent.length)],
        i32,
      ),
    );
    const pick = (each: (r: PersistentRule) => Expr): Expr[] => persistent.map((r, i) => mod.if(mod.i32.eq(L(0), mod.i32.const(i)), each(r)));
    mod.addFunction(
      PRECOMPUTE_RUN,
      b.createType([i32]),
      b.none,
      [b.i64],
      mod.block(
        null,
        pick((r) =>
          mod.block(null, [
            // From a full budget and empty per-evaluation caches: the fuel measured is what one
            // evaluation would burn computing the rule (and what it uses) without the cache.
            g.fuel.refill(),
            ...resetCaches(),
            mod.local.set(1, g.fuel.remaining()),
            mod.global.set(r.value, mod.call(r.func, [mod.i32.const(0), mod.global.get(evalDataGlobal, i32)], i32)),
            mod.global.set(r.fuel, mod.i64.sub(mod.local.get(1, b.i64), g.fuel.remaining())),
            mod.global.set(r.state, mod.i32.const(1)),
          ]),
        ),
      ),
    );
    mod.addFunction(PRECOMPUTE_DROP, b.createType([i32]), b.none, [], mod.block(null, pick((r) => mod.global.set(r.state, mod.i32.const(0)))));
    generated.push(PRECOMPUTE_BEGIN, PRECOMPUTE_RUN, PRECOMPUTE_DROP);
  }
  // entrypoints() and builtins(): objects parsed from constant JSON text.
  const jsonFunc = (name: string, value: Record<string, number>) => {
    const t = pool.text(JSON.stringify(value));
    mod.addFunction(name, b.none, i32, [], mod.call(runtimeFuncs.get('opa_json_parse')!, [mod.i32.const(t.addr), mod.i32.const(t.len)], i32));
  };
  jsonFunc('entrypoints', Object.fromEntries(policy.plans.map((p, i) => [p.name, i])));
  jsonFunc('builtins', Object.fromEntries([...hosts.values()].map((h) => [h.abiName, h.id])));

  // Constant data below the heap; the start function moves the heap pointer past it.
  const oldStart = mod.getStart();
  const startBody: Expr[] = [];
  if (oldStart) startBody.push(mod.call(b.getFunctionInfo(oldStart).name, [], b.none));
  startBody.push(mod.global.set(heapGlobal, mod.i32.const(pool.end)));
  const start = mod.addFunction('arbiter_start', b.none, b.none, [], mod.block(null, startBody));
  mod.setStart(start);

  const segments: { offset: Expr; data: Uint8Array; passive: boolean }[] = [];
  // binaryen.js has these methods but its typings lack them.
  const segApi = mod as unknown as {
    getNumDataSegments(): number;
    getDataSegmentByIndex(i: number): number;
    getDataSegmentInfo(ref: number): { offset: number; data: ArrayBuffer; passive: boolean };
  };
  for (let i = 0; i < segApi.getNumDataSegments(); i++) {
    const info = segApi.getDataSegmentInfo(segApi.getDataSegmentByIndex(i));
    segments.push({ offset: mod.i32.const(info.offset), data: new Uint8Array(info.data), passive: info.passive });
  }
  segments.push({ offset: mod.i32.const(pool.base), data: pool.bytes.slice(), passive: false });
  const pages = Math.max(2, Math.ceil((pool.end + 1024) / 65536));
  if (pages > 5) throw new CodegenError(`policy constants need ${pages} memory pages; opa-wasm provides 5`);
  // readBinary names the runtime's imported memory mimport$0; keep that name.
  mod.setMemory(pages, -1, null, segments, false, false, 'mimport$0');
  mod.addMemoryImport('mimport$0', 'env', 'memory');

  // Exports: the ABI only.
  for (const [name] of runtimeFuncs) if (!ABI_EXPORTS.has(name)) mod.removeExport(name);
  for (let i = mod.getNumExports() - 1; i >= 0; i--) {
    const info = b.getExportInfo(mod.getExportByIndex(i));
    if (info.kind !== b.ExternalFunction && !ABI_EXPORTS.has(info.name)) mod.removeExport(info.name);
  }
  for (const name of ['opa_eval', 'eval', 'entrypoints', 'builtins', PRECOMPUTE_BEGIN, PRECOMPUTE_RUN, PRECOMPUTE_DROP]) mod.addFunctionExport(name, name);

  const level = opts.optimize === undefined || opts.optimize === true ? 'light' : opts.optimize;
  if (level === 'full') {
    b.setOptimizeLevel(2);
    b.setShrinkLevel(0);
    for (const name of generated) mod.optimizeFunction(name);
  } else if (level === 'light') {
    for (const name of generated) mod.runPassesOnFunction(name, LIGHT_PASSES);
  }
  mod.runPasses(['remove-unused-module-elements']);
  if (opts.validate && !mod.validate()) throw new CodegenError('generated module failed validation');
  return mod.emitBinary();
}

