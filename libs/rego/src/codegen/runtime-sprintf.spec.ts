// The runtime's sprintf (b_sprintf in runtime/assembly) against the host's TypeScript sprintf:
// the spec cases and generated (format, args) pairs, through compile → loadPolicy. The host
// receives arguments over the JSON bridge, so the TS side formats the arguments as the policy
// hands them back (exact numbers: integers beyond 2^53 as bigint).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../index';
import { loadPolicy, PolicyEvalError } from '../host/index';
import type { ArbiterPolicy } from '../host/index';
import { sprintf as hostSprintf } from '../builtins/sprintf';
import type { BuiltinError } from '../builtins/types';

const SRC = `package t
import rego.v1
out[i] := s if { some i, c in input.cases; s := sprintf(c.f, c.a) }
args[i] := c.a if { some i, c in input.cases }
sets := [sprintf("%v", [{3, 1, 2}]), sprintf("%v|%s", [set(), {"b": {"x"}, "a": [1]}])]
nonstring_keys := sprintf("%v", [{1: "a", [2]: true}])
`;

let policy: ArbiterPolicy | undefined;
async function load(): Promise<ArbiterPolicy> {
  if (policy) return policy;
  const r = await compile({ modules: [{ file: 't.rego', text: SRC }], entrypoints: ['t', 't/out', 't/sets', 't/nonstring_keys'] });
  assert.deepEqual(r.errors, []);
  policy = await loadPolicy(r.wasm!);
  return policy;
}

type Case = [format: string, args: unknown[]];

/** The host's error for a case, if the TS version fails on it. */
function hostError(c: Case, args: unknown[]): BuiltinError | undefined {
  try {
    hostSprintf(c[0], args);
    return undefined;
  } catch (e) {
    return e as BuiltinError;
  }
}

const BIG_CODE_POINT = /^(.*Invalid code point )(-?\d\.\d+e\+\d+)$/;

/**
 * Equal messages, except one known difference: %c of an integer beyond 21 digits names the
 * integer as a double, and the runtime's approximation of such integers (number.ts keeps 19
 * significant digits) may be one ulp off JavaScript's correctly rounded Number(bigint).
 */
function sameError(got: string, want: string): boolean {
  if (got.includes(want)) return true;
  const g = BIG_CODE_POINT.exec(got), w = BIG_CODE_POINT.exec(want);
  if (!g || !w || !g[1].endsWith(w[1])) return false;
  const a = Number(g[2]), b = Number(w[2]);
  return Math.abs(a - b) <= Math.abs(b) * 2 ** -52;
}

/** Runs the cases in the runtime; returns, per case, [runtime result, TS result]. */
async function both(cases: Case[]): Promise<[unknown, unknown][]> {
  const p = await load();
  const input = { cases: cases.map(([f, a]) => ({ f, a })) };
  const ev = p.evaluate(input, 't', { exactNumbers: true });
  const doc = (ev.result as { result: { out: Record<string, string>; args: Record<string, unknown[]> } }[])[0].result;
  return cases.map((_, i) => {
    let ts: unknown;
    try {
      ts = hostSprintf(cases[i][0], doc.args[String(i)]);
    } catch {
      ts = undefined; // a builtin error: undefined in OPA's default mode
    }
    return [doc.out[String(i)], ts];
  });
}

// The cases of builtins/sprintf.spec.ts.
const SPEC_CASES: Case[] = [
  ['%s is %d years', ['bob', 42]], ['%v|%v|%v', ['x', 7, 2.5]], ['%.2f', [3.14159]],
  ['%x %X %o %b', [255, 255, 8, 5]], ['%q', ['a"b\n']], ['100%%', []], ['%e', [123456.789]],
  ['[%5d|%-5d|%05d]', [42, 42, -42]], ['%+d', [5]], ['%08.3f', [-3.14159]], ['%#x', [255]],
  ['%.3s', ['héllo']], ['%6s|%-6s|', ['ab', 'ab']], ['%v', [1234567.5]], ['%v', [0.00001]],
  ['%v', [100]], ['%v', [1e100]], ['%s', [123456789123456789123n]], ['%d', [1208925819614629174706175n]],
  ['%v', [[1, 'a', { b: null, a: true }]]], ['%s', [{ k: [] }]], ['%v %v', [true, null]], ['%t', [true]],
  ['%s', [5]], ['%d', [1.5]], ['%d', ['x']], ['%d %d', [1]], ['%d', [1, 'x']], ['abc%', []],
  ['%999999999d', [1]],
];

// A small deterministic PRNG (mulberry32) so failures reproduce.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = ['', 'a', 'héllo', 'tab\there', 'q"uo\\te', '日本語', '😀 x', '\u00a0nbsp', 'z\u200bw', '\x01\x7f', 'ab+', '-x', '0x1'];
const VERBS = ['v', 'v', 's', 's', 'd', 'd', 'f', 'F', 'e', 'E', 'g', 'G', 'x', 'X', 'o', 'O', 'b', 'q', 't', 'c', 'U', '%', 'z', 'é'];

