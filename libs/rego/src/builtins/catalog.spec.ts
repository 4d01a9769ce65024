import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTINS, lookupBuiltin, hostBuiltinNames, runtimeBuiltinNames } from './catalog';
import { HOST_BUILTINS, hostImportName, OPA_WASM_SHADOWED } from './index';

test('operators carry OPA names, arities and infix spellings', () => {
  assert.equal(lookupBuiltin('plus')?.infix, '+');
  assert.equal(lookupBuiltin('internal.member_2')?.args.length, 2);
  assert.equal(lookupBuiltin('internal.member_3')?.args.length, 3);
  assert.deepEqual(lookupBuiltin('internal.print')?.args, ['array']);
  assert.equal(lookupBuiltin('nope'), undefined);
});

test('arities of a sample of builtins match OPA', () => {
  const want: Record<string, number> = {
    count: 1, sprintf: 2, 'regex.template_match': 4, 'glob.match': 3, 'time.add_date': 4, 'time.now_ns': 0,
    'io.jwt.decode_verify': 2, 'object.get': 3, substring: 3, 'strings.replace_n': 2, 'numbers.range_step': 3,
    'regex.find_all_string_submatch_n': 3, 'rand.intn': 2, 'uuid.rfc4122': 1, 'time.diff': 2, walk: 1,
  };
  for (const [name, n] of Object.entries(want)) assert.equal(lookupBuiltin(name)?.args.length, n, name);
});

test('nondeterministic builtins are flagged', () => {
  for (const n of ['time.now_ns', 'rand.intn', 'uuid.rfc4122']) assert.equal(lookupBuiltin(n)?.nondeterministic, true, n);
  assert.equal(lookupBuiltin('count')?.nondeterministic, undefined);
});

test('every host-implemented declaration has a TypeScript implementation with the right arity', () => {
  const missing = hostBuiltinNames().filter((n) => !HOST_BUILTINS[n]);
  assert.deepEqual(missing, []);
  for (const n of hostBuiltinNames()) {
    const decl = BUILTINS.get(n)!;
    assert.ok(HOST_BUILTINS[n].length <= decl.args.length, `${n}: implementation takes more args than declared`);
  }
  // Every host function is declared (no orphan implementations).
  for (const n of Object.keys(HOST_BUILTINS)) assert.ok(BUILTINS.has(n), `${n} not in catalog`);
  assert.ok(runtimeBuiltinNames().includes('count'));
});

test('shadowed names go through the arbiter. prefix', () => {
  for (const n of OPA_WASM_SHADOWED) assert.equal(hostImportName(n), `arbiter.${n}`);
  assert.equal(hostImportName('regex.match'), 'regex.match');
});
