#!/usr/bin/env node
// `npm run conformance -- <dir> [--json] [--quiet] [--filter REGEX] [--timeout MS] [--strict-errors] [--loader arbiter|opa-wasm]`
import { runConformance, formatReport, LOADERS, type Loader } from './runner';

async function main(argv: string[]): Promise<number> {
  let dir: string | undefined;
  let json = false;
  let quiet = false;
  let filter: RegExp | undefined;
  let timeoutMs: number | undefined;
  let strictErrors = false;
  let loader: Loader = 'arbiter';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--quiet' || a === '-q') quiet = true;
    else if (a === '--strict-errors') strictErrors = true;
    else if (a === '--loader') {
      const v = argv[++i] ?? '';
      if (!(LOADERS as readonly string[]).includes(v)) {
        process.stderr.write(`--loader must be one of ${LOADERS.join(', ')}, got ${JSON.stringify(v)}\n`);
        return 2;
      }
      loader = v as Loader;
    } else if (a === '--filter') filter = new RegExp(argv[++i] ?? '');
    else if (a === '--timeout') timeoutMs = Number(argv[++i]);
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: conformance <dir> [--json] [--quiet] [--filter REGEX] [--timeout MS] [--strict-errors] [--loader arbiter|opa-wasm]\n');
      return 0;
    } else if (!dir && !a.startsWith('-')) dir = a;
    else {
      process.stderr.write(`unknown argument ${a}\n`);
      return 2;
    }
  }
  if (!dir) {
    process.stderr.write('usage: conformance <dir> [--json] [--quiet] [--filter REGEX] [--timeout MS] [--strict-errors] [--loader arbiter|opa-wasm]\n');
    return 2;
  }
  if (timeoutMs !== undefined && !(timeoutMs > 0)) {
    process.stderr.write('--timeout needs a positive number of milliseconds\n');
    return 2;
  }
  const report = await runConformance(dir, { filter, timeoutMs, strictErrors, loader });
  if (json) process.stdout.write(JSON.stringify(report) + '\n');
  else process.stdout.write(formatReport(report, !quiet) + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`conformance: ${(err as Error).message}\n`);
    process.exitCode = 2;
  },
);