function generate(n: number, seed: number): Case[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const scalar = (): unknown => {
    switch (int(0, 9)) {
      case 0: return int(-1000, 1000);
      case 1: return int(0, 255);
      case 2: return (r() < 0.5 ? -1n : 1n) * (2n ** BigInt(int(54, 62)) + BigInt(int(0, 1e6)));
      case 3: return (r() < 0.5 ? -1n : 1n) * (10n ** BigInt(int(19, 40)) + BigInt(int(0, 1e9)));
      case 4: return (r() - 0.5) * 10 ** int(-12, 25);
      case 5: return pick([0.1, 0.5, 2.5, 1e20, 1e21, 9.5e18, 1.5e-7, 123456.789, -0.25, 1e-300, 1.7976931348623157e308, 5e-324]);
      case 6: return int(-50, 50) + 0.5;
      case 7: return pick(STRINGS);
      case 8: return pick([true, false, null]);
      default: return r() < 0.5 ? [scalar(), pick(STRINGS)] : { [pick(STRINGS)]: scalar(), k: [int(0, 9)] };
    }
  };
  const cases: Case[] = [];
  for (let c = 0; c < n; c++) {
    let f = '';
    let directives = 0;
    const parts = int(1, 3);
    for (let i = 0; i < parts; i++) {
      f += pick(['', 'x=', ' | ', 'é:', '[']);
      let d = '%';
      for (const flag of ['-', '+', '#', ' ', '0']) if (r() < 0.15) d += flag;
      if (r() < 0.35) d += String(int(0, 14));
      if (r() < 0.35) d += '.' + (r() < 0.1 ? '' : String(r() < 0.1 ? int(95, 110) : int(0, 9)));
      const verb = pick(VERBS);
      f += d + verb;
      if (verb !== '%') directives++;
    }
    if (r() < 0.05) f += '%';
    const argc = Math.max(0, directives + pick([0, 0, 0, 0, -1, 1]));
    cases.push([f, Array.from({ length: argc }, scalar)]);
  }
  return cases;
}

describe('runtime sprintf', () => {
  test('is a runtime builtin: the module imports no host sprintf', async () => {
    const p = await load();
    assert.ok(!p.builtins.some((b) => b.endsWith('sprintf')), p.builtins.join(','));
  });

  test('matches the host version on the spec cases', async () => {
    for (const [i, [rt, ts]] of (await both(SPEC_CASES)).entries()) {
      assert.equal(rt, ts, `${JSON.stringify(SPEC_CASES[i][0])} ${String(SPEC_CASES[i][1])}`);
    }
  });

  test('matches the host version on 400 generated (format, args) pairs', async () => {
    const cases = generate(400, 20261122);
    const results = await both(cases);
    const mismatches = results
      .map(([rt, ts], i) => ({ i, rt, ts }))
      .filter((m) => m.rt !== m.ts)
      .map((m) => `${JSON.stringify(cases[m.i][0])} ${JSON.stringify(cases[m.i][1], (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}: runtime ${JSON.stringify(m.rt)} host ${JSON.stringify(m.ts)}`);
    assert.deepEqual(mismatches, []);
    // The generator must exercise both outcomes: formatted strings and failing calls.
    assert.ok(results.filter(([rt]) => typeof rt === 'string').length > 300);
    assert.ok(results.some(([rt]) => rt === undefined));
  });

  test('strict mode: the generated calls the host rejects abort with the host code and message', async () => {
    const p = await load();
    const cases = generate(400, 20261122);
    const ev = p.evaluate({ cases: cases.map(([f, a]) => ({ f, a })) }, 't', { exactNumbers: true });
    const args = (ev.result as { result: { args: Record<string, unknown[]> } }[])[0].result.args;
    let failing = 0;
    for (const [i, c] of cases.entries()) {
      const err = hostError(c, args[String(i)]);
      if (!err) continue;
      failing++;
      assert.throws(
        () => p.evaluate({ cases: [{ f: c[0], a: c[1] }] }, 't/out', { strictBuiltinErrors: true }),
        (e: unknown) => e instanceof PolicyEvalError && sameError(e.message, `${err.code}: ${err.message}`),
        `${JSON.stringify(c[0])} ${String(c[1])}: host says ${err.code}: ${err.message}`,
      );
    }
    assert.ok(failing > 0);
  });

  test('sets print in braces and non-string keys as Rego values, as OPA prints them', async () => {
    const p = await load();
    assert.deepEqual(p.evaluate({}, 't/sets').result, [{ result: ['{1, 2, 3}', 'set()|{"a": [1], "b": {"x"}}'] }]);
    assert.deepEqual(p.evaluate({}, 't/nonstring_keys').result, [{ result: '{1: "a", [2]: true}' }]);
  });

  test('errors: undefined by default, OPA codes in strict mode', async () => {
    const p = await load();
    const strict = (f: unknown, a: unknown) => () => p.evaluate({ cases: [{ f, a }] }, 't/out', { strictBuiltinErrors: true });
    assert.deepEqual(p.evaluate({ cases: [{ f: 1, a: [] }] }, 't/out').result, [{ result: {} }]);
    assert.throws(strict(1, []), (e: unknown) => e instanceof PolicyEvalError && /eval_type_error: sprintf: operand 1 must be string but got number/.test(e.message));
    assert.throws(strict('%s', 'x'), (e: unknown) => e instanceof PolicyEvalError && /eval_type_error: sprintf: operand 2 must be array but got string/.test(e.message));
    assert.throws(strict('%9999999d', [1]), (e: unknown) => e instanceof PolicyEvalError && /eval_builtin_error: sprintf: width or precision above 100000/.test(e.message));
  });
});
