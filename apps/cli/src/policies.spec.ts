// The default policy pack's own Rego tests, run with Arbiter's compiler (as `arbiter test policies`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic } from '@arbiter/rego/diagnostics';
import { formatSourceError } from '@arbiter/rego/bundle';
import { runTestPaths } from '@arbiter/rego/testing';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

test('policies/: every Rego test passes', async () => {
  const run = await runTestPaths([path.join(repoRoot(), 'policies')]);
  assert.deepEqual(run.loadErrors.map(formatSourceError), []);
  assert.deepEqual(run.compileErrors.map(formatDiagnostic), []);
  assert.ok(run.results.length > 0, 'the policy pack has no test_* rules');
  const bad = run.results.filter((r) => r.status !== 'pass').map((r) => `${r.status.toUpperCase()} ${r.name} ${r.file}:${r.line} ${r.message ?? ''}`);
  assert.deepEqual(bad, []);
});
