import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../index';
import { EvalContext, withEvalContext, HOST_BUILTINS } from '../builtins';
import { opaWasmCustomBuiltins, OpaWasmBuiltinError, type OpaWasmBuiltinsOptions } from './opa-wasm-builtins';
import { setStrictBuiltinErrors } from './strict-flag';

interface PlainPolicy {
  setData(d: unknown): void;
  evaluate(input: unknown, entrypoint?: string | number): Array<{ result: unknown }>;
  wasmInstance: { exports: Record<string, unknown> };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const opaWasm = require('@open-policy-agent/opa-wasm') as {
  loadPolicy(wasm: Uint8Array, memory?: unknown, builtins?: object): Promise<PlainPolicy>;
};

async function plain(text: string, entrypoints: string[], opts?: OpaWasmBuiltinsOptions): Promise<PlainPolicy> {
  const r = await compile({ modules: [{ file: 'p.rego', text }], entrypoints });
  assert.deepEqual(r.errors, []);
  const p = await opaWasm.loadPolicy(r.wasm!, undefined, opaWasmCustomBuiltins(opts));
  p.setData({});
  return p;
}

const SRC = `package p
s := sprintf("%s has %d items: %v", [input.name, count(input.items), input.items])
ns := time.now_ns() - 1700000000000000000
t1 := time.now_ns()
same_time if t1 == time.now_ns()
bad := regex.match("(", "x")
d := 1 / input.zero
`;

test('plain opa-wasm fails without the builtins and runs with them', async () => {
  const r = await compile({ modules: [{ file: 'p.rego', text: SRC }], entrypoints: ['p'] });
  const bare = await opaWasm.loadPolicy(r.wasm!);
  assert.throws(() => bare.evaluate({ name: 'a', items: [] }, 'p'), (e: unknown) => /not implemented/.test(String((e as Error).message ?? e)));

  const p = await plain(SRC, ['p', 'p/s']);
  const [{ result }] = p.evaluate({ name: 'bob', items: ['a', 'b'], zero: 0 }, 'p') as [{ result: Record<string, unknown> }];
  // Our sprintf (OPA's Rego text for %v), not opa-wasm's sprintf-js.
  assert.equal(result.s, 'bob has 2 items: ["a", "b"]');
  // time.now_ns is fixed within one evaluate without any help from the caller.
  assert.equal(result.same_time, true);
  // Errors (regex.match of a bad pattern, division by zero) make the call undefined.
  assert.ok(!('bad' in result) && !('d' in result));
});

test('results go back exact: a pinned nanosecond time beyond 2^53 keeps every digit', async () => {
  // The subtraction runs inside the module: only an exact time.now_ns result gives 123456789
  // (as a double, 1700000000123456789 is 1700000000123456768).
  const p = await plain(SRC, ['p/ns']);
  const ctx = new EvalContext({ nowNs: 1_700_000_000_123_456_789n });
  const out = withEvalContext(ctx, () => p.evaluate({}, 'p/ns'));
  assert.deepEqual(out, [{ result: 123456789 }]);
  // The explicit `context` option wins too.
  const q = await plain(SRC, ['p/ns'], { context: () => ctx });
  assert.deepEqual(q.evaluate({}, 'p/ns'), [{ result: 123456789 }]);
});

test('builtin errors: reported to onError in default mode, thrown in strict mode', async () => {
  const errors: unknown[] = [];
  let strict = false;
  const p = await plain('package p\nbad := regex.match(input.re, "x")\n', ['p/bad'], {
    onError: (f) => errors.push(f),
    strictBuiltinErrors: () => strict,
  });
  assert.deepEqual(p.evaluate({ re: '(' }, 'p/bad'), []);
  assert.equal(errors.length, 1);
  assert.equal((errors[0] as { builtin: string }).builtin, 'regex.match');
  strict = true;
  assert.throws(
    () => p.evaluate({ re: '(' }, 'p/bad'),
    (e: unknown) => e instanceof OpaWasmBuiltinError && e.code === 'eval_builtin_error' && e.message.startsWith('eval_builtin_error: regex.match: '),
  );
  strict = false;
  assert.deepEqual(p.evaluate({ re: 'x' }, 'p/bad'), [{ result: true }]);
});

test('runtime builtins honour the strict setter through plain opa-wasm too', async () => {
  const p = await plain('package p\nd := 1 / input.z\n', ['p/d']);
  assert.deepEqual(p.evaluate({ z: 0 }, 'p/d'), []);
  assert.equal(setStrictBuiltinErrors(p.wasmInstance.exports, true), true);
  assert.throws(() => p.evaluate({ z: 0 }, 'p/d'), (e: unknown) => String(e) === 'eval_builtin_error: div: divide by zero');
  setStrictBuiltinErrors(p.wasmInstance.exports, false);
  assert.deepEqual(p.evaluate({ z: 2 }, 'p/d'), [{ result: 0.5 }]);
});

test('every host builtin is registered under its OPA name, shadowed ones also arbiter.-prefixed', () => {
  const t = opaWasmCustomBuiltins();
  for (const name of Object.keys(HOST_BUILTINS)) assert.equal(typeof t[name], 'function', name);
  for (const name of ['sprintf', 'regex.split', 'yaml.marshal', 'json.is_valid']) assert.equal(typeof t[`arbiter.${name}`], 'function', name);
  assert.equal(typeof t['internal.print'], 'function');
  // Results come back as JSON text (ArrayBuffer), which opa-wasm loads without JSON.stringify.
  const out = t['arbiter.sprintf']('%d', [12345678901234567890n]);
  assert.ok(out instanceof ArrayBuffer);
  assert.equal(new TextDecoder().decode(out), '"12345678901234567890"');
});
