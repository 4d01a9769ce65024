// Golden tests: testdata/<name>.rego → <name>.ast.json (parsed AST, locations as "line:col@offset")
// or <name>.errors.txt (one formatted diagnostic per line). UPDATE_GOLDEN=1 rewrites them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../diagnostics';
import { parseModule } from './index';
import { TESTDATA_DIR } from './testdata-dir';

const DIR = TESTDATA_DIR;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function render(value: unknown): string {
  const json = JSON.stringify(
    value,
    (key, v) => (key === 'loc' && v && typeof v === 'object' ? `${v.line}:${v.col}@${v.offset}` : v),
    2,
  );
  return json + '\n';
}

const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.rego'))
  .map((f) => f.slice(0, -'.rego'.length))
  .sort();

test('there are golden cases', () => {
  assert.ok(names.length >= 15, `only ${names.length} golden cases`);
  assert.ok(names.filter((n) => existsSync(join(DIR, `${n}.errors.txt`))).length >= 3, 'need error cases');
});

for (const name of names) {
  test(`golden ${name}`, () => {
    const file = `${name}.rego`;
    const { module, errors } = parseModule(file, readFileSync(join(DIR, file), 'utf8'));
    const astPath = join(DIR, `${name}.ast.json`);
    const errPath = join(DIR, `${name}.errors.txt`);
    const [outPath, otherPath, actual] = errors.length
      ? [errPath, astPath, errors.map(formatDiagnostic).join('\n') + '\n']
      : [astPath, errPath, render(module)];
    if (UPDATE) {
      writeFileSync(outPath, actual);
      rmSync(otherPath, { force: true });
      return;
    }
    assert.ok(!existsSync(otherPath), `${name}: expected ${otherPath.endsWith('.txt') ? 'errors' : 'a clean parse'}, got the other`);
    assert.ok(existsSync(outPath), `${name}: missing golden ${outPath} (run with UPDATE_GOLDEN=1)`);
    assert.equal(actual, readFileSync(outPath, 'utf8'));
  });
}
