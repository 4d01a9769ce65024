import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TESTDATA_DIR } from './testdata-dir';
import { parseModule, parseQuery, parseTerm } from './index';
import { printBody, printModule, printRule, printTerm } from './ast-print';

function term(src: string): string {
  const r = parseTerm('t', src);
  assert.deepEqual(r.errors, [], src);
  return printTerm(r.term!);
}
function query(src: string): string {
  const r = parseQuery('q', src);
  assert.deepEqual(r.errors, [], src);
  return printBody(r.body!);
}
function rules(src: string): string[] {
  const r = parseModule('m.rego', `package p\n${src}`);
  assert.deepEqual(r.errors, [], src);
  return r.module!.rules.map(printRule);
}
function errors(src: string): string[] {
  return parseModule('m.rego', src).errors.map((e) => `${e.line}:${e.col} ${e.message}`);
}

test('operator precedence follows OPA: in < comparisons < | < & < + - < * / %', () => {
  assert.equal(term('1 + 2 * 3'), 'plus(1, mul(2, 3))');
  assert.equal(term('1 - 2 - 3'), 'minus(minus(1, 2), 3)');
  assert.equal(term('8 / 4 % 3 * 2'), 'mul(rem(div(8, 4), 3), 2)');
  assert.equal(term('a | b & c'), 'or(a, and(b, c))');
  assert.equal(term('a & b + c'), 'and(a, plus(b, c))');
  assert.equal(term('a | b == c'), 'equal(or(a, b), c)');
  assert.equal(term('a < b == c'), 'equal(lt(a, b), c)');
  assert.equal(term('x in xs == true'), 'internal.member_2(x, equal(xs, true))');
  assert.equal(term('x in xs in ys'), 'internal.member_2(internal.member_2(x, xs), ys)');
  assert.equal(term('(1 + 2) * 3'), 'mul(plus(1, 2), 3)');
  for (const [op, name] of [['==', 'equal'], ['!=', 'neq'], ['<', 'lt'], ['<=', 'lte'], ['>', 'gt'], ['>=', 'gte']]) {
    assert.equal(term(`a ${op} b`), `${name}(a, b)`);
  }
});

test('unary minus folds into number literals, otherwise minus(0, x)', () => {
  assert.equal(term('-1'), '-1');
  assert.equal(term('-2.5e3'), '-2.5e3');
  assert.equal(term('1 - -1'), 'minus(1, -1)');
  assert.equal(term('-x.y'), 'minus(0, x.y)');
  assert.equal(term('-(1 + x)'), 'minus(0, plus(1, x))');
});

test('terms: refs, calls, composites, comprehensions, empty set', () => {
  assert.equal(term('a.b[x]["c"][_]'), 'a.b[x].c[$wild0]');
  assert.equal(term('a["not-ident"]'), 'a["not-ident"]');
  assert.equal(term('[1, 2][i]'), '[1, 2][i]');
  assert.equal(term('f(x).y[0]'), 'f(x).y[0]');
  assert.equal(term('data.lib.f(x, y)'), 'data.lib.f(x, y)');
  assert.equal(term('input.some.every.in'), 'input.some.every.in');
  assert.equal(term('set()'), 'set()');
  assert.equal(parseTerm('t', 'set()').term!.type, 'set');
  assert.equal(term('{}'), '{}');
  assert.equal(parseTerm('t', '{}').term!.type, 'object');
  assert.equal(term('{[1]: {2}, "k": null}'), '{[1]: {2}, "k": null}');
  assert.equal(term('[x | x := xs[_]]'), '[x | x := xs[$wild0]]');
  assert.equal(term('{x | some x in xs}'), '{x | some x in xs}');
  assert.equal(term('{k: v | some k, v in o}'), '{k: v | some k, v in o}');
  assert.equal(term('[a | b] | c'), 'or([a | b], c)');
  assert.equal(term('[(a | b)]'), '[or(a, b)]');
  assert.equal(term('[1, a | b]'), '[1, or(a, b)]');
});

test('wildcards become distinct $wildN vars', () => {
  const t = parseTerm('t', '[_, _, x[_]]').term!;
  assert.equal(printTerm(t), '[$wild0, $wild1, x[$wild2]]');
});

