import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverTests, runTests, runTestPaths, parseRunFilter } from './index';
import { toolchain as fake } from '../conformance/testdata/fake-toolchain';

const MOD = `package mcp.rules
# value mcp/rules/test_pass true
# value mcp/rules/test_false false
# undefined mcp/rules/test_undefined
# throw mcp/rules/test_boom eval_conflict_error: conflicting values
# value mcp/rules/test_object {"a": 1}

test_pass if { true }

test_false if { false }

test_undefined if { input.nope }

test_boom if { true }

test_object := {"a": 1}

helper_test_not_a_test := 1

test_fn(x) := x
`;

test('discovery finds test_* complete rules with file:line, once per name', () => {
  const d = discoverTests([
    { file: 'a_test.rego', text: MOD },
    { file: 'b.rego', text: 'package other\n\ntest_x if { true }\n\ntest_x if { 1 == 1 }\n' },
  ]);
  assert.deepEqual(d.errors, []);
  assert.deepEqual(
    d.tests.map((t) => `${t.name} ${t.entrypoint} ${t.file}:${t.line}`),
    [
      'data.mcp.rules.test_pass mcp/rules/test_pass a_test.rego:8',
      'data.mcp.rules.test_false mcp/rules/test_false a_test.rego:10',
      'data.mcp.rules.test_undefined mcp/rules/test_undefined a_test.rego:12',
      'data.mcp.rules.test_boom mcp/rules/test_boom a_test.rego:14',
      'data.mcp.rules.test_object mcp/rules/test_object a_test.rego:16',
      'data.other.test_x other/test_x b.rego:3',
    ],
  );
});

test('outcomes: defined and not false passes; false/undefined fail; throws error', async () => {
  const run = await runTests([{ file: 'a_test.rego', text: MOD }], {}, { toolchain: fake });
  const by = Object.fromEntries(run.results.map((r) => [r.name.split('.').pop(), [r.status, r.message]]));
  assert.deepEqual(by, {
    test_pass: ['pass', undefined],
    test_false: ['fail', 'false'],
    test_undefined: ['fail', 'undefined'],
    test_boom: ['error', 'eval_conflict_error: conflicting values'],
    test_object: ['pass', undefined],
  });
  assert.deepEqual(run.counts, { passed: 2, failed: 2, errored: 1 });
  assert.ok(run.results.every((r) => r.durationMs >= 0));
});

test('--run filters by full name', async () => {
  const run = await runTests([{ file: 'a_test.rego', text: MOD }], {}, { toolchain: fake, run: parseRunFilter('test_(pass|false)$') });
  assert.deepEqual(run.results.map((r) => r.name), ['data.mcp.rules.test_pass', 'data.mcp.rules.test_false']);
  assert.throws(() => parseRunFilter('('), /invalid --run/);
  assert.equal(parseRunFilter(''), undefined);
});

test('parse and compile errors stop the run and are reported with locations', async () => {
  const parse = await runTests([{ file: 'bad.rego', text: 'package x\n\ntest_a if {\n' }], {}, { toolchain: fake });
  assert.equal(parse.results.length, 0);
  assert.equal(parse.compileErrors[0].code, 'rego_parse_error');
  assert.equal(parse.compileErrors[0].file, 'bad.rego');
  const compile = await runTests(
    [{ file: 'c.rego', text: 'package x\n# compile_error 3 rego_unsafe_var_error var y is unsafe\ntest_a if { y }\n' }],
    {},
    { toolchain: fake },
  );
  assert.deepEqual(compile.compileErrors, [{ code: 'rego_unsafe_var_error', message: 'var y is unsafe', file: 'c.rego', line: 3, col: 1 }]);
});

test('runTestPaths loads modules and data by directory; data conflicts are load errors', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbiter-tests-'));
  fs.mkdirSync(path.join(dir, 'cfg'));
  fs.writeFileSync(path.join(dir, 'cfg', 'data.yaml'), 'limit: 3\n');
  fs.writeFileSync(path.join(dir, 'p_test.rego'), 'package p\n# value p/test_data "$data"\ntest_data if { data.cfg.limit == 3 }\n');
  let seen: unknown;
  const spy = { ...fake, loadPolicy: (w: Uint8Array, o?: { data?: unknown }) => ((seen = o?.data), fake.loadPolicy(w, o)) };
  const run = await runTestPaths([dir], { toolchain: spy });
  assert.deepEqual(run.loadErrors, []);
  assert.deepEqual(seen, { cfg: { limit: 3 } });
  assert.equal(run.results[0].status, 'pass');
  fs.writeFileSync(path.join(dir, 'data.json'), '{"cfg": 1}');
  const bad = await runTestPaths([dir], { toolchain: fake });
  assert.equal(bad.loadErrors[0].code, 'data_conflict_error');
  fs.rmSync(dir, { recursive: true });
});
