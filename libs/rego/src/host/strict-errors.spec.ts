// Strict builtin errors of the builtins that run inside the Wasm runtime: undefined by default,
// OPA's code and message with strictBuiltinErrors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../index';
import { loadPolicy, PolicyEvalError } from './index';

// Operands come from input so the compiler cannot reject or fold the calls.
const CASES: Array<[expr: string, input: unknown, code: string, message: string]> = [
  ['input.a / input.b', { a: 1, b: 0 }, 'eval_builtin_error', 'div: divide by zero'],
  ['input.a % input.b', { a: 1, b: 0 }, 'eval_builtin_error', 'rem: modulo by zero'],
  ['input.a % input.b', { a: 1.5, b: 1 }, 'eval_builtin_error', 'rem: modulo on floating-point number'],
  ['input.a + input.b', { a: 1, b: 'x' }, 'eval_type_error', 'plus: operand 2 must be number but got string'],
  ['input.a - input.b', { a: 'x', b: 1 }, 'eval_type_error', 'minus: operand 1 must be one of {number, set} but got string'],
  ['to_number(input.a)', { a: 'broken' }, 'eval_builtin_error', 'to_number: strconv.ParseFloat: parsing "broken": invalid syntax'],
  ['to_number(input.a)', { a: [1] }, 'eval_type_error', 'to_number: operand 1 must be one of {null, boolean, number, string} but got array'],
  ['array.concat([1], input.a)', { a: { k: 1 } }, 'eval_type_error', 'array.concat: operand 2 must be array but got object'],
  ['sum(input.a)', { a: [1, 'x'] }, 'eval_type_error', 'sum: operand 1 must be array of numbers but got array containing string'],
  ['concat(",", input.a)', { a: ['x', 2] }, 'eval_type_error', 'concat: operand 2 must be array of strings but got array containing number'],
  ['upper(input.a)', { a: 3 }, 'eval_type_error', 'upper: operand 1 must be string but got number'],
  ['substring("abc", input.a, 1)', { a: 0.5 }, 'eval_type_error', 'substring: operand 2 must be integer number but got floating-point number'],
  ['count(input.a)', { a: 3 }, 'eval_type_error', 'count: operand 1 must be one of {array, object, set, string} but got number'],
  ['object.keys(input.a)', { a: [] }, 'eval_type_error', 'object.keys: operand 1 must be object but got array'],
];

test('runtime builtin errors: undefined by default, OPA codes and messages in strict mode', async () => {
  const rules = CASES.map(([expr], i) => `r${i} := ${expr}`).join('\n');
  const r = await compile({ modules: [{ file: 'p.rego', text: `package p\n${rules}\n` }], entrypoints: CASES.map((_, i) => `p/r${i}`) });
  assert.deepEqual(r.errors, []);
  const policy = await loadPolicy(r.wasm!);
  for (const [i, [expr, input, code, message]] of CASES.entries()) {
    assert.deepEqual(policy.evaluate(input, `p/r${i}`).result, [], `${expr}: undefined by default`);
    assert.throws(
      () => policy.evaluate(input, `p/r${i}`, { strictBuiltinErrors: true }),
      (e: unknown) => {
        assert.ok(e instanceof PolicyEvalError, `${expr}: ${String(e)}`);
        assert.equal(e.code, code, expr);
        assert.equal(e.message, `${code}: ${message}`, expr);
        return true;
      },
    );
    // Strict mode ends with the evaluation.
    assert.deepEqual(policy.evaluate(input, `p/r${i}`).result, [], `${expr}: default mode again`);
  }
});

test('strict mode leaves working calls and legitimately undefined ones alone', async () => {
  const r = await compile({
    modules: [{ file: 'p.rego', text: 'package p\nq := input.a / input.b\nm := max(input.xs)\n' }],
    entrypoints: ['p/q', 'p/m'],
  });
  const policy = await loadPolicy(r.wasm!);
  assert.deepEqual(policy.evaluate({ a: 1, b: 4 }, 'p/q', { strictBuiltinErrors: true }).result, [{ result: 0.25 }]);
  // max of an empty array is undefined in OPA, not an error.
  assert.deepEqual(policy.evaluate({ xs: [] }, 'p/m', { strictBuiltinErrors: true }).result, []);
  // An undefined operand is no type error.
  assert.deepEqual(policy.evaluate({}, 'p/q', { strictBuiltinErrors: true }).result, []);
});
