// Runs Rego unit tests: every module and data file under the given roots compiles into ONE
// Wasm module with each selected test as an entrypoint; each test is then evaluated once.
import { loadSourceTree, type SourceError } from '../bundle/source-tree';
import type { Diagnostic } from '../diagnostics';
import { discoverTests, type DiscoveredTest } from './discover';
import { defaultToolchain, resultValue, type SourceText, type Toolchain } from './toolchain';

export type TestStatus = 'pass' | 'fail' | 'error';

export interface TestResult extends DiscoveredTest {
  status: TestStatus;
  durationMs: number;
  /** For `fail`: why (`undefined` or the non-true value); for `error`: the thrown message. */
  message?: string;
  /** `print()` output of the test. */
  prints: string[];
}

export interface TestRun {
  results: TestResult[];
  /** Parse/compile diagnostics; when non-empty no test ran. */
  compileErrors: Diagnostic[];
  /** Unreadable files, malformed or conflicting data files. */
  loadErrors: SourceError[];
  counts: { passed: number; failed: number; errored: number };
  compileMs: number;
}

export interface RunOptions {
  /** Only tests whose full name (`data.pkg.test_x`) matches. */
  run?: RegExp;
  toolchain?: Toolchain;
}

export async function runTestPaths(paths: string[], opts: RunOptions = {}): Promise<TestRun> {
  const tree = loadSourceTree(paths, { includeTests: true });
  if (tree.errors.length) return emptyRun({ loadErrors: tree.errors });
  return runTests(tree.modules, tree.data, opts);
}

export async function runTests(sources: SourceText[], data: unknown, opts: RunOptions = {}): Promise<TestRun> {
  const discovery = discoverTests(sources);
  if (discovery.errors.length) return emptyRun({ compileErrors: discovery.errors });
  const selected = discovery.tests.filter((t) => !opts.run || opts.run.test(t.name));
  const toolchain = opts.toolchain ?? defaultToolchain();

  const t0 = performance.now();
  const compiled = await toolchain.compile({
    modules: sources.map((s) => ({ file: s.file, text: s.text })),
    entrypoints: selected.map((t) => t.entrypoint),
    data,
  });
  const compileMs = performance.now() - t0;
  if (!compiled.errors.length && selected.length === 0) return emptyRun({ compileMs });
  if (compiled.errors.length || !compiled.wasm) {
    const errors = compiled.errors.length ? compiled.errors : [noWasm(sources)];
    return emptyRun({ compileErrors: errors, compileMs });
  }

  const results: TestResult[] = [];
  let policy;
  try {
    policy = await toolchain.loadPolicy(compiled.wasm, { data });
  } catch (err) {
    // Without a loaded module every test errors with the same cause.
    for (const t of selected) results.push({ ...t, status: 'error', durationMs: 0, message: `load: ${errMessage(err)}`, prints: [] });
    return { results, compileErrors: [], loadErrors: [], counts: count(results), compileMs };
  }
  for (const t of selected) {
    const start = performance.now();
    let status: TestStatus;
    let message: string | undefined;
    let prints: string[] = [];
    try {
      const out = await policy.evaluate(undefined, t.entrypoint);
      prints = out.prints ?? [];
      const value = resultValue(out.result);
      if (value === undefined) [status, message] = ['fail', 'undefined'];
      else if (value === false) [status, message] = ['fail', 'false'];
      else status = 'pass';
    } catch (err) {
      [status, message] = ['error', errMessage(err)];
    }
    results.push({ ...t, status, durationMs: performance.now() - start, message, prints });
  }
  return { results, compileErrors: [], loadErrors: [], counts: count(results), compileMs };
}

/** `--run` takes a regular expression; a bad one is a usage error, not a crash. */
export function parseRunFilter(src: string | undefined): RegExp | undefined {
  if (src === undefined || src === '') return undefined;
  try {
    return new RegExp(src);
  } catch (err) {
    throw new Error(`invalid --run regular expression: ${errMessage(err)}`);
  }
}

function count(results: TestResult[]): TestRun['counts'] {
  const c = { passed: 0, failed: 0, errored: 0 };
  for (const r of results) {
    if (r.status === 'pass') c.passed++;
    else if (r.status === 'fail') c.failed++;
    else c.errored++;
  }
  return c;
}

function emptyRun(part: Partial<TestRun>): TestRun {
  return { results: [], compileErrors: [], loadErrors: [], counts: { passed: 0, failed: 0, errored: 0 }, compileMs: 0, ...part };
}

function noWasm(sources: SourceText[]): Diagnostic {
  return { code: 'rego_compile_error', message: 'compiler produced no Wasm module', file: sources[0]?.file ?? '<none>', line: 1, col: 1 };
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