test('queries: ; and newlines separate literals; open brackets and trailing operators continue', () => {
  assert.equal(query('x := data.a.b; x > 1'), 'x := data.a.b; gt(x, 1)');
  assert.equal(query('a = b\n[c] = d'), 'a = b; [c] = d');
  assert.equal(query('x := 1\n-1 < 0'), 'x := 1; lt(-1, 0)');
  assert.equal(query('x := 1 +\n  2'), 'x := plus(1, 2)');
  assert.equal(query('f(x,\n y)\nz'), 'f(x, y); z');
  assert.equal(query('x := {\n"a": 1,\n}'), 'x := {"a": 1}');
  assert.equal(query('not a with b as c\n  with d.e as 1'), 'not a with b as c with d.e as 1');
  assert.equal(query('k, v in x'), 'internal.member_3(k, v, x)');
  assert.equal(query('some k, v in x; some y; some z in w'), 'some k, v in x; some y; some z in w');
  assert.equal(query('every k, v in x { k == v }'), 'every k, v in x { equal(k, v) }');
});

test('query errors', () => {
  assert.match(parseQuery('q', '').errors[0].message, /empty body/);
  assert.match(parseQuery('q', 'x := ').errors[0].message, /unexpected end of file/);
  assert.match(parseQuery('q', 'a b').errors[0].message, /unexpected identifier b/);
  assert.equal(parseQuery('q', 'x := (1').errors[0].code, 'rego_parse_error');
});

test('rule kinds and heads', () => {
  assert.deepEqual(rules('p := 1\nq = 2\nr if true\ns := 3 if { true }'), [
    '[complete] p := 1',
    '[complete] q = 2',
    '[complete] r = true if { true }',
    '[complete] s := 3 if { true }',
  ]);
  assert.deepEqual(rules('p contains 1\nq contains x if { x := 1 }\na.b[c] contains d if { d := c }'), [
    '[partial_set] p contains 1',
    '[partial_set] q contains x if { x := 1 }',
    '[partial_set] a.b[c] contains d if { d := c }',
  ]);
  assert.deepEqual(rules('p[k] := v if { k := 1; v := 2 }\na.b[c] := d if { c := 1; d := 2 }\na.b.c := 1'), [
    '[partial_object] p[k] := v if { k := 1; v := 2 }',
    '[partial_object] a.b[c] := d if { c := 1; d := 2 }',
    '[complete] a.b.c := 1',
  ]);
  assert.deepEqual(rules('f(x) := x\ng(x, y) if x > y\ndefault h(_) := 0'), [
    '[function] f(x) := x',
    '[function] g(x, y) = true if { gt(x, y) }',
    '[function] default h($wild0) := 0',
  ]);
  const m = parseModule('m', 'package p\np[k] := v if { k := 1; v := 2 }\nq contains x if { x := 1 }').module!;
  assert.equal(printTerm(m.rules[0].head.key!), 'k');
  assert.equal(printTerm(m.rules[1].head.key!), 'x');
  assert.deepEqual(m.rules[1].head.ref.map(printTerm), ['"q"']);
});

test('several bodies on one head become several rules', () => {
  assert.deepEqual(rules('p if { a } { b }'), ['[complete] p = true if { a }', '[complete] p = true if { b }']);
});

test('else chains', () => {
  const [r] = rules('p := 1 if { a } else := 2 if { b } else := 3');
  assert.equal(r, '[complete] p := 1 if { a } else = 2 if { b } else = 3');
  const [f] = rules('f(x) := 1 if x > 1\nelse := 2');
  assert.equal(f, '[function] f(x) := 1 if { gt(x, 1) } else = 2');
  const [g] = rules('g if { a } else { b }');
  assert.equal(g, '[complete] g = true if { a } else = true if { b }');
});

test('module structure: package path, imports, comments', () => {
  const r = parseModule('m.rego', '# c1\npackage a.b["c-d"]\nimport rego.v1\nimport data.x as y # c2\nimport input.foo\nimport future.keywords.in\np := 1\n');
  assert.deepEqual(r.errors, []);
  const m = r.module!;
  assert.deepEqual(m.package.path, ['a', 'b', 'c-d']);
  assert.deepEqual(m.imports.map((i) => [printTerm(i.path), i.alias]), [
    ['rego.v1', undefined], ['data.x', 'y'], ['input.foo', undefined], ['future.keywords.in', undefined],
  ]);
  assert.deepEqual(m.comments.map((c) => [c.text, c.loc.line, c.loc.col]), [[' c1', 1, 1], [' c2', 4, 20]]);
  assert.equal(printModule(m).split('\n')[0], 'package a.b.c-d');
});

