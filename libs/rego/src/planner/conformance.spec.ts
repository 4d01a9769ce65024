// OPA conformance cases through parse → compileModules → IR interpreter, per folder.
// Folders exercising string builtins are reported but not counted in the floor: the
// interpreter's builtin set is deliberately small (the Wasm back end has the real ones).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { loadCases, runCase, type CaseResult } from './conformance-harness';

const ROOT = '/work/shared/conformance/opa-v1';
const STRING_FOLDERS = new Set(['strings', 'sprintf', 'trim', 'trimprefix', 'trimspace', 'trimsuffix']);
/** Raise as the planner improves. */
const FLOOR = 0.99;

test('conformance through the IR interpreter', { skip: !fs.existsSync(ROOT) && 'no conformance cases' }, () => {
  const results: CaseResult[] = loadCases(ROOT).map(({ folder, c }) => runCase(folder, c));
  const byFolder = new Map<string, CaseResult[]>();
  for (const r of results) byFolder.set(r.folder, [...(byFolder.get(r.folder) ?? []), r]);
  let pass = 0;
  let counted = 0;
  for (const [folder, rs] of byFolder) {
    const n = (s: string) => rs.filter((r) => r.status === s).length;
    console.log(`${folder.padEnd(28)} passed ${n('pass')} failed ${n('fail')} skipped ${n('skip')}`);
    for (const r of rs) if (r.status !== 'pass') console.log(`    ${r.status}: ${r.note}: ${r.reason}`);
    if (!STRING_FOLDERS.has(folder)) {
      pass += n('pass');
      counted += rs.length;
    }
  }
  const rate = pass / counted;
  console.log(`non-string folders: ${pass}/${counted} passed (${(rate * 100).toFixed(1)}%)`);
  assert.ok(rate >= FLOOR, `pass rate ${rate} below floor ${FLOOR}`);
});
