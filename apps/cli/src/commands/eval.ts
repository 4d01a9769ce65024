// `arbiter eval -d <path>... [-i input] <query>`: evaluates an ad-hoc Rego query.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic } from '@arbiter/rego/diagnostics';
import { evaluateQuery, RESULT_KEY } from '@arbiter/rego/query';
import { parseDataFile } from '@arbiter/rego/bundle';
import type { Toolchain } from '@arbiter/rego/testing';
import { collect, EXIT_FAIL, EXIT_OK, EXIT_USAGE, type CliIo } from '../io';
import { loadForCli } from '../load-sources';

interface EvalOpts {
  data: string[];
  input?: string;
  format: string;
  fail?: boolean;
}

export const EVAL_HELP = `
Output (--format json, the default): the list of binding sets, one object per solution, keyed by
the query's variable names, e.g. \`x := data.a; y := x + 1\` → [{"x": 1, "y": 2}]. A query that is a
single term (\`data.mcp.decision\`, \`1 / 0\`) has its value under "${RESULT_KEY}". An undefined query
prints []. --format values prints just the "${RESULT_KEY}" values, one JSON document per line.
Exit status: 0 (also when undefined, unless --fail), 1 compile/evaluation error, 2 bad usage.`;

export function registerEval(program: Command, io: CliIo, setExit: (c: number) => void, toolchain?: Toolchain): void {
  program
    .command('eval')
    .description('evaluate a Rego query against policies and data')
    .argument('<query>', 'the Rego query, e.g. data.mcp.decision')
    .option('-d, --data <path>', 'policy directory, .rego file or JSON/YAML data file (repeatable)', collect, [])
    .option('-i, --input <file>', 'input document (JSON or YAML)')
    .option('-f, --format <format>', 'json or values', 'json')
    .option('--fail', 'exit 1 when the query is undefined')
    .addHelpText('after', EVAL_HELP)
    .action(async (query: string, opts: EvalOpts) => setExit(await evalCommand(io, query, opts, toolchain)));
}

export async function evalCommand(io: CliIo, query: string, opts: EvalOpts, toolchain?: Toolchain): Promise<number> {
  if (opts.format !== 'json' && opts.format !== 'values') {
    io.err(`unknown --format ${opts.format} (want json or values)`);
    return EXIT_USAGE;
  }
  let input: unknown;
  if (opts.input) {
    const file = path.resolve(io.cwd, opts.input);
    try {
      input = parseDataFile(file, fs.readFileSync(file, 'utf8'));
    } catch (err) {
      io.err(`${opts.input}: cannot read input: ${(err as Error).message.split('\n')[0]}`);
      return EXIT_USAGE;
    }
  }
  const tree = loadForCli(io, opts.data, true);
  if (!tree) return EXIT_FAIL;
  let outcome;
  try {
    outcome = await evaluateQuery({ query, modules: tree.modules, data: tree.data, input, toolchain });
  } catch (err) {
    io.err(`evaluation error: ${(err as Error).message}`);
    return EXIT_FAIL;
  }
  if (!outcome.ok) {
    for (const d of outcome.errors) io.err(formatDiagnostic(d));
    return EXIT_FAIL;
  }
  // like opa eval: print() output and the builtin errors that made expressions undefined go to stderr
  for (const line of outcome.prints) io.err(line);
  for (const e of outcome.builtinErrors) {
    const what = e.message.startsWith(`${e.builtin}:`) ? e.message : `${e.builtin}: ${e.message}`;
    io.err(`warning: ${what} (the expression was undefined)`);
  }
  if (opts.format === 'values') for (const b of outcome.bindings) io.out(JSON.stringify(b[RESULT_KEY]));
  else io.out(JSON.stringify(outcome.bindings, null, 2));
  return opts.fail && outcome.bindings.length === 0 ? EXIT_FAIL : EXIT_OK;
}