test('locations of nested nodes', () => {
  const m = parseModule('m.rego', 'package p\n\nallow if {\n\t"é😀" == input.x\n}\n').module!;
  const e = m.rules[0].body[0];
  assert.deepEqual([e.loc.line, e.loc.col], [4, 2]);
  if (e.kind !== 'term' || e.term.type !== 'call') throw new Error('expected call');
  const rhs = e.term.args[1];
  assert.deepEqual([rhs.loc.line, rhs.loc.col], [4, 10]); // tab, quote, é, 😀, quote, ' == ' → col 10
  assert.equal(rhs.loc.file, 'm.rego');
});

test('v1 errors: missing if, old partial set, empty body, else on multi-value rules', () => {
  assert.deepEqual(errors('package p\np { true }'), ['2:3 `if` keyword is required before rule body']);
  assert.deepEqual(errors('package p\np[x] { x := 1 }'), ['2:1 `contains` keyword is required for partial set rules']);
  assert.deepEqual(errors('package p\np if {}'), ['2:6 found empty body']);
  assert.match(errors('package p\np contains 1 if { true } else := 2')[0], /else keyword cannot be used on multi-value rules/);
  assert.match(errors('package p\np')[0], /rule must have a value/);
  assert.match(errors('package p\np := 1 q := 2')[0], /2:8 unexpected identifier q/);
  assert.match(errors('package p\nimport foo.bar')[0], /invalid import path/);
  assert.match(errors('package p\nnot := 1')[0], /unexpected not keyword/);
});

test('errors are collected across rules and each reports its own line', () => {
  // `d := 3 +` continues onto the next line, so that statement fails at the second `:=`.
  const errs = errors('package p\na := [1\nb := 2\nc if { x := }\nd := 3 +\ne := 1\nf := "x\ng := 1');
  assert.deepEqual(errs.map((e) => e.split(' ')[0]), ['3:1', '4:13', '6:3', '7:6']);
  const ok = parseModule('m', 'package p\na := (\nb := 1');
  assert.equal(ok.module, undefined);
});

test('never throws: truncations and mutations of every golden input', () => {
  const dir = TESTDATA_DIR;
  let runs = 0;
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const junk = ['{', '}', '[', ']', '(', ')', '"', '`', '|', ':=', '\n', 'if', 'else', ',', '-', '.', '😀', 'some', 'every'];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.rego'))) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (let cut = 0; cut < src.length; cut += 7) {
      const r = parseModule(f, src.slice(0, cut));
      assert.ok(Array.isArray(r.errors));
      runs++;
    }
    for (let k = 0; k < 60; k++) {
      const at = rand(src.length + 1);
      const mutated = src.slice(0, at) + junk[rand(junk.length)] + src.slice(at + rand(3));
      const r = parseModule(f, mutated);
      for (const e of r.errors) assert.equal(e.code, 'rego_parse_error');
      assert.ok(r.module !== undefined || r.errors.length > 0);
      runs++;
    }
  }
  assert.ok(runs > 500);
});

test('deep nesting is an error, not a crash', () => {
  const deep = 'package p\nx := ' + '['.repeat(5000) + ']'.repeat(5000);
  const r = parseModule('m', deep);
  assert.equal(r.module, undefined);
  assert.match(r.errors[0].message, /nested too deeply/);
  const neg = parseQuery('q', 'x := ' + '-'.repeat(5000) + 'y');
  assert.match(neg.errors[0].message, /nested too deeply/);
});

test('contains is a keyword in rule heads only: contains(s, x) in a body is the builtin', () => {
  assert.deepEqual(rules('r contains x if { x := 1; contains("abc", "b") }\ns if contains(input.p, "admin")'), [
    '[partial_set] r contains x if { x := 1; contains("abc", "b") }',
    '[complete] s = true if { contains(input.p, "admin") }',
  ]);
  assert.equal(term('[contains("ab", "a"), 1]'), '[contains("ab", "a"), 1]');
  assert.ok(errors('package p\nr if { contains := 1 }').length > 0, 'still not a variable name');
});

test('future and rego imports name real keywords / versions', () => {
  assert.deepEqual(errors('package p\nimport future.keywords.whatever\n'), ['2:8 unexpected keyword whatever, must be one of [contains every if in]']);
  assert.deepEqual(errors('package p\nimport future.stuff\n'), ['2:8 invalid import, must be `future.keywords` or `future.keywords.<keyword>`']);
  assert.deepEqual(errors('package p\nimport rego.v2\n'), ['2:8 invalid import `rego.v2`, must be `rego.v1`']);
  assert.deepEqual(errors('package p\nimport future.keywords\nimport future.keywords.in\nimport rego.v1\n'), []);
});
