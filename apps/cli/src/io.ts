// Where the CLI writes: injected so commands can be run and checked in-process by tests.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  cwd: process.cwd(),
};

/** Exit codes: 0 ok, 1 policy/test/compile failure, 2 bad usage or unreadable input. */
export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

/** Commander's repeatable-option collector. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
