// Golden tests for the compile stages: testdata/<name>.rego compiles either to errors
// (<name>.errors.txt, one `file:line:col: code: message` per diagnostic, in report order) or to
// IR (<name>.ir.txt, printed by planner/ir-print). Entrypoints come from a first-line comment
// `# entrypoints: a/b c/d`. UPDATE_GOLDEN=1 rewrites the golden files.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatDiagnostic } from '../diagnostics';
import { printPolicy } from '../planner/ir-print';
import { parseModule } from '../syntax';
import { compileModules } from './index';
import { COMPILER_TESTDATA as DIR } from './testdata-dir';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.rego'))
  .map((f) => f.slice(0, -'.rego'.length))
  .sort();

test('golden cases cover every compile error code', () => {
  const errorFiles = names.filter((n) => existsSync(join(DIR, `${n}.errors.txt`)));
  assert.ok(errorFiles.length >= 15, `only ${errorFiles.length} error cases`);
  assert.ok(names.length - errorFiles.length >= 3, 'need IR cases');
  const all = errorFiles.map((n) => readFileSync(join(DIR, `${n}.errors.txt`), 'utf8')).join('');
  for (const code of ['rego_compile_error', 'rego_unsafe_var_error', 'rego_recursion_error', 'rego_type_error']) {
    assert.ok(all.includes(`: ${code}: `), `no golden case for ${code}`);
  }
});

for (const name of names) {
  test(`compile golden ${name}`, () => {
    const file = `${name}.rego`;
    const text = readFileSync(join(DIR, file), 'utf8');
    const eps = /^# entrypoints:(.*)$/m.exec(text)?.[1].trim().split(/\s+/).filter(Boolean) ?? [];
    const { module, errors: parseErrors } = parseModule(file, text);
    assert.ok(module, `${name}: parse errors ${JSON.stringify(parseErrors)}`);
    const { policy, errors } = compileModules([module], { entrypoints: eps });
    const errPath = join(DIR, `${name}.errors.txt`);
    const irPath = join(DIR, `${name}.ir.txt`);
    const [outPath, otherPath, actual] = errors.length
      ? [errPath, irPath, errors.map(formatDiagnostic).join('\n') + '\n']
      : [irPath, errPath, printPolicy(policy!)];
    if (UPDATE) {
      writeFileSync(outPath, actual);
      rmSync(otherPath, { force: true });
      return;
    }
    assert.ok(!existsSync(otherPath), `${name}: expected ${otherPath.endsWith('.ir.txt') ? 'IR' : 'errors'}, got the other`);
    assert.ok(existsSync(outPath), `${name}: missing golden ${outPath} (run with UPDATE_GOLDEN=1)`);
    assert.equal(actual, readFileSync(outPath, 'utf8'));
  });
}
