// Compiles an ad-hoc query by wrapping it in a generated module: one partial-set rule in a
// reserved package whose elements are binding objects of the query's output variables.
import { parseQuery } from '../syntax/index';
import type { Body, Expr } from '../syntax/ast';
import type { Diagnostic } from '../diagnostics';
import { queryOutputVars } from './query-vars';

export const QUERY_PACKAGE = '__arbiter_query__';
export const QUERY_RULE = '__bindings__';
export const QUERY_ENTRYPOINT = `${QUERY_PACKAGE}/${QUERY_RULE}`;
export const QUERY_FILE = '<query>';
/** Key holding a single-term query's value in each binding set. */
export const RESULT_KEY = 'result';

export interface WrappedQuery {
  /** The generated module to compile with the policy's modules. */
  module: { file: string; text: string };
  entrypoint: string;
  /** Output variable names (and `result` for a single-term query). */
  vars: string[];
  /** The number of lines before the query's first line in the generated module. */
  lineOffset: number;
  body: Body;
}

export type BindingSet = Record<string, unknown>;

/** Parses and wraps `query`; parse errors come back as diagnostics against `file`. */
export function wrapQuery(query: string, file = QUERY_FILE): { wrapped?: WrappedQuery; errors: Diagnostic[] } {
  const parsed = parseQuery(file, query);
  if (!parsed.body || parsed.errors.length) return { errors: parsed.errors };
  if (parsed.body.length === 0) {
    return { errors: [{ code: 'rego_parse_error', message: 'empty query', file, line: 1, col: 1 }] };
  }
  const body = parsed.body;
  const vars = queryOutputVars(body);
  const captured = capturesValue(body);
  const resultKey = vars.includes(RESULT_KEY) ? `$${RESULT_KEY}` : RESULT_KEY;
  const entries = vars.map((v) => `${JSON.stringify(v)}: ${v}`);
  const head: string[] = [`package ${QUERY_PACKAGE}`, '', `${QUERY_RULE} contains {${entries.join(', ')}} if {`];
  let bodyText = query;
  if (captured) {
    // Bind the value so `false` is a result, not a failed test (as OPA's query compiler does).
    const resultVar = '__arbiter_result__';
    head[2] = `${QUERY_RULE} contains {${[...entries, `${JSON.stringify(resultKey)}: ${resultVar}`].join(', ')}} if {`;
    // `with` modifiers stay outside the parentheses: they modify the capturing expression.
    const cut = body[0].with[0]?.loc.offset ?? query.length;
    bodyText = `${resultVar} := (\n${query.slice(0, cut)}\n) ${query.slice(cut)}`;
  }
  const lines = head.length + (captured ? 1 : 0);
  const text = `${head.join('\n')}\n${bodyText}\n}\n`;
  return {
    wrapped: {
      module: { file, text },
      entrypoint: QUERY_ENTRYPOINT,
      vars: captured ? [...vars, resultKey] : vars,
      lineOffset: lines,
      body,
    },
    errors: [],
  };
}

/**
 * A query of one unnegated term: OPA reports its value even when it is `false` (`1 == 2`
 * gives false; `1 = 2`, a unification, is undefined), so the value is captured.
 */
function capturesValue(body: Body): boolean {
  if (body.length !== 1) return false;
  const e: Expr = body[0];
  return e.kind === 'term' && !e.negated;
}

/** Maps diagnostics in the generated module back onto the query's own lines. */
export function mapQueryDiagnostics(diags: Diagnostic[], w: WrappedQuery): Diagnostic[] {
  // Errors in the generated head (`var y is unsafe` for an output var) echo errors in the
  // query itself: show only those when there are any.
  const inQuery = diags.some((d) => d.file === w.module.file && d.line > w.lineOffset);
  const kept = inQuery ? diags.filter((d) => d.file !== w.module.file || d.line > w.lineOffset) : diags;
  return kept.map((d) => {
    if (d.file !== w.module.file) return d;
    const line = Math.max(1, d.line - w.lineOffset);
    return { ...d, line, col: d.line > w.lineOffset ? d.col : 1 };
  });
}

/**
 * Turns the entrypoint's opa-wasm result set (`[{result: [binding, ...]}]`) into binding sets.
 * An undefined query is `[]`.
 */
export function toBindingSets(resultSet: unknown): BindingSet[] {
  if (!Array.isArray(resultSet) || resultSet.length === 0) return [];
  const value = (resultSet[0] as { result?: unknown }).result;
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`query result is not a set: ${JSON.stringify(value)}`);
  return value as BindingSet[];
}
