// Runs OPA conformance cases through parse → compileModules → IR interpreter.
// Used by conformance.spec.ts; the cases are read from /work/shared/conformance at test time.
import { loadCaseFiles, type ConformanceCase } from '../conformance/cases';
import { compileModules } from '../compiler';
import { parseModule, parseQuery, parseTerm, type Module, type Term } from '../syntax';
import { EvalError, Interpreter } from './interpret';
import { fromJSON, RObject, RSet, toJS, type Value } from './interp-values';

export interface CaseResult {
  folder: string;
  note: string;
  status: 'pass' | 'fail' | 'skip';
  reason?: string;
}

type Case = ConformanceCase;

/** Every case under root, with its folder (read by the conformance runner's reader). */
export function loadCases(root: string): Array<{ folder: string; c: Case }> {
  return loadCaseFiles(root).flatMap((f) => f.cases.map((c) => ({ folder: f.folder, c })));
}

export function termValue(t: Term): Value {
  switch (t.type) {
    case 'null':
      return null;
    case 'boolean':
    case 'string':
      return t.value;
    case 'number':
      return Number(t.raw);
    case 'array':
      return t.items.map(termValue);
    case 'set':
      return RSet.from(t.items.map(termValue));
    case 'object':
      return RObject.from(t.entries.map(([k, v]) => [termValue(k), termValue(v)]));
    default:
      throw new Error(`input_term: not a constant (${t.type})`);
  }
}

const SIMPLE = /^data((?:\.[A-Za-z_][A-Za-z0-9_]*)+) = x$/;

/** The query as a rule `__q__.r contains [vars…] if { query }` unless it is `data.a.b = x`. */
function queryPlan(q: string): { entrypoint: string; module?: Module; vars: string[]; error?: string } {
  const m = SIMPLE.exec(q.trim());
  if (m) return { entrypoint: m[1].slice(1).split('.').join('/'), vars: ['x'] };
  const { body, errors } = parseQuery('query.rego', q);
  if (!body) return { entrypoint: '', vars: [], error: errors.map((e) => e.message).join('; ') };
  const vars = new Set<string>();
  const visit = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    const t = x as { type?: string; name?: string };
    if (t.type === 'var' && t.name && !t.name.startsWith('$') && t.name !== 'input' && t.name !== 'data') vars.add(t.name);
    for (const v of Object.values(x)) if (v && typeof v === 'object') visit(v);
  };
  visit(body);
  const loc = { file: 'query.rego', line: 1, col: 1, offset: 0 };
  const names = [...vars].sort();
  const module: Module = {
    file: 'query.rego',
    package: { path: ['__q__'], loc },
    imports: [],
    comments: [],
    rules: [
      {
        kind: 'partial_set',
        default: false,
        head: {
          ref: [{ type: 'string', value: 'r', loc }],
          key: { type: 'array', items: names.map((name) => ({ type: 'var', name, loc })), loc },
          value: { type: 'boolean', value: true, loc },
          assign: false,
          loc,
        },
        body,
        loc,
      },
    ],
  };
  return { entrypoint: '__q__/r', module, vars: names };
}

/** Deep comparison of an actual value with a YAML expectation (sets given as lists). */
export function matches(actual: Value, want: unknown): boolean {
  if (actual instanceof RSet) {
    if (!Array.isArray(want) || want.length !== actual.size) return false;
    const used = new Set<number>();
    return actual.values().every((v) => {
      const i = want.findIndex((w, j) => !used.has(j) && matches(v, w));
      if (i < 0) return false;
      used.add(i);
      return true;
    });
  }
  if (Array.isArray(actual)) return Array.isArray(want) && want.length === actual.length && actual.every((v, i) => matches(v, want[i]));
  if (actual instanceof RObject) {
    if (!want || typeof want !== 'object' || Array.isArray(want)) return false;
    const w = want as Record<string, unknown>;
    const entries = actual.entries();
    if (entries.length !== Object.keys(w).length) return false;
    return entries.every(([k, v]) => {
      const key = typeof k === 'string' ? k : JSON.stringify(toJS(k));
      return key in w && matches(v, w[key]);
    });
  }
  if (typeof actual === 'number' && typeof want === 'number') return Math.abs(actual - want) < 1e-9 * Math.max(1, Math.abs(want));
  return actual === want;
}

export function runCase(folder: string, c: Case): CaseResult {
  const res = (status: CaseResult['status'], reason?: string): CaseResult => ({ folder, note: c.note, status, reason });
  const modules: Module[] = [];
  for (const [i, text] of (c.modules ?? []).entries()) {
    const { module, errors } = parseModule(`mod${i}.rego`, text);
    if (!module) {
      if (c.want_error_code === 'rego_parse_error') return res('pass');
      return res('skip', `parse error: ${errors[0]?.message}`);
    }
    modules.push(module);
  }
  const q = queryPlan(c.query);
  if (q.error) return res('skip', `query parse error: ${q.error}`);
  if (q.module) modules.push(q.module);
  const { policy, errors } = compileModules(modules, { entrypoints: [q.entrypoint] });
  if (!policy) {
    if (c.want_error_code && errors.some((e) => e.code === c.want_error_code)) return res('pass');
    return res('fail', `compile: ${errors.map((e) => `${e.code}: ${e.message} @${e.line}:${e.col}`).join('; ')}`);
  }
  let input: Value | undefined;
  try {
    input = c.input_term !== undefined ? termValue(parseTerm('input', c.input_term).term!) : c.input === undefined ? undefined : fromJSON(c.input);
  } catch (e) {
    return res('skip', `input_term: ${(e as Error).message}`);
  }
  let results: Value[];
  try {
    results = new Interpreter(policy).run(q.entrypoint, input, fromJSON(c.data ?? {}));
  } catch (e) {
    if (e instanceof EvalError) {
      if (e.message.startsWith('unsupported builtin')) return res('skip', e.message);
      if (c.want_error_code === e.code && !c.strict_error) return res('pass');
      return res('fail', `eval error ${e.code}: ${e.message}`);
    }
    return res('fail', `crash: ${(e as Error).message}`);
  }
  if (c.want_error_code && !c.strict_error) return res('fail', `expected ${c.want_error_code}, got ${results.length} results`);
  // strict_error: builtin errors are non-strict here, so the expression is just undefined
  const want = c.want_result ?? [];
  const got = q.module
    ? ((results[0] as RObject | undefined)?.get('result') as RSet | undefined)?.values() ?? []
    : results.map((r) => (r as RObject).get('result') as Value);
  const bindings = got.map((g) => (q.module ? Object.fromEntries(q.vars.map((v, i) => [v, (g as Value[])[i]])) : { x: g }));
  if (bindings.length !== want.length) return res('fail', `want ${want.length} results, got ${bindings.length}: ${JSON.stringify(bindings.map((b) => toJS(b.x ?? null)))}`);
  const used = new Set<number>();
  for (const w of want) {
    const i = bindings.findIndex((b, j) => !used.has(j) && Object.keys(w).every((k) => b[k] !== undefined && matches(b[k], w[k])));
    if (i < 0) return res('fail', `no match for ${JSON.stringify(w)} in ${JSON.stringify(bindings.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, toJS(v)]))))}`);
    used.add(i);
  }
  return res('pass');
}
