import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBundle } from '@arbiter/rego/bundle';
import { toolchain as fake } from '@arbiter/rego/conformance/testdata/fake-toolchain';
import { runCli } from './main';
import type { CliIo } from './io';

function capture(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbiter-cli-'));
  fs.mkdirSync(path.join(dir, 'policies', 'catalog'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'policies', 'catalog', 'data.yaml'), 'tools: [read]\n');
  fs.writeFileSync(
    path.join(dir, 'policies', 'decision.rego'),
    'package mcp\n# value __arbiter_query__/__bindings__ [{"x": 1, "y": 2}]\ndecision := {"allow": true}\n',
  );
  fs.writeFileSync(
    path.join(dir, 'policies', 'decision_test.rego'),
    'package mcp\n# value mcp/test_ok true\n# undefined mcp/test_bad\n\ntest_ok if { decision.allow }\n\ntest_bad if { not decision.allow }\n',
  );
  return dir;
}

test('arbiter test: PASS/FAIL lines with file:line, the summary line, exit 1 on failure', async () => {
  const dir = project();
  const io = capture(dir);
  const code = await runCli(['test', 'policies'], io, fake);
  assert.equal(code, 1);
  assert.deepEqual(io.stdout, [
    `PASS data.mcp.test_ok ${path.join('policies', 'decision_test.rego')}:5`,
    `FAIL data.mcp.test_bad ${path.join('policies', 'decision_test.rego')}:7: undefined`,
    '1 passed, 1 failed',
  ]);
  const ok = capture(dir);
  assert.equal(await runCli(['test', 'policies', '--run', 'test_ok'], ok, fake), 0);
  assert.equal(ok.stdout.at(-1), '1 passed, 0 failed');
  fs.rmSync(dir, { recursive: true });
});

test('arbiter test --format json and usage errors', async () => {
  const dir = project();
  const io = capture(dir);
  assert.equal(await runCli(['test', 'policies', '--format', 'json'], io, fake), 1);
  const parsed = JSON.parse(io.stdout.join('\n'));
  assert.deepEqual(parsed.summary, { passed: 1, failed: 1, errored: 0 });
  assert.equal(parsed.results[1].status, 'fail');
  assert.equal(parsed.results[1].line, 7);
  const bad = capture(dir);
  assert.equal(await runCli(['test', 'policies', '--run', '('], bad, fake), 2);
  assert.match(bad.stderr[0], /invalid --run/);
  assert.equal(await runCli(['test', 'policies', '--format', 'xml'], capture(dir), fake), 2);
  fs.rmSync(dir, { recursive: true });
});

test('arbiter test and check print compile errors as file:line:col: code: message', async () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'policies', 'broken.rego'), 'package mcp\n# compile_error 3 rego_unsafe_var_error var z is unsafe\nbad if { z }\n');
  const t = capture(dir);
  assert.equal(await runCli(['test', 'policies'], t, fake), 1);
  assert.ok(t.stderr.includes(`${path.join('policies', 'broken.rego')}:3:1: rego_unsafe_var_error: var z is unsafe`), t.stderr.join('\n'));
  assert.equal(t.stdout.at(-1), '0 passed, 0 failed');
  const c = capture(dir);
  assert.equal(await runCli(['check', 'policies'], c, fake), 1);
  assert.deepEqual(c.stdout, [`${path.join('policies', 'broken.rego')}:3:1: rego_unsafe_var_error: var z is unsafe`]);
  fs.rmSync(path.join(dir, 'policies', 'broken.rego'));
  assert.equal(await runCli(['check', 'policies'], capture(dir), fake), 0);
  fs.writeFileSync(path.join(dir, 'policies', 'syntax.rego'), 'package mcp\np if {\n');
  const s = capture(dir);
  assert.equal(await runCli(['test', 'policies'], s, fake), 1);
  assert.match(s.stderr[0], /^policies\/syntax\.rego:\d+:\d+: rego_parse_error: /);
  fs.rmSync(dir, { recursive: true });
});

