// Turns CLI path arguments into modules + data, printing load errors the way `check` prints
// compile errors (file:line:col: code: message). File names are shown relative to the cwd.
import * as path from 'node:path';
import { loadSourceTree, formatSourceError, type SourceTree } from '@arbiter/rego/bundle';
import type { CliIo } from './io';

export function loadForCli(io: CliIo, paths: string[], includeTests: boolean): SourceTree | undefined {
  const display = (f: string) => path.relative(io.cwd, f) || f;
  const tree = loadSourceTree(paths.map((p) => path.resolve(io.cwd, p)), { includeTests });
  for (const m of tree.modules) m.file = display(m.file);
  for (const d of tree.dataFiles) d.file = display(d.file);
  if (tree.errors.length) {
    for (const e of tree.errors) io.err(formatSourceError({ ...e, file: display(e.file) }));
    return undefined;
  }
  return tree;
}
