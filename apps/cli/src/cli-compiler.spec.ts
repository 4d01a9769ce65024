// The CLI with Arbiter's real compiler and host (cli.spec.ts covers the CLI's own logic).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBundle } from '@arbiter/rego/bundle';
import { loadPolicy } from '@arbiter/rego/host';
import { runCli } from './main';
import type { CliIo } from './io';

function capture(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbiter-cli-real-'));
  fs.mkdirSync(path.join(dir, 'pol', 'limits'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'pol', 'limits', 'data.yaml'), 'max: 2\n');
  fs.writeFileSync(
    path.join(dir, 'pol', 'gate.rego'),
    'package gate\n\ndefault allow := false\n\nallow if input.n <= data.limits.max\n\nreasons contains "too_many" if not allow\n',
  );
  fs.writeFileSync(
    path.join(dir, 'pol', 'gate_test.rego'),
    'package gate_test\n\nimport data.gate\n\ntest_small if gate.allow with input as {"n": 1}\n\ntest_big if not gate.allow with input as {"n": 5}\n\ntest_wrong if {\n  print("n is", 5)\n  gate.allow with input as {"n": 5}\n}\n',
  );
  return dir;
}

test('arbiter test runs real Rego tests', async () => {
  const dir = project();
  const io = capture(dir);
  assert.equal(await runCli(['test', 'pol'], io), 1, io.stderr.join('\n'));
  assert.deepEqual(io.stdout, [
    `PASS data.gate_test.test_small ${path.join('pol', 'gate_test.rego')}:5`,
    `PASS data.gate_test.test_big ${path.join('pol', 'gate_test.rego')}:7`,
    `FAIL data.gate_test.test_wrong ${path.join('pol', 'gate_test.rego')}:9: undefined`,
    '  n is 5',
    '2 passed, 1 failed',
  ]);
  fs.rmSync(dir, { recursive: true });
});

test('arbiter eval and check with the real compiler', async () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'in.json'), '{"n": 3}');
  const io = capture(dir);
  assert.equal(await runCli(['eval', '-d', 'pol', '-i', 'in.json', 'a := data.gate.allow; r := data.gate.reasons'], io), 0, io.stderr.join('\n'));
  assert.deepEqual(JSON.parse(io.stdout.join('\n')), [{ a: false, r: ['too_many'] }]);
  const rt = capture(dir);
  assert.equal(await runCli(['eval', '1 / 0'], rt), 0);
  assert.deepEqual(JSON.parse(rt.stdout.join('\n')), []);
  fs.writeFileSync(path.join(dir, 'pol', 'bad.rego'), 'package bad\n\np if {\n  x > 1\n}\n');
  const chk = capture(dir);
  assert.equal(await runCli(['check', 'pol'], chk), 1);
  assert.ok(chk.stdout.length > 0);
  for (const line of chk.stdout) assert.match(line, /^pol\/bad\.rego:\d+:\d+: rego_[a-z_]+_error: .+/);
  fs.rmSync(dir, { recursive: true });
});

test('arbiter build writes a bundle the host loads and evaluates', async () => {
  const dir = project();
  const io = capture(dir);
  assert.equal(await runCli(['build', 'pol', '-o', 'b.tar.gz', '-e', 'gate/allow', '-e', 'data.gate.reasons', '--revision', '7'], io), 0, io.stderr.join('\n'));
  const b = await readBundle(path.join(dir, 'b.tar.gz'));
  assert.deepEqual(b.data, { limits: { max: 2 } });
  assert.equal(b.manifest.revision, '7');
  const policy = await loadPolicy(b.wasm!, { data: b.data });
  assert.deepEqual(policy.evaluate({ n: 1 }, 'gate/allow').result, [{ result: true }]);
  assert.deepEqual(policy.evaluate({ n: 9 }, 'gate/reasons').result, [{ result: ['too_many'] }]);
  fs.rmSync(dir, { recursive: true });
});

test('arbiter eval shows print() output and builtin errors on stderr', async () => {
  const dir = project();
  const io = capture(dir);
  assert.equal(await runCli(['eval', 'print("n is", 5); x := json.unmarshal("{")'], io), 0);
  assert.deepEqual(JSON.parse(io.stdout.join('\n')), []);
  assert.equal(io.stderr[0], 'n is 5');
  assert.match(io.stderr[1], /^warning: json\.unmarshal: .* \(the expression was undefined\)$/);
  fs.rmSync(dir, { recursive: true });
});

test('arbiter check reports the errors of every rule in one run, in file order', async () => {
  const dir = project();
  fs.writeFileSync(
    path.join(dir, 'pol', 'broken.rego'),
    'package broken\n\nu := nope(1)\n\nh := count("a", "b")\n\nt if { not z }\n\np if q\nq if p\n\ns := upper(1)\n',
  );
  const io = capture(dir);
  assert.equal(await runCli(['check', 'pol'], io), 1);
  const file = path.join('pol', 'broken.rego');
  assert.deepEqual(io.stdout.map((l) => l.split('\n')[0]), [
    `${file}:3:6: rego_type_error: undefined function nope`,
    `${file}:5:6: rego_type_error: count: too many arguments (have 2, want 1)`,
    `${file}:7:12: rego_unsafe_var_error: var z is unsafe`,
    `${file}:9:1: rego_recursion_error: rule data.broken.p is recursive: data.broken.p -> data.broken.q -> data.broken.p`,
    `${file}:12:6: rego_type_error: upper: invalid argument(s)`,
  ]);
  assert.equal(io.stderr.at(-1), '5 error(s)');
  fs.rmSync(dir, { recursive: true });
});