test('arbiter build writes an OPA-format bundle without test files', async () => {
  const dir = project();
  const io = capture(dir);
  assert.equal(await runCli(['build', 'policies', '-o', 'out.tar.gz', '-e', 'data.mcp.decision', '-e', 'mcp', '--revision', 'r1'], io, fake), 0);
  const b = await readBundle(path.join(dir, 'out.tar.gz'));
  assert.ok(b.wasm && b.wasm.byteLength > 0);
  assert.deepEqual(b.data, { catalog: { tools: ['read'] } });
  assert.equal(b.manifest.revision, 'r1');
  assert.deepEqual(b.manifest.wasm?.map((w) => w.entrypoint), ['mcp/decision', 'mcp']);
  assert.ok(b.files['/decision.rego']);
  assert.equal(b.files['/decision_test.rego'], undefined);
  const unknown = capture(dir);
  assert.equal(await runCli(['build', 'policies', '-e', 'mcp/nope', '-o', 'x.tar.gz'], unknown, fake), 1);
  assert.deepEqual(unknown.stderr, ['entrypoint mcp/nope does not refer to any rule or package']);
  assert.equal(fs.existsSync(path.join(dir, 'x.tar.gz')), false);
  const noEntry = capture(dir);
  assert.equal(await runCli(['build', 'policies'], noEntry, fake), 2);
  assert.match(noEntry.stderr[0], /entrypoint/);
  fs.rmSync(dir, { recursive: true });
});

test('arbiter eval prints binding sets as JSON; bad input and unknown paths fail clearly', async () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'input.json'), '{"tool": {"name": "read"}}');
  const io = capture(dir);
  assert.equal(await runCli(['eval', '-d', 'policies', '-i', 'input.json', 'x := 1; y := x + 1'], io, fake), 0);
  assert.deepEqual(JSON.parse(io.stdout.join('\n')), [{ x: 1, y: 2 }]);
  fs.writeFileSync(path.join(dir, 'bad.json'), '{');
  const bad = capture(dir);
  assert.equal(await runCli(['eval', '-d', 'policies', '-i', 'bad.json', 'data.mcp'], bad, fake), 2);
  assert.match(bad.stderr[0], /bad\.json: cannot read input/);
  const missing = capture(dir);
  assert.equal(await runCli(['eval', '-d', 'nowhere', 'data.mcp'], missing, fake), 1);
  assert.match(missing.stderr[0], /^nowhere:1:1: io_error: /);
  const parse = capture(dir);
  assert.equal(await runCli(['eval', '-d', 'policies', 'x := '], parse, fake), 1);
  assert.match(parse.stderr[0], /^<query>:1:\d+: rego_parse_error: /);
  const undef = capture(dir);
  fs.writeFileSync(path.join(dir, 'policies', 'decision.rego'), 'package mcp\n');
  assert.equal(await runCli(['eval', '-d', 'policies', '--fail', 'data.mcp.nope'], undef, fake), 1);
  assert.deepEqual(JSON.parse(undef.stdout.join('\n')), []);
  fs.rmSync(dir, { recursive: true });
});

test('usage: no arguments or an unknown command exit 2; --help exits 0', async () => {
  const dir = os.tmpdir();
  assert.equal(await runCli([], capture(dir), fake), 2);
  assert.equal(await runCli(['frobnicate'], capture(dir), fake), 2);
  const help = capture(dir);
  assert.equal(await runCli(['eval', '--help'], help, fake), 0);
  assert.match(help.stdout.join('\n'), /binding sets/);
});

test('bin/arbiter.js asks for a build when dist/ is missing', async () => {
  const { spawnSync } = await import('node:child_process');
  let root = __dirname;
  while (!fs.existsSync(path.join(root, 'bin', 'arbiter.js'))) root = path.dirname(root);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arbiter-bin-'));
  fs.mkdirSync(path.join(tmp, 'bin'));
  fs.copyFileSync(path.join(root, 'bin', 'arbiter.js'), path.join(tmp, 'bin', 'arbiter.js'));
  const r = spawnSync(process.execPath, [path.join(tmp, 'bin', 'arbiter.js'), '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /run `npm run build` first/);
  fs.rmSync(tmp, { recursive: true });
});
