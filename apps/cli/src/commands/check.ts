// `arbiter check <paths...>`: parses and compiles every module; prints each error as
// file:line:col: code: message.
import type { Command } from 'commander';
import { formatDiagnostic } from '@arbiter/rego/diagnostics';
import { defaultToolchain, type Toolchain } from '@arbiter/rego/testing';
import { EXIT_FAIL, EXIT_OK, type CliIo } from '../io';
import { loadForCli } from '../load-sources';

export function registerCheck(program: Command, io: CliIo, setExit: (c: number) => void, toolchain?: Toolchain): void {
  program
    .command('check')
    .description('compile policies without running them and report every error')
    .argument('<paths...>', 'policy directories or files')
    .action(async (paths: string[]) => setExit(await checkCommand(io, paths, toolchain)));
}

export async function checkCommand(io: CliIo, paths: string[], toolchain?: Toolchain): Promise<number> {
  const tree = loadForCli(io, paths, true);
  if (!tree) return EXIT_FAIL;
  const tc = toolchain ?? defaultToolchain();
  const out = await tc.compile({ modules: tree.modules, entrypoints: [], data: tree.data });
  for (const d of out.errors) io.out(formatDiagnostic(d));
  if (out.errors.length) {
    io.err(`${out.errors.length} error(s)`);
    return EXIT_FAIL;
  }
  io.err(`${tree.modules.length} module(s) OK`);
  return EXIT_OK;
}
