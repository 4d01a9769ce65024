// One-shot query evaluation over a set of modules: wrap, compile together, load, evaluate.
import type { Diagnostic } from '../diagnostics';
import { defaultToolchain, type SourceText, type Toolchain } from '../testing/toolchain';
import { wrapQuery, mapQueryDiagnostics, toBindingSets, QUERY_FILE, type BindingSet } from './wrap-query';

export interface QueryRequest {
  query: string;
  modules: SourceText[];
  data?: unknown;
  input?: unknown;
  /** Name used for the query in diagnostics. */
  queryFile?: string;
  nowNs?: bigint | number;
  toolchain?: Toolchain;
}

export type QueryOutcome =
  | {
      ok: true;
      bindings: BindingSet[];
      vars: string[];
      /** print() output, in order. */
      prints: string[];
      /** Builtin errors that made an expression undefined (e.g. divide by zero). */
      builtinErrors: Array<{ builtin: string; message: string }>;
    }
  | { ok: false; errors: Diagnostic[] };

/** Compile errors come back as diagnostics; evaluation errors are thrown (message starts with the code). */
export async function evaluateQuery(req: QueryRequest): Promise<QueryOutcome> {
  const wrapped = wrapQuery(req.query, req.queryFile ?? QUERY_FILE);
  if (!wrapped.wrapped) return { ok: false, errors: wrapped.errors };
  const w = wrapped.wrapped;
  const toolchain = req.toolchain ?? defaultToolchain();
  const compiled = await toolchain.compile({ modules: [...req.modules, w.module], entrypoints: [w.entrypoint], data: req.data });
  if (compiled.errors.length) return { ok: false, errors: mapQueryDiagnostics(compiled.errors, w) };
  if (!compiled.wasm) {
    return { ok: false, errors: [{ code: 'rego_compile_error', message: 'compiler produced no Wasm module', file: w.module.file, line: 1, col: 1 }] };
  }
  const policy = await toolchain.loadPolicy(compiled.wasm, { data: req.data ?? {} });
  const out = await policy.evaluate(req.input, w.entrypoint, req.nowNs === undefined ? undefined : { nowNs: req.nowNs });
  return {
    ok: true,
    bindings: toBindingSets(out.result),
    vars: w.vars,
    prints: out.prints ?? [],
    builtinErrors: (out.builtinErrors ?? []).map((e) => ({ builtin: e.builtin, message: e.message })),
  };
}
