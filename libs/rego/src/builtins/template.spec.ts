import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, evalRule, fails } from './test-helpers';

const render = (t: string, vars: unknown) => call('strings.render_template', t, vars);

test('strings.render_template substitutes fields and nested fields', () => {
  assert.equal(render('{{.test}}', { test: 'hello world' }), 'hello world');
  assert.equal(render('{{.test}}', { test: 2023 }), '2023');
  assert.equal(render('Hi {{ .user.name }}, you have {{.n}} items.', { user: { name: 'Bo' }, n: 3 }), 'Hi Bo, you have 3 items.');
  assert.equal(render('{{.a.b.c}}/{{.a.b.c}}', { a: { b: { c: 1.5 } } }), '1.5/1.5');
  assert.equal(render('no actions at all', {}), 'no actions at all');
  assert.equal(render('', {}), '');
  assert.equal(render('{{.ok}} {{.no}}', { ok: true, no: false }), 'true false');
  assert.equal(render('{{.big}}', { big: 12345678901234567890n }), '12345678901234567890');
  assert.equal(render('{{._x1}}{{.é}}', { _x1: 'a', é: 'b' }), 'ab');
});

test('strings.render_template prints composite values and gaps like Go', () => {
  assert.equal(render('{{.o}}', { o: { b: [1, 'x', null], a: true } }), 'map[a:true b:[1 x <nil>]]');
  assert.equal(render('{{.}}', { k: 'v' }), 'map[k:v]');
  assert.equal(render('{{.z}}', { z: null }), '<nil>');
  assert.equal(render('[{{.missing}}]', {}), '[<no value>]');
  assert.equal(render('[{{.missing.deeper}}]', {}), '[<no value>]');
});

test('strings.render_template trim markers and comments', () => {
  assert.equal(render('a  \n {{- .x -}} \n  b', { x: 'X' }), 'aXb');
  assert.equal(render('a {{- .x}} b', { x: 'X' }), 'aX b');
  assert.equal(render('a {{/* note */}}b', {}), 'a b');
  assert.equal(render('a {{- /* note */ -}} b', {}), 'ab');
});

test('strings.render_template errors: unsupported actions and bad field access', () => {
  for (const t of ['{{if .a}}x{{end}}', '{{range .a}}{{.}}{{end}}', '{{.a | printf "%s"}}', '{{$x := 1}}', '{{"lit"}}', '{{len .a}}', '{{.a .b}}', '{{.a-b}}']) {
    fails('strings.render_template', [t, { a: 'x' }], 'eval_builtin_error', /unsupported/);
  }
  fails('strings.render_template', ['{{.a', {}], 'eval_builtin_error', /unclosed/);
  fails('strings.render_template', ['{{}}', {}], 'eval_builtin_error');
  fails('strings.render_template', ['{{/* never closed', {}], 'eval_builtin_error');
  fails('strings.render_template', ['{{.s.x}}', { s: 'str' }], 'eval_builtin_error', /can't evaluate field x/);
  fails('strings.render_template', ['{{.n.x}}', { n: null }], 'eval_builtin_error', /nil pointer/);
  fails('strings.render_template', [1, {}], 'eval_type_error');
  fails('strings.render_template', ['x', []], 'eval_type_error');
});

test('strings.render_template through a compiled policy', async () => {
  assert.equal(await evalRule('strings.render_template("Hello {{.who.name}}", {"who": input.user})', { user: { name: 'Ann' } }), 'Hello Ann');
  assert.equal(await evalRule('strings.render_template("{{if .a}}x{{end}}", {"a": 1})'), undefined);
});
