// `arbiter test [paths...]`: runs the Rego unit tests (`test_*` rules) under the given paths.
import type { Command } from 'commander';
import { formatDiagnostic } from '@arbiter/rego/diagnostics';
import { runTests, parseRunFilter, type TestRun, type Toolchain } from '@arbiter/rego/testing';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE, type CliIo } from '../io';
import { loadForCli } from '../load-sources';

interface TestOpts {
  run?: string;
  format: string;
  verbose?: boolean;
}

export function registerTest(program: Command, io: CliIo, setExit: (c: number) => void, toolchain?: Toolchain): void {
  program
    .command('test')
    .description('run Rego unit tests (rules named test_*) in the given directories or files')
    .argument('[paths...]', 'policy directories or .rego/data files', ['.'])
    .option('-r, --run <regex>', 'only run tests whose name (data.pkg.test_x) matches')
    .option('-f, --format <format>', 'output format: pretty or json', 'pretty')
    .option('-v, --verbose', 'print timings and the data files loaded')
    .action(async (paths: string[], opts: TestOpts) => setExit(await testCommand(io, paths, opts, toolchain)));
}

export async function testCommand(io: CliIo, paths: string[], opts: TestOpts, toolchain?: Toolchain): Promise<number> {
  if (opts.format !== 'pretty' && opts.format !== 'json') {
    io.err(`unknown --format ${opts.format} (want pretty or json)`);
    return EXIT_USAGE;
  }
  let run: RegExp | undefined;
  try {
    run = parseRunFilter(opts.run);
  } catch (err) {
    io.err((err as Error).message);
    return EXIT_USAGE;
  }
  const tree = loadForCli(io, paths, true);
  if (!tree) return EXIT_FAIL;
  if (opts.verbose && opts.format === 'pretty') {
    for (const d of tree.dataFiles) io.out(`data ${d.file} -> data${d.at.map((s) => '.' + s).join('')}`);
  }
  const result = await runTests(tree.modules, tree.data, { run, toolchain });
  if (opts.format === 'json') printJson(io, result);
  else printPretty(io, result, !!opts.verbose);
  const c = result.counts;
  return result.compileErrors.length || c.failed || c.errored ? EXIT_FAIL : EXIT_OK;
}

function printPretty(io: CliIo, r: TestRun, verbose: boolean): void {
  for (const d of r.compileErrors) io.err(formatDiagnostic(d));
  if (r.compileErrors.length) {
    io.out(`${r.compileErrors.length} compile error(s); no tests ran`);
  } else if (r.results.length === 0) {
    io.out('no tests found');
  }
  if (verbose && !r.compileErrors.length) io.out(`compiled in ${r.compileMs.toFixed(1)}ms`);
  for (const t of r.results) {
    const label = t.status === 'pass' ? 'PASS' : t.status === 'fail' ? 'FAIL' : 'ERROR';
    const time = verbose ? ` (${t.durationMs.toFixed(2)}ms)` : '';
    const why = t.message ? `: ${t.message}` : '';
    io.out(`${label} ${t.name} ${t.file}:${t.line}${time}${why}`);
    // Like `opa test`: print() output is shown for failing tests, or for all with -v.
    if (t.status !== 'pass' || verbose) for (const p of t.prints) io.out(`  ${p}`);
  }
  io.out(`${r.counts.passed} passed, ${r.counts.failed} failed`);
  if (r.counts.errored) io.out(`${r.counts.errored} errored`);
}

function printJson(io: CliIo, r: TestRun): void {
  io.out(
    JSON.stringify(
      {
        summary: r.counts,
        errors: r.compileErrors,
        results: r.results.map((t) => ({
          name: t.name,
          file: t.file,
          line: t.line,
          status: t.status,
          duration_ms: Number(t.durationMs.toFixed(3)),
          ...(t.message ? { message: t.message } : {}),
          ...(t.prints.length ? { prints: t.prints } : {}),
        })),
      },
      null,
      2,
    ),
  );
}
