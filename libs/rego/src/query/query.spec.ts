import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModule, parseQuery } from '../syntax/index';
import { queryOutputVars, wrapQuery, mapQueryDiagnostics, toBindingSets, QUERY_ENTRYPOINT } from './index';

function vars(q: string): string[] {
  const { body, errors } = parseQuery('<q>', q);
  assert.deepEqual(errors, []);
  return queryOutputVars(body!);
}

test('output vars: named vars in order, without wildcards, roots and comprehension locals', () => {
  assert.deepEqual(vars('x := data.a; y := x + 1'), ['x', 'y']);
  assert.deepEqual(vars('data.a[_] = x'), ['x']);
  assert.deepEqual(vars('data.a[k][_] = v'), ['k', 'v']);
  assert.deepEqual(vars('xs := [y | y := input.a[_]]; count(xs) > n; n := 1'), ['xs', 'n']);
  assert.deepEqual(vars('every v in input.xs { v > z }'), []);
  assert.deepEqual(vars('some i; input.a[i] == 2'), ['i']);
  assert.deepEqual(vars('some k, v in input.o'), ['k', 'v']);
  assert.deepEqual(vars('1 / 0'), []);
});

test('wrapping produces a module that parses, with the reserved entrypoint', () => {
  for (const q of ['data.x.y', 'x := data.a; y := x + 1', '1 / 0', 'input.a > 1', 'not data.p', '{"a":\n 1}', 'data.p with input as {"n": 1} with data.q as 2']) {
    const { wrapped, errors } = wrapQuery(q);
    assert.deepEqual(errors, [], q);
    assert.equal(wrapped!.entrypoint, QUERY_ENTRYPOINT);
    const parsed = parseModule(wrapped!.module.file, wrapped!.module.text);
    assert.deepEqual(parsed.errors, [], wrapped!.module.text);
    assert.equal(parsed.module!.rules.length, 1);
    assert.equal(parsed.module!.rules[0].kind, 'partial_set');
  }
});

test('single-term queries (comparisons too) are captured under "result"; unifications and multi-expression queries are not', () => {
  assert.deepEqual(wrapQuery('data.x.y').wrapped!.vars, ['result']);
  assert.deepEqual(wrapQuery('data.x[k]').wrapped!.vars, ['k', 'result']);
  assert.deepEqual(wrapQuery('input.a > 1').wrapped!.vars, ['result']);
  assert.deepEqual(wrapQuery('input.a = 1').wrapped!.vars, []);
  assert.deepEqual(wrapQuery('not input.a').wrapped!.vars, []);
  assert.deepEqual(wrapQuery('data.p with input as {"n": 1}').wrapped!.vars, ['result']);
  assert.deepEqual(wrapQuery('x := 1; x').wrapped!.vars, ['x']);
  assert.deepEqual(wrapQuery('data.a[result]').wrapped!.vars, ['result', '$result']);
});

test('parse errors are reported against the query file; empty queries are errors', () => {
  const bad = wrapQuery('x := ', '<cli>');
  assert.equal(bad.wrapped, undefined);
  assert.equal(bad.errors[0].code, 'rego_parse_error');
  assert.equal(bad.errors[0].file, '<cli>');
  assert.equal(wrapQuery('   ').errors[0].code, 'rego_parse_error');
});

test('diagnostics in the generated module map back to query lines', () => {
  const w = wrapQuery('x := 1\ny := z').wrapped!;
  const zLine = w.module.text.split('\n').findIndex((l) => l === 'y := z') + 1;
  const mapped = mapQueryDiagnostics([{ code: 'rego_unsafe_var_error', message: 'var z is unsafe', file: w.module.file, line: zLine, col: 6 }], w);
  assert.deepEqual(mapped[0], { code: 'rego_unsafe_var_error', message: 'var z is unsafe', file: w.module.file, line: 2, col: 6 });
});

test('toBindingSets reads the opa-wasm result set', () => {
  assert.deepEqual(toBindingSets([{ result: [{ x: 1 }, { x: 2 }] }]), [{ x: 1 }, { x: 2 }]);
  assert.deepEqual(toBindingSets([]), []);
  assert.deepEqual(toBindingSets([{ result: [] }]), []);
  assert.throws(() => toBindingSets([{ result: 3 }]), /not a set/);
});
