import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../index';
import { loadPolicy, PolicyEvalError, PolicyLoadError } from './index';

async function build(text: string, entrypoints: string[]): Promise<Uint8Array> {
  const r = await compile({ modules: [{ file: 'p.rego', text }], entrypoints });
  assert.deepEqual(r.errors, []);
  return r.wasm!;
}

/** Rewrites the module's builtins() JSON in place (same length; JSON allows the padding spaces). */
function renameBuiltin(wasm: Uint8Array, from: string, to: string): Uint8Array {
  const buf = Buffer.from(wasm);
  const at = buf.indexOf(`"${from}"`);
  assert.ok(at >= 0, `module has no builtin ${from}`);
  assert.ok(to.length <= from.length);
  buf.write(' '.repeat(from.length - to.length) + `"${to}"`, at, 'latin1');
  return new Uint8Array(buf);
}

const SRC = `package p
import rego.v1
s := sprintf("%s has %d items: %v", [input.name, count(input.items), input.items])
parts := regex.split("-", input.name)
t1 := time.now_ns()
t2 := time.now_ns()
stable if t1 == t2
u := uuid.rfc4122("req")
bad := regex.match("(", "x")
from_data := data.cfg.limit
`;

test('evaluates with host builtins under arbiter.-prefixed and OPA names', async () => {
  const wasm = await build(SRC, ['p/s', 'p/parts', 'p']);
  const policy = await loadPolicy(wasm, { data: { cfg: { limit: 3 } } });
  assert.deepEqual(Object.keys(policy.entrypoints).sort(), ['p', 'p/parts', 'p/s']);
  assert.ok(policy.builtins.includes('arbiter.regex.split'));
  assert.deepEqual(policy.evaluate({ name: 'a-b' }, 'p/parts').result, [{ result: ['a', 'b'] }]);
  // sprintf runs in the Wasm runtime with OPA's semantics (Rego text for arrays).
  assert.ok(!policy.builtins.includes('arbiter.sprintf'));
  const out = policy.evaluate({ name: 'bob', items: ['a', 'b'] }, 'p/s');
  assert.deepEqual(out.result, [{ result: 'bob has 2 items: ["a", "b"]' }]);
});

test('modules that call builtins by their OPA names (as opa build emits) load and run', async () => {
  const wasm = renameBuiltin(await build(SRC, ['p/parts']), 'arbiter.regex.split', 'regex.split');
  const policy = await loadPolicy(wasm);
  assert.ok(policy.builtins.includes('regex.split'));
  assert.deepEqual(policy.evaluate({ name: 'x-y' }, 'p/parts').result, [{ result: ['x', 'y'] }]);
});

test('time.now_ns is constant per evaluation, pinnable, exact; uuid values replay', async () => {
  const policy = await loadPolicy(await build(SRC, ['p']), { data: { cfg: { limit: 1 } } });
  const a = policy.evaluate({}, 'p', { nowNs: 1700000000000000123n, exactNumbers: true });
  const doc = (a.result as { result: Record<string, unknown> }[])[0].result;
  assert.equal(doc.t1, 1700000000000000123n);
  assert.equal(doc.stable, true);
  assert.equal(a.pinned.nowNs, '1700000000000000123');
  assert.equal(a.pinned.uuid?.req, doc.u);
  const replay = policy.evaluate({}, 'p', { pinned: a.pinned, exactNumbers: true });
  assert.deepEqual(replay.result, a.result);
  const fresh = policy.evaluate({}, 'p');
  const freshDoc = (fresh.result as { result: Record<string, unknown> }[])[0].result;
  assert.notEqual(freshDoc.u, doc.u);
  assert.equal(typeof freshDoc.t1, 'number'); // default: plain numbers, JSON-safe
});

test('a builtin error makes the call undefined and is reported; strict mode aborts', async () => {
  const policy = await loadPolicy(await build(SRC, ['p']), { data: { cfg: { limit: 1 } } });
  const out = policy.evaluate({}, 'p');
  const doc = (out.result as { result: Record<string, unknown> }[])[0].result;
  assert.equal('bad' in doc, false);
  assert.equal(doc.from_data, 1);
  assert.equal(out.builtinErrors[0].builtin, 'regex.match');
  assert.throws(
    () => policy.evaluate({}, 'p', { strictBuiltinErrors: true }),
    (e: unknown) => e instanceof PolicyEvalError && e.code === 'eval_builtin_error' && /eval_builtin_error/.test(e.message),
  );
  // The policy is still usable after an aborted evaluation.
  assert.equal(policy.evaluate({}, 'p').builtinErrors.length, 1);
});

test('setData replaces the base document', async () => {
  const policy = await loadPolicy(await build(SRC, ['p']), { data: { cfg: { limit: 1 } } });
  policy.setData({ cfg: { limit: 7 } });
  const doc = (policy.evaluate({}, 'p').result as { result: Record<string, unknown> }[])[0].result;
  assert.equal(doc.from_data, 7);
});

test('load and evaluate errors are typed', async () => {
  await assert.rejects(loadPolicy(new Uint8Array([1, 2, 3])), (e: unknown) => e instanceof PolicyLoadError && e.code === 'invalid_wasm');
  const unknown = renameBuiltin(await build(SRC, ['p/parts']), 'arbiter.regex.split', 'no.such.fn');
  await assert.rejects(loadPolicy(unknown), (e: unknown) => e instanceof PolicyLoadError && e.code === 'unknown_builtin' && /no\.such\.fn/.test(e.message));
  const policy = await loadPolicy(await build(SRC, ['p/s']));
  assert.throws(() => policy.evaluate({}, 'nope'), (e: unknown) => e instanceof PolicyEvalError && e.code === 'unknown_entrypoint');
});

test('custom builtins can override the table', async () => {
  const wasm = await build(SRC, ['p/parts']);
  const policy = await loadPolicy(wasm, { builtins: { 'arbiter.regex.split': () => 'overridden' } });
  assert.deepEqual(policy.evaluate({ name: 'x' }, 'p/parts').result, [{ result: 'overridden' }]);
});
