// `arbiter build <dir> -o bundle.tar.gz -e <entrypoint>...`: compiles to Wasm and writes an
// OPA-format bundle (policy.wasm + data.json + .manifest + the Rego sources).
import * as path from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic } from '@arbiter/rego/diagnostics';
import { writeBundle, normalizeEntrypoint } from '@arbiter/rego/bundle';
import { defaultToolchain, type Toolchain } from '@arbiter/rego/testing';
import { collect, EXIT_FAIL, EXIT_OK, EXIT_USAGE, type CliIo } from '../io';
import { loadForCli } from '../load-sources';
import { unknownEntrypoints } from '../entrypoints';

interface BuildOpts {
  output: string;
  entrypoint: string[];
  revision?: string;
}

export function registerBuild(program: Command, io: CliIo, setExit: (c: number) => void, toolchain?: Toolchain): void {
  program
    .command('build')
    .description('compile a policy directory into an OPA-format Wasm bundle (test files excluded)')
    .argument('<dir>', 'policy directory')
    .option('-o, --output <file>', 'bundle file to write', 'bundle.tar.gz')
    .option('-e, --entrypoint <path>', 'rule to export, e.g. mcp/decision or data.mcp.decision (repeatable)', collect, [])
    .option('--revision <rev>', 'revision recorded in the manifest')
    .action(async (dir: string, opts: BuildOpts) => setExit(await buildCommand(io, dir, opts, toolchain)));
}

export async function buildCommand(io: CliIo, dir: string, opts: BuildOpts, toolchain?: Toolchain): Promise<number> {
  if (opts.entrypoint.length === 0) {
    io.err('at least one -e/--entrypoint is required (e.g. -e mcp/decision)');
    return EXIT_USAGE;
  }
  const entrypoints = opts.entrypoint.map(normalizeEntrypoint);
  const tree = loadForCli(io, [dir], false);
  if (!tree) return EXIT_FAIL;
  const unknown = unknownEntrypoints(tree.modules, entrypoints);
  if (unknown.length) {
    for (const e of unknown) io.err(`entrypoint ${e} does not refer to any rule or package`);
    return EXIT_FAIL;
  }
  const tc = toolchain ?? defaultToolchain();
  const out = await tc.compile({ modules: tree.modules, entrypoints, data: tree.data });
  if (out.errors.length || !out.wasm) {
    for (const d of out.errors) io.err(formatDiagnostic(d));
    if (!out.errors.length) io.err('compiler produced no Wasm module');
    return EXIT_FAIL;
  }
  const file = path.resolve(io.cwd, opts.output);
  try {
    writeBundle(file, {
      wasm: out.wasm,
      data: tree.data,
      entrypoints,
      revision: opts.revision,
      sources: tree.modules.map((m) => ({ relPath: m.relPath, text: m.text })),
    });
  } catch (err) {
    io.err(`cannot write ${opts.output}: ${(err as Error).message}`);
    return EXIT_FAIL;
  }
  io.err(`wrote ${opts.output} (${entrypoints.join(', ')}; ${tree.modules.length} module(s), wasm ${out.wasm.byteLength} bytes)`);
  return EXIT_OK;
}
