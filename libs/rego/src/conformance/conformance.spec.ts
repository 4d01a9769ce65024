// Runs the OPA conformance cases (../shared/conformance beside the repository) with Arbiter's
// compiler and fails if fewer pass than the recorded floors: evaluated by Arbiter's host loader
// (default and strict builtin errors) and by plain @open-policy-agent/opa-wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runConformance, formatReport, type ConformanceOptions } from './runner';

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
const skip = fs.existsSync(suiteDir) ? false : `no suite at ${suiteDir}`;

type FloorKey = 'arbiter' | 'arbiterStrict' | 'opaWasm';

async function checkFloor(key: FloorKey, opts: ConformanceOptions): Promise<void> {
  const floor = (JSON.parse(fs.readFileSync(floorFile, 'utf8')) as Record<FloorKey, unknown>)[key];
  assert.equal(typeof floor, 'number', `floor.json lacks a numeric "${key}"`);
  const report = await runConformance(suiteDir, { timeoutMs: 15_000, ...opts });
  const t = report.total;
  console.log(`[${key}] ` + formatReport(report, false).split('\n').filter((l) => l.startsWith('total')).join('\n'));
  for (const [folder, f] of Object.entries(report.folders)) for (const x of f.failures) console.log(`  FAIL ${folder}: ${x.note}: ${x.reason}`);
  assert.ok(t.passed + t.failed + t.skipped > 0, 'no cases were found');
  assert.ok(t.passed >= (floor as number), `${key}: ${t.passed} cases passed, below the floor of ${floor} (${floorFile})`);
}

test('OPA conformance (Arbiter loader): passed count stays at or above the floor', { skip }, () => checkFloor('arbiter', {}));

test('OPA conformance (Arbiter loader, strict builtin errors): at or above the floor', { skip }, () =>
  checkFloor('arbiterStrict', { strictErrors: true }));

test('OPA conformance (plain @open-policy-agent/opa-wasm loader): at or above the floor', { skip }, () =>
  checkFloor('opaWasm', { loader: 'opa-wasm' }));
