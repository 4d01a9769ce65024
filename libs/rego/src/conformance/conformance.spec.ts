// Runs the OPA conformance cases (../shared/conformance beside the repository) with Arbiter's
// compiler and fails if fewer pass than the recorded floor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runConformance, formatReport } from './runner';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || dir.endsWith(`${path.sep}dist`)) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

const suiteDir = path.join(repoRoot(), '..', 'shared', 'conformance', 'opa-v1');
const floorFile = path.join(repoRoot(), 'libs', 'rego', 'src', 'conformance', 'floor.json');

test('OPA conformance: passed count stays at or above the floor', { skip: fs.existsSync(suiteDir) ? false : `no suite at ${suiteDir}` }, async () => {
  const floor = (JSON.parse(fs.readFileSync(floorFile, 'utf8')) as { passed: number }).passed;
  const report = await runConformance(suiteDir, { timeoutMs: 15_000 });
  const t = report.total;
  console.log(formatReport(report, false).split('\n').filter((l) => !l.startsWith('  ')).join('\n'));
  assert.ok(t.passed + t.failed + t.skipped > 0, 'no cases were found');
  assert.ok(t.passed >= floor, `${t.passed} cases passed, below the floor of ${floor} (${floorFile})`);
});
