import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@arbiter/rego';
import { PolicyEngine } from '../policy-engine';
import { regoCompiler, regoHost } from '../rego-toolchain';
import { evaluateLoaded } from '../evaluate-loaded';
import { EvalPool } from './eval-pool';

const dir = mkdtempSync(join(tmpdir(), 'eval-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const POLICY = `package mcp
import rego.v1
default decision := {"decision": "deny", "reasons": [{"code": "default", "message": "no rule"}]}
decision := {"decision": "allow", "reasons": [], "obligations": {"seen": count(input.session.history)}} if input.tool.name == "read"
decision := {"decision": "ask", "reasons": [{"code": "confirm", "message": sprintf("confirm %s", [input.tool.name])}]} if input.tool.name == "delete"
spin := x if {
  x := count([i | some i in numbers.range(1, input.n)])
}
`;

async function wasmOf(text: string): Promise<Uint8Array> {
  const out = await compile({ modules: [{ file: 'p.rego', text }], entrypoints: ['mcp/decision', 'mcp/spin'] });
  assert.deepEqual(out.errors, []);
  return out.wasm!;
}

const NOW = 1_700_000_000_000_000_000;
const input = (name: string, steps = 0) => ({ tool: { name }, session: { history: Array.from({ length: steps }, (_, i) => ({ step: i + 1 })) } });
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

function pool(extra: Partial<ConstructorParameters<typeof EvalPool>[0]> = {}): EvalPool {
  return new EvalPool({ size: 2, entrypoint: 'mcp/decision', fuel: 100_000, timeoutMs: 1000, ...extra });
}

test('workers answer exactly as an in-thread evaluation does (verdict, result text, pinned, revision)', async () => {
  const wasm = await wasmOf(POLICY);
  const p = pool();
  try {
    assert.deepEqual(await p.load({ revision: 'rev-a', wasm, data: {} }), { ok: true });
    const local = await regoHost().load(wasm, {});
    const limits = { revision: 'rev-a', entrypoint: 'mcp/decision', fuel: 100_000, timeoutMs: 1000 };
    const cases = [input('read', 3), input('delete'), input('other'), input('read', 40)];
    // Issued together: they travel as one or more batches and must come back to the right callers.
    const remote = await Promise.all(cases.map((c) => p.evaluate(bytes(c), NOW)));
    for (let i = 0; i < cases.length; i++) {
      const mine = evaluateLoaded(local, limits, undefined, NOW, bytes(cases[i]));
      const theirs = remote[i];
      assert.deepEqual(theirs.verdict, mine.verdict, `case ${i}`);
      assert.equal(theirs.resultJson, JSON.stringify(mine.result));
      assert.deepEqual(theirs.result, mine.result, 'the result parses back to the same value');
      assert.deepEqual(theirs.pinned, mine.pinned);
      assert.equal(theirs.revision, 'rev-a');
      assert.equal(theirs.error, null);
      assert.ok(typeof theirs.fuelUsed === 'number' && theirs.fuelUsed > 0);
    }
    assert.deepEqual(remote.map((e) => e.verdict.decision), ['allow', 'ask', 'deny', 'allow']);
    assert.deepEqual((remote[3].verdict.obligations as { seen: number }).seen, 40);
    const s = p.stats();
    assert.equal(s.live, 2);
    assert.equal(s.pending, 0);
    assert.equal(s.evaluations, 4);
    assert.ok(s.batches >= 1 && s.batches <= 4);
  } finally {
    await p.close();
  }
});

test('a caller may reuse its input buffer as soon as evaluate returns', async () => {
  const p = pool({ size: 1 });
  try {
    await p.load({ revision: 'r', wasm: await wasmOf(POLICY), data: {} });
    const buf = bytes(input('read'));
    const pending = p.evaluate(buf, NOW);
    buf.fill(0x20); // all spaces: not a valid input any more
    assert.equal((await pending).verdict.decision, 'allow');
    // A Buffer view into a larger scratch buffer (what the decide use case passes; Buffer#slice
    // would not copy it).
    const scratch = Buffer.alloc(4096, 0x20);
    const text = JSON.stringify(input('read'));
    const n = scratch.write(text, 100);
    const viewed = p.evaluate(scratch.subarray(100, 100 + n), NOW);
    scratch.fill(0x20);
    assert.equal((await viewed).verdict.decision, 'allow');
    assert.equal((await p.evaluate(JSON.stringify(input('delete')), NOW)).verdict.decision, 'ask', 'text input works too');
  } finally {
    await p.close();
  }
});

test('a reload reaches every worker; answers name the revision that evaluated them', async () => {
  const p = pool();
  try {
    await p.load({ revision: 'one', wasm: await wasmOf(POLICY), data: {} });
    const flipped = POLICY.replace('if input.tool.name == "read"', 'if input.tool.name == "write"');
    await p.load({ revision: 'two', wasm: await wasmOf(flipped), data: {} });
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => p.evaluate(bytes(input('read')), NOW)));
    for (const a of answers) {
      assert.equal(a.revision, 'two');
      assert.equal(a.verdict.decision, 'deny');
    }
  } finally {
    await p.close();
  }
});

test('a module a worker cannot load is reported and the previous policy stays in every worker', async () => {
  const p = pool();
  try {
    await p.load({ revision: 'good', wasm: await wasmOf(POLICY), data: {} });
    const r = await p.load({ revision: 'bad', wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]), data: {} });
    assert.equal(r.ok, false);
    const a = await p.evaluate(bytes(input('read')), NOW);
    assert.equal(a.revision, 'good');
    assert.equal(a.verdict.decision, 'allow');
  } finally {
    await p.close();
  }
});

test('without a policy, and after close, evaluations deny with policy_unavailable', async () => {
  const p = pool({ size: 1 });
  const none = await p.evaluate(bytes(input('read')), NOW);
  assert.equal(none.verdict.decision, 'deny');
  assert.equal(none.verdict.reasons[0].code, 'policy_unavailable');
  await p.close();
  const closed = await p.evaluate(bytes(input('read')), NOW);
  assert.equal(closed.verdict.reasons[0].code, 'policy_unavailable');
  assert.match(closed.error ?? '', /stopped/);
});

test('fuel and evaluation errors are denied inside the worker like in-thread', async () => {
  const p = new EvalPool({ size: 1, entrypoint: 'mcp/spin', fuel: 2000, timeoutMs: 1000 });
  try {
    await p.load({ revision: 'r', wasm: await wasmOf(POLICY), data: {} });
    const small = await p.evaluate(JSON.stringify({ n: 10 }), NOW);
    assert.equal(small.error, null);
    assert.equal(small.resultJson, JSON.stringify([{ result: 10 }]));
    const runaway = await p.evaluate(JSON.stringify({ n: 1_000_000 }), NOW);
    assert.equal(runaway.verdict.decision, 'deny');
    assert.equal(runaway.verdict.reasons[0].code, 'policy_timeout');
    assert.equal(runaway.pinned.fuel, 2000);
    const broken = await p.evaluate('{"n": ', NOW);
    assert.equal(broken.verdict.decision, 'deny');
    assert.equal(broken.verdict.reasons[0].code, 'policy_error');
    // The worker survived all of that.
    assert.equal((await p.evaluate(JSON.stringify({ n: 3 }), NOW)).resultJson, JSON.stringify([{ result: 3 }]));
  } finally {
    await p.close();
  }
});

/** A stand-in worker: answers loads, then dies or hangs on the first evaluation, as told. */
function fakeWorker(behaviour: 'exit' | 'hang'): string {
  const file = join(dir, `fake-${behaviour}.js`);
  writeFileSync(
    file,
    `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.t === 'load') return parentPort.postMessage({ t: 'loaded', seq: m.seq, error: null });
  ${behaviour === 'exit' ? 'process.exit(7);' : 'for (;;) {}'}
});
`,
  );
  return file;
}

test('a worker that dies: its evaluations deny with policy_error and a replacement starts', async () => {
  const p = pool({ size: 1, workerScript: fakeWorker('exit') });
  try {
    await p.load({ revision: 'r', wasm: new Uint8Array(), data: {} });
    const [a, b] = await Promise.all([p.evaluate('{}', NOW), p.evaluate('{}', NOW)]);
    for (const ev of [a, b]) {
      assert.equal(ev.verdict.decision, 'deny');
      assert.equal(ev.verdict.reasons[0].code, 'policy_error');
      assert.match(ev.error ?? '', /exited \(code 7\)/);
    }
    for (let i = 0; i < 100 && p.stats().live === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(p.stats().live, 1, 'replaced');
    assert.equal(p.stats().restarts, 1);
  } finally {
    await p.close();
  }
});

test('a worker that stops answering is terminated: policy_timeout, then a replacement', async () => {
  const p = pool({ size: 1, workerScript: fakeWorker('hang'), answerTimeoutMs: 200 });
  try {
    await p.load({ revision: 'r', wasm: new Uint8Array(), data: {} });
    const t0 = Date.now();
    const ev = await p.evaluate('{}', NOW);
    assert.equal(ev.verdict.decision, 'deny');
    assert.equal(ev.verdict.reasons[0].code, 'policy_timeout');
    assert.match(ev.error ?? '', /did not answer within 200 ms/);
    assert.ok(Date.now() - t0 < 5000);
    for (let i = 0; i < 100 && p.stats().live === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(p.stats().live, 1);
  } finally {
    await p.close();
  }
});

test('an engine with a pool loads each policy into it and evaluates there; a broken reload never reaches it', async () => {
  const pdir = mkdtempSync(join(dir, 'engine-'));
  writeFileSync(join(pdir, 'p.rego'), POLICY);
  const p = pool();
  const e = new PolicyEngine({ location: { kind: 'directory', path: pdir }, entrypoint: 'mcp/decision', evalTimeoutMs: 1000, compiler: regoCompiler(), host: regoHost(), watch: false, pool: p });
  try {
    assert.equal((await e.start()).result, 'success');
    const first = await e.evaluateAsync(input('read'), NOW, bytes(input('read')));
    assert.equal(first.verdict.decision, 'allow');
    assert.equal(first.revision, e.revision);
    assert.ok(first.resultJson, 'answered by a worker');
    writeFileSync(join(pdir, 'p.rego'), 'package mcp\ndecision := {');
    assert.equal((await e.reload()).result, 'failure');
    const still = await e.evaluateAsync(input('read'), NOW, bytes(input('read')));
    assert.equal(still.revision, first.revision);
    assert.equal(still.verdict.decision, 'allow');
    assert.equal(e.status().workers?.live, 2);
  } finally {
    await e.close();
  }
  assert.equal(p.stats().live, 0, 'the engine closes its pool');
});
