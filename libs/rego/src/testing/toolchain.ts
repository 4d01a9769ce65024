// The compiler + host pair the test runner, the query evaluator and the conformance runner use.
// Injected (not imported at each call site) so runners can be driven by any compiler build.
import type { Diagnostic } from '../diagnostics';
import { compile } from '../compile';
import { loadPolicy } from '../host/index';

export interface SourceText {
  file: string;
  text: string;
}

export interface CompileRequest {
  modules: SourceText[];
  entrypoints: string[];
  data?: unknown;
}

export interface CompileResult {
  wasm?: Uint8Array;
  errors: Diagnostic[];
}

export interface EvalOutcome {
  /** opa-wasm result set: `[]` when undefined, else `[{result: value}]`. */
  result: unknown;
  pinned?: unknown;
  /** Lines written by `print()` during the evaluation. */
  prints?: string[];
  /** Builtin errors that made a call undefined (non-strict mode). */
  builtinErrors?: Array<{ builtin: string; message: string; code?: string }>;
}

export interface LoadedPolicy {
  evaluate(
    input: unknown,
    entrypoint: string,
    opts?: { nowNs?: bigint | number; strictBuiltinErrors?: boolean },
  ): EvalOutcome | Promise<EvalOutcome>;
  setData(data: unknown): void | Promise<void>;
}

export interface Toolchain {
  compile(req: CompileRequest): CompileResult | Promise<CompileResult>;
  loadPolicy(wasm: Uint8Array, opts?: { data?: unknown }): LoadedPolicy | Promise<LoadedPolicy>;
}

/** Arbiter's own compiler and host loader. */
export function defaultToolchain(): Toolchain {
  return { compile, loadPolicy: (wasm, opts) => loadPolicy(wasm, opts) };
}

/** The value of an entrypoint's opa-wasm result set, or `undefined` when the rule is undefined. */
export function resultValue(resultSet: unknown): unknown {
  if (!Array.isArray(resultSet) || resultSet.length === 0) return undefined;
  const first = resultSet[0] as { result?: unknown } | undefined;
  return first?.result;
}
