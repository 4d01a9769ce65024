import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runConformance, formatReport } from './runner';
import { runCase, errorCode } from './run-case';
import type { ConformanceCase } from './cases';
import { toolchain as fake } from './testdata/fake-toolchain';

const fakeModule = path.join(__dirname, 'testdata', 'fake-toolchain' + path.extname(__filename));

function kase(c: Partial<ConformanceCase>): ConformanceCase {
  return { note: 't/case', query: 'data.test.p = x', hasInput: false, ...c };
}

test('direct data queries compare the entrypoint value as binding x', async () => {
  assert.deepEqual(await runCase(kase({ modules: ['# value test/p 7'], want_result: [{ x: 7 }] }), fake), { status: 'passed' });
  const wrong = await runCase(kase({ modules: ['# value test/p 8'], want_result: [{ x: 7 }] }), fake);
  assert.equal(wrong.status, 'failed');
  assert.match((wrong as { reason: string }).reason, /want \[\{"x":7\}\], got \[\{"x":8\}\]/);
  assert.deepEqual(await runCase(kase({ modules: ['# undefined test/p'], want_result: [] }), fake), { status: 'passed' });
  assert.equal((await runCase(kase({ modules: ['# undefined test/p'], want_result: [{ x: 1 }] }), fake)).status, 'failed');
});

test('input and input_term reach evaluation; a set input_term is a skip', async () => {
  const echo = { modules: ['# value test/p "$input"'] };
  assert.equal((await runCase(kase({ ...echo, hasInput: true, input: { a: 1 }, want_result: [{ x: { a: 1 } }] }), fake)).status, 'passed');
  assert.equal((await runCase(kase({ ...echo, input_term: '{"b": [1]}', want_result: [{ x: { b: [1] } }] }), fake)).status, 'passed');
  const skip = await runCase(kase({ ...echo, input_term: '{{1}}', want_result: [] }), fake);
  assert.equal(skip.status, 'skipped');
});

test('runtime errors match by code and message (location prefix of want_error ignored)', async () => {
  const thrower = { modules: ['# throw test/p eval_conflict_error: rule data.test.p produced conflicting values'] };
  assert.equal(
    (await runCase(kase({ ...thrower, want_error_code: 'eval_conflict_error', want_error: 'test-0.rego:3: eval_conflict_error: conflicting values' }), fake)).status,
    'passed',
  );
  assert.equal((await runCase(kase({ ...thrower, want_error_code: 'eval_type_error' }), fake)).status, 'failed');
  assert.equal((await runCase(kase({ ...thrower, want_error_code: 'eval_conflict_error', want_error: 'other text' }), fake)).status, 'failed');
  assert.equal((await runCase(kase({ ...thrower, want_result: [] }), fake)).status, 'failed');
  // An expected error that does not happen is a failure.
  assert.equal((await runCase(kase({ modules: ['# value test/p 1'], want_error_code: 'eval_conflict_error' }), fake)).status, 'failed');
});

test('compile errors match by diagnostic code', async () => {
  const bad = { modules: ['# compile_error 3 rego_type_error undefined function foo'] };
  assert.equal((await runCase(kase({ ...bad, want_error_code: 'rego_type_error', want_error: 'undefined function' }), fake)).status, 'passed');
  assert.equal((await runCase(kase({ ...bad, want_result: [{ x: 1 }] }), fake)).status, 'failed');
});

test('strict_error cases: non-strict gives want_result or undefined; with strictErrors strict mode raises the error', async () => {
  const c = { want_error_code: 'eval_builtin_error', want_error: 'divide by zero', strict_error: true };
  const strict = { strictErrors: true };
  assert.equal((await runCase(kase({ ...c, modules: ['# strict_throw test/p div: divide by zero'] }), fake, strict)).status, 'passed');
  // Undefined in both modes: passes non-strict, but the strict error is missing.
  assert.equal((await runCase(kase({ ...c, modules: ['# undefined test/p'] }), fake)).status, 'passed');
  const noStrict = await runCase(kase({ ...c, modules: ['# undefined test/p'] }), fake, strict);
  assert.match((noStrict as { reason: string }).reason, /strict mode: want error/);
  // Wrong message in strict mode.
  assert.equal((await runCase(kase({ ...c, modules: ['# strict_throw test/p something else'] }), fake, strict)).status, 'failed');
  // Non-strict result must match want_result (undefined when absent).
  assert.equal((await runCase(kase({ ...c, modules: ['# value test/p 1'] }), fake)).status, 'failed');
  // An error in non-strict mode is a failure.
  assert.equal((await runCase(kase({ ...c, modules: ['# throw test/p eval_builtin_error: div: divide by zero'] }), fake)).status, 'failed');
});

test('other queries go through the query compiler (entrypoint of the generated module)', async () => {
  const v = await runCase(kase({ query: 'data.x.p = input', modules: ['# value __arbiter_query__/__bindings__ [{}]'], want_result: [{}] }), fake);
  assert.deepEqual(v, { status: 'passed' });
  const single = await runCase(kase({ query: '1 / 0', modules: ['# value __arbiter_query__/__bindings__ []'], want_result: [] }), fake);
  assert.deepEqual(single, { status: 'passed' });
});

test('errorCode finds the code in thrown messages', () => {
  assert.equal(errorCode('eval_conflict_error: x'), 'eval_conflict_error');
  assert.equal(errorCode('policy.wasm: eval_builtin_error: div: divide by zero'), 'eval_builtin_error');
  assert.equal(errorCode('boom'), undefined);
  assert.equal(errorCode(Object.assign(new Error('boom'), { code: 'eval_type_error' })), 'eval_type_error');
});

function writeCases(root: string, folder: string, file: string, cases: unknown[]): void {
  fs.mkdirSync(path.join(root, folder), { recursive: true });
  fs.writeFileSync(path.join(root, folder, file), JSON.stringify({ cases }));
}

test('worker mode: per-folder counts, skips with reasons, a hanging case times out and the run goes on', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arbiter-conf-'));
  writeCases(root, 'alpha', 'a.yaml', [
    { note: 'alpha/ok', query: 'data.test.p = x', modules: ['# value test/p 1'], want_result: [{ x: 1 }] },
    { note: 'alpha/hang', query: 'data.test.p = x', modules: ['# hang test/p'], want_result: [] },
    { note: 'alpha/after', query: 'data.test.p = x', modules: ['# value test/p 2'], want_result: [{ x: 2 }] },
  ]);
  writeCases(root, 'beta', 'b.yaml', [{ note: 'beta/skip', query: 'data.test.p = x', input_term: '{{1}}', want_result: [] }]);
  fs.writeFileSync(path.join(root, 'beta', 'broken.yaml'), 'cases: [');
  const report = await runConformance(root, { toolchainModule: fakeModule, timeoutMs: 1500 });
  assert.deepEqual(report.total, { passed: 2, failed: 2, skipped: 1 });
  assert.equal(report.folders.alpha.passed, 2);
  assert.deepEqual(report.folders.alpha.failures.map((f) => f.note), ['alpha/hang']);
  assert.match(report.folders.alpha.failures[0].reason, /timeout after 1500ms/);
  assert.equal(report.folders.beta.skips[0].note, 'beta/skip');
  assert.match(report.folders.beta.failures[0].reason, /cannot read case file/);
  const text = formatReport(report);
  assert.match(text, /^alpha: 2 passed, 1 failed, 0 skipped$/m);
  assert.match(text, /SKIP beta\/skip: input_term contains a set/);
  assert.match(text, /^total: 2 passed, 2 failed, 1 skipped/m);
  fs.rmSync(root, { recursive: true });
});
