#!/usr/bin/env node
// The `arbiter` command line: test, eval, check and build Rego policies with Arbiter's compiler.
import { Command, CommanderError } from 'commander';
import type { Toolchain } from '@arbiter/rego/testing';
import { processIo, EXIT_USAGE, type CliIo } from './io';
import { registerTest } from './commands/test';
import { registerEval } from './commands/eval';
import { registerCheck } from './commands/check';
import { registerBuild } from './commands/build';

export function buildProgram(io: CliIo, setExit: (c: number) => void, toolchain?: Toolchain): Command {
  const program = new Command('arbiter')
    .description('Arbiter policy toolchain: Rego compiled to WebAssembly')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
  registerTest(program, io, setExit, toolchain);
  registerEval(program, io, setExit, toolchain);
  registerCheck(program, io, setExit, toolchain);
  registerBuild(program, io, setExit, toolchain);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI on `args` (without node and script) and resolves to the exit code. */
export async function runCli(args: string[], io: CliIo = processIo, toolchain?: Toolchain): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c), toolchain);
  if (args.length === 0) {
    program.outputHelp();
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are successes; anything else commander rejects is bad usage.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    io.err(`arbiter: internal error: ${(err as Error).stack ?? String(err)}`);
    return 1;
  }
  return code;
}

if (require.main === module) {
  // exitCode (not exit()) so piped stdout is flushed before the process ends.
  runCli(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
