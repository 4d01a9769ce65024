// Where the golden files live, both under tsx (next to the source) and from the compiled
// dist/ copy (which has no testdata of its own).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const TESTDATA_DIR =
  [join(__dirname, 'testdata'), join(__dirname, '../../../../../libs/rego/src/syntax/testdata')].find((d) =>
    existsSync(d),
  ) ?? join(__dirname, 'testdata');
