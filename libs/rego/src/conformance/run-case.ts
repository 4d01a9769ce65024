// Runs one conformance case in-process: compile with Arbiter's compiler, load with the host,
// evaluate, compare. Returns a verdict; never throws.
import { formatDiagnostic, type Diagnostic } from '../diagnostics';
import { wrapQuery, mapQueryDiagnostics, toBindingSets } from '../query/wrap-query';
import { defaultToolchain, resultValue, type Toolchain } from '../testing/toolchain';
import type { ConformanceCase } from './cases';
import { bindingsEqual } from './compare';
import { inputTermToJson } from './input-term';

export type Verdict = { status: 'passed' } | { status: 'failed'; reason: string } | { status: 'skipped'; reason: string };

/** `data.a.b = x`: evaluated straight from entrypoint `a/b` without a query module. */
const DIRECT_QUERY = /^\s*data((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*=\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;

interface Plan {
  entrypoint: string;
  modules: Array<{ file: string; text: string }>;
  toBindings(resultSet: unknown): unknown[];
  mapErrors(d: Diagnostic[]): Diagnostic[];
}

export interface RunCaseOptions {
  /** Also check `strict_error` cases in strict builtin-error mode (off: judged non-strict only). */
  strictErrors?: boolean;
}

export async function runCase(c: ConformanceCase, toolchain: Toolchain = defaultToolchain(), opts: RunCaseOptions = {}): Promise<Verdict> {
  try {
    return await runCaseUnsafe(c, toolchain, opts);
  } catch (err) {
    return { status: 'failed', reason: `runner crash: ${(err as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(err)}` };
  }
}

async function runCaseUnsafe(c: ConformanceCase, toolchain: Toolchain, opts: RunCaseOptions): Promise<Verdict> {
  if (!c.query) return { status: 'skipped', reason: 'case has no query' };
  let input: unknown = c.hasInput ? c.input : undefined;
  if (c.input_term !== undefined) {
    const conv = inputTermToJson(c.input_term);
    if (!conv.ok) return { status: 'skipped', reason: conv.reason };
    input = conv.value;
  }
  const expect = expectation(c);
  const plan = planCase(c);
  if ('status' in plan) return plan;

  const compiled = await toolchain.compile({ modules: plan.modules, entrypoints: [plan.entrypoint], data: c.data });
  if (compiled.errors.length || !compiled.wasm) {
    const errors = plan.mapErrors(compiled.errors);
    if (!errors.length) return { status: 'failed', reason: 'compiler produced no Wasm module and no error' };
    return checkError(expect, errors.map(formatDiagnostic), errors.map((e) => e.code), 'compile');
  }
  let policy;
  try {
    policy = await toolchain.loadPolicy(compiled.wasm, { data: c.data ?? {} });
  } catch (err) {
    return { status: 'failed', reason: `load error: ${truncate(errMessage(err))}` };
  }
  const evaluate = async (strictBuiltinErrors: boolean): Promise<{ got: unknown[] } | { err: unknown }> => {
    try {
      const out = await policy.evaluate(input, plan.entrypoint, strictBuiltinErrors ? { strictBuiltinErrors } : undefined);
      return { got: plan.toBindings(out.result) };
    } catch (err) {
      return { err };
    }
  };
  // Default (non-strict) evaluation.
  const first = await evaluate(false);
  if ('err' in first) return checkError(expect, [errMessage(first.err)], [errorCode(first.err)], 'eval');
  if (expect.kind === 'error') {
    return { status: 'failed', reason: `want error ${expect.code ?? ''} ${JSON.stringify(expect.message ?? '')}, got result ${short(first.got)}` };
  }
  if (!bindingsEqual(expect.result, first.got, !!c.sort_bindings)) {
    return { status: 'failed', reason: `want ${short(expect.result)}, got ${short(first.got)}` };
  }
  if (!c.strict_error || !opts.strictErrors) return { status: 'passed' };
  // strict_error: with strict builtin errors on, the case's error must be raised.
  const strict = await evaluate(true);
  if ('got' in strict) return { status: 'failed', reason: `strict mode: want error ${c.want_error_code ?? ''}, got result ${short(strict.got)}` };
  const v = checkError({ kind: 'error', code: c.want_error_code, message: c.want_error }, [errMessage(strict.err)], [errorCode(strict.err)], 'eval');
  return v.status === 'passed' ? v : { status: 'failed', reason: `strict mode: ${(v as { reason: string }).reason}` };
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

type Expectation = { kind: 'result'; result: unknown[] } | { kind: 'error'; code?: string; message?: string };

/**
 * A `strict_error` case is judged in default (non-strict) mode, as the service evaluates: it
 * must give its `want_result` if any, else be undefined (the erroring expression fails). With
 * `strictErrors`, it must also raise the case's error when strict builtin errors are on.
 */
function expectation(c: ConformanceCase): Expectation {
  if (c.strict_error) return { kind: 'result', result: c.want_result ?? [] };
  if (c.want_error_code || c.want_error) return { kind: 'error', code: c.want_error_code, message: c.want_error };
  return { kind: 'result', result: c.want_result ?? [] };
}

function planCase(c: ConformanceCase): Plan | Verdict {
  const modules = (c.modules ?? []).map((text, i) => ({ file: `test-${i}.rego`, text }));
  const direct = DIRECT_QUERY.exec(c.query);
  if (direct && direct[2] !== 'input' && direct[2] !== 'data') {
    const key = direct[2];
    return {
      entrypoint: direct[1].slice(1).split('.').join('/'),
      modules,
      toBindings: (rs) => {
        const v = resultValue(rs);
        return v === undefined ? [] : [{ [key]: v }];
      },
      mapErrors: (d) => d,
    };
  }
  const { wrapped, errors } = wrapQuery(c.query, 'query.rego');
  if (!wrapped) return { status: 'failed', reason: `query does not parse: ${errors.map(formatDiagnostic).join('; ')}` };
  return {
    entrypoint: wrapped.entrypoint,
    modules: [...modules, wrapped.module],
    toBindings: (rs) => stripResultKey(toBindingSets(rs), wrapped.vars),
    mapErrors: (d) => mapQueryDiagnostics(d, wrapped),
  };
}

/** OPA reports a single-term query's value as an expression, not a binding: drop `result`. */
function stripResultKey(sets: Array<Record<string, unknown>>, vars: string[]): unknown[] {
  const key = vars.find((v) => v === 'result' || v === '$result');
  if (!key || vars[vars.length - 1] !== key) return sets;
  return sets.map((s) => {
    const { [key]: _dropped, ...rest } = s;
    return rest;
  });
}

function checkError(expect: Expectation, messages: string[], codes: Array<string | undefined>, stage: string): Verdict {
  const text = messages.join('; ');
  if (expect.kind !== 'error') return { status: 'failed', reason: `unexpected ${stage} error: ${truncate(text)}` };
  if (expect.code && !codes.includes(expect.code)) {
    return { status: 'failed', reason: `want ${expect.code}, got ${stage} error: ${truncate(text)}` };
  }
  if (expect.message) {
    const want = stripLocation(expect.message);
    if (!messages.some((m) => m.includes(want))) {
      return { status: 'failed', reason: `want message containing ${JSON.stringify(want)}, got: ${truncate(text)}` };
    }
  }
  return { status: 'passed' };
}

/** `test-0.rego:4: eval_type_error: msg` → `msg`: file names and lines are the runner's, not the case's. */
function stripLocation(msg: string): string {
  return msg.replace(/^[^:\s]+\.rego:\d+(?::\d+)?:\s*/, '').replace(/^[a-z_]+_error:\s*/, '');
}

/** The error code of a thrown evaluation error: named in its message (`eval_conflict_error: …`) or its `code`. */
export function errorCode(err: unknown): string | undefined {
  const msg = errMessage(err);
  const named = /\b((?:eval|rego)_[a-z_]*error)\b/.exec(msg)?.[1];
  if (named) return named;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function short(v: unknown): string {
  return truncate(JSON.stringify(v) ?? 'undefined');
}

function truncate(s: string, n = 300): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}
