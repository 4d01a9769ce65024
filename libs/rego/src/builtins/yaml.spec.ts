import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

test('yaml.unmarshal parses mappings, sequences, scalars', () => {
  assert.deepEqual(call('yaml.unmarshal', 'a: 1\nb: [x, "y"]\nc: null\nd: true\n'), { a: 1, b: ['x', 'y'], c: null, d: true });
  assert.equal(call('yaml.unmarshal', '"str"'), 'str');
  assert.deepEqual(call('yaml.unmarshal', 'base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n'), { base: { x: 1 }, derived: { x: 1, y: 2 } });
  fails('yaml.unmarshal', ['a: [1, 2'], 'eval_builtin_error');
  fails('yaml.unmarshal', ['a: 1\na: 2\n'], 'eval_builtin_error');
  fails('yaml.unmarshal', [1], 'eval_type_error');
});

test('alias bombs are rejected', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 9; i++) {
    const prev = String.fromCharCode(97 + i);
    const cur = String.fromCharCode(98 + i);
    bomb.push(`${cur}: &${cur} [${Array(9).fill('*' + prev).join(',')}]`);
  }
  fails('yaml.unmarshal', [bomb.join('\n')], 'eval_builtin_error');
});

test('yaml.marshal and is_valid', () => {
  const text = call('yaml.marshal', { a: [1, 'two'], b: { c: null } }) as string;
  assert.deepEqual(call('yaml.unmarshal', text), { a: [1, 'two'], b: { c: null } });
  assert.equal(text, 'a:\n- 1\n- two\nb:\n  c: null\n', 'sequences not indented under their key, as OPA writes them');
  assert.equal(call('yaml.is_valid', 'a: 1'), true);
  assert.equal(call('yaml.is_valid', 'a: [1'), false);
  assert.equal(call('yaml.is_valid', 5), false);
});
