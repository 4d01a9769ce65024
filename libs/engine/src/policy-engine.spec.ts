import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packTar } from '@arbiter/rego/bundle/tar-format';
import { PolicyEngine, type EngineOptions } from './policy-engine';
import { fakeCompiler, fakeHost } from './testing-fakes';

let dir: string;
const engines: PolicyEngine[] = [];

function engine(extra: Partial<EngineOptions> = {}): PolicyEngine {
  const e = new PolicyEngine({
    location: { kind: 'directory', path: dir },
    entrypoint: 'mcp/decision',
    evalTimeoutMs: 20,
    compiler: fakeCompiler,
    host: fakeHost,
    watch: false,
    ...extra,
  });
  engines.push(e);
  return e;
}
const allow = 'package mcp\n# result: {"decision":"allow","reasons":[]}\n';
const deny = 'package mcp\n# result: {"decision":"deny","reasons":[{"code":"nope","message":"no"}]}\n';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'engine-'));
});
afterEach(() => {
  while (engines.length) engines.pop()!.close();
  rmSync(dir, { recursive: true, force: true });
});

test('without a loaded policy every evaluation denies with policy_unavailable', async () => {
  const e = engine();
  const r = await e.start();
  assert.equal(r.result, 'failure');
  const ev = e.evaluate({}, 1);
  assert.equal(ev.verdict.decision, 'deny');
  assert.equal(ev.verdict.reasons[0].code, 'policy_unavailable');
  assert.equal(e.status().loaded, false);
});

test('loads a directory, evaluates, and the revision is a content hash', async () => {
  writeFileSync(join(dir, 'p.rego'), allow);
  const e = engine();
  const r = await e.start();
  assert.equal(r.result, 'success');
  assert.match(e.revision ?? '', /^sha256:[0-9a-f]{16}$/);
  const ev = e.evaluate({ a: 1 }, 42);
  assert.equal(ev.verdict.decision, 'allow');
  assert.equal(ev.revision, e.revision);
  assert.deepEqual(ev.pinned, { now_ns: 42, fuel: 1_000_000 });
  const other = engine();
  await other.start();
  assert.equal(other.revision, e.revision, 'same files, same revision');
});

test('test files do not change the revision; data files do and are placed by path', async () => {
  writeFileSync(join(dir, 'p.rego'), 'package mcp\n# echo\n');
  const e = engine();
  await e.start();
  const rev = e.revision;
  writeFileSync(join(dir, 'p_test.rego'), '# compile-error');
  assert.equal((await e.reload()).result, 'unchanged');
  mkdirSync(join(dir, 'catalog'));
  writeFileSync(join(dir, 'catalog', 'data.yaml'), 'tools: [a]\n');
  writeFileSync(join(dir, 'data.json'), '{"top": true}');
  assert.equal((await e.reload()).result, 'success');
  assert.notEqual(e.revision, rev);
  const ev = e.evaluate({ x: 1 }, 1);
  assert.deepEqual((ev.verdict.obligations as { data: unknown }).data, { top: true, catalog: { tools: ['a'] } });
});

test('a broken policy keeps the previous one and reports the error', async () => {
  writeFileSync(join(dir, 'p.rego'), allow);
  const e = engine();
  await e.start();
  const rev = e.revision;
  writeFileSync(join(dir, 'p.rego'), 'package mcp\n# compile-error\n');
  const r = await e.reload();
  assert.equal(r.result, 'failure');
  assert.match(r.errors[0], /p\.rego:1:1: rego_parse_error/);
  assert.equal(e.revision, rev);
  assert.equal(e.evaluate({}, 1).verdict.decision, 'allow');
  assert.equal(e.status().lastError?.result, 'failure');
  writeFileSync(join(dir, 'p.rego'), deny);
  assert.equal((await e.reload()).result, 'success');
  assert.equal(e.evaluate({}, 1).verdict.reasons[0].code, 'nope');
});

test('evaluation errors and overlong evaluations deny', async () => {
  writeFileSync(join(dir, 'p.rego'), 'package mcp\n# throw\n');
  const e = engine();
  await e.start();
  const ev = e.evaluate({}, 1);
  assert.equal(ev.verdict.reasons[0].code, 'policy_error');
  assert.equal(ev.verdict.allow, false);
  writeFileSync(join(dir, 'p.rego'), 'package mcp\n# slow\n# result: {"allow":true}\n');
  await e.reload();
  const slow = e.evaluate({}, 1);
  assert.equal(slow.verdict.reasons[0].code, 'policy_timeout');
  assert.equal(slow.verdict.allow, false);
  assert.ok(slow.evalMicros >= 20_000);
});

test('an undefined result denies with policy_undefined', async () => {
  writeFileSync(join(dir, 'p.rego'), 'package mcp\n');
  const e = engine();
  await e.start();
  assert.equal(e.evaluate({}, 1).verdict.reasons[0].code, 'policy_undefined');
});

for (const poll of [false, true]) {
  test(`watching (${poll ? 'poll' : 'fs.watch'}) picks up changes`, async () => {
    writeFileSync(join(dir, 'p.rego'), allow);
    const e = engine({ watch: true, poll, debounceMs: 20, pollIntervalMs: 30 });
    await e.start();
    assert.equal(e.status().watch, poll ? 'poll' : 'watch');
    const rev = e.revision;
    writeFileSync(join(dir, 'p.rego'), deny);
    for (let i = 0; i < 100 && e.revision === rev; i++) await new Promise((r) => setTimeout(r, 20));
    assert.notEqual(e.revision, rev);
    assert.equal(e.evaluate({}, 1).verdict.decision, 'deny');
  });
}

test('loads an OPA-layout bundle with manifest revision and data', async () => {
  const wasm = Buffer.from('package mcp\n# echo\n');
  const tar = packTar([
    { path: '/.manifest', body: Buffer.from(JSON.stringify({ revision: 'v42', roots: [''], wasm: [{ entrypoint: 'mcp/decision', module: '/policy.wasm' }] })) },
    { path: '/policy.wasm', body: wasm },
    { path: '/data.json', body: Buffer.from('{"a":1}') },
    { path: '/catalog/data.json', body: Buffer.from('{"b":2}') },
  ]);
  writeFileSync(join(dir, 'bundle.tar.gz'), gzipSync(tar));
  const e = engine({ location: { kind: 'bundle', path: join(dir, 'bundle.tar.gz') } });
  const r = await e.start();
  assert.equal(r.result, 'success', r.errors.join());
  assert.equal(e.revision, 'v42');
  const ev = e.evaluate({}, 1);
  assert.deepEqual((ev.verdict.obligations as { data: unknown }).data, { a: 1, catalog: { b: 2 } });
});

test('a bundle without the entrypoint fails to load', async () => {
  const tar = packTar([
    { path: '/.manifest', body: Buffer.from(JSON.stringify({ wasm: [{ entrypoint: 'other/x', module: '/policy.wasm' }] })) },
    { path: '/policy.wasm', body: Buffer.from('x') },
  ]);
  writeFileSync(join(dir, 'b.tar.gz'), gzipSync(tar));
  const e = engine({ location: { kind: 'bundle', path: join(dir, 'b.tar.gz') } });
  const r = await e.start();
  assert.equal(r.result, 'failure');
  assert.match(r.errors[0], /no Wasm module for entrypoint mcp\/decision/);
});
