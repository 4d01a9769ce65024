// Where the compile golden files live, both under tsx (next to the source) and from the
// compiled dist/ copy (which has no testdata of its own).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const COMPILER_TESTDATA =
  [join(__dirname, 'testdata'), join(__dirname, '../../../../../libs/rego/src/compiler/testdata')].find((d) => existsSync(d)) ??
  join(__dirname, 'testdata');
