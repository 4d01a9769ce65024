// Compile-stage unit tests: error codes, messages and locations; safety reordering.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Diagnostic } from '../diagnostics';
import { parseModule, type Module } from '../syntax';
import { compileModules, runStages } from './index';

function mods(...texts: string[]): Module[] {
  return texts.map((t, i) => {
    const { module, errors } = parseModule(`m${i}.rego`, t);
    assert.ok(module, `parse: ${errors.map((e) => e.message).join('; ')}`);
    return module;
  });
}

function errorsOf(...texts: string[]): Diagnostic[] {
  const r = compileModules(mods(...texts), { entrypoints: [] });
  assert.equal(r.policy, undefined, 'expected errors');
  return r.errors;
}

function one(errors: Diagnostic[], code: string, message: string): Diagnostic {
  const e = errors.find((x) => x.code === code && x.message.includes(message));
  assert.ok(e, `no ${code} "${message}" in ${JSON.stringify(errors)}`);
  return e;
}

describe('resolve', () => {
  test('an import shadowing another import is an error at the second one', () => {
    const e = one(errorsOf('package a\nimport data.x\nimport input.y as x\np := x\n'), 'rego_compile_error', 'import must not shadow import data.x as x');
    assert.deepEqual([e.line, e.col], [3, 1]);
  });
  test('unknown function is a type error at the call', () => {
    const e = one(errorsOf('package a\n\np if {\n  nope(1)\n}\n'), 'rego_type_error', 'undefined function nope');
    assert.deepEqual([e.file, e.line, e.col], ['m0.rego', 4, 3]);
  });
  test('builtin arity mismatch', () => {
    one(errorsOf('package a\n\np if count(1, 2, 3)\n'), 'rego_type_error', 'count: too many arguments');
    one(errorsOf('package a\n\np if startswith("a")\n'), 'rego_type_error', 'startswith: arity mismatch');
  });
  test('obvious constant type mismatch', () => {
    one(errorsOf('package a\n\np if count(1)\n'), 'rego_type_error', 'count: invalid argument');
  });
  test('user functions resolve through package, imports and data refs', () => {
    const r = compileModules(
      mods(
        'package lib\n\nf(x) := x + 1\n',
        'package a\nimport data.lib\nimport data.lib.f as g\n\np := [lib.f(1), data.lib.f(2), g(3)]\n',
      ),
      { entrypoints: ['a/p'] },
    );
    assert.deepEqual(r.errors, []);
  });
  test('unknown user function under data', () => {
    one(errorsOf('package a\n\np := data.lib.nope(1)\n'), 'rego_type_error', 'undefined function data.lib.nope');
  });
});

describe('rule checks', () => {
  test('complete and multi-value rules on one path conflict', () => {
    one(errorsOf('package x\n\np := 1\n\np contains 2\n'), 'rego_type_error', 'conflicting rules data.x.p found');
  });
  test('function and rule on one path conflict', () => {
    one(errorsOf('package x\n\np := 1\n\np(a) := a\n'), 'rego_type_error', 'conflicting rules data.x.p found');
  });
  test('multiple defaults', () => {
    one(errorsOf('package x\n\ndefault p := 1\n\ndefault p := 2\n'), 'rego_type_error', 'multiple default rules data.x.p found');
  });
});

describe('local rewriting', () => {
  test(':= twice', () => {
    const e = one(errorsOf('package x\n\np if {\n  x := 1\n  x := 2\n}\n'), 'rego_compile_error', 'var x assigned above');
    assert.deepEqual([e.line, e.col], [5, 3]);
  });
  test('some then :=', () => {
    one(errorsOf('package x\n\np if {\n  some x\n  x := 1\n}\n'), 'rego_compile_error', 'var x declared above');
  });
  test(':= after use', () => {
    one(errorsOf('package x\n\np if {\n  x = 1\n  x := 2\n}\n'), 'rego_compile_error', 'var x referenced above');
  });
  test('shadowing in comprehensions is allowed', () => {
    const r = compileModules(mods('package x\n\np := y if {\n  x := 1\n  y := [x | x := 2]\n}\n'), { entrypoints: ['x/p'] });
    assert.deepEqual(r.errors, []);
  });
});

describe('safety', () => {
  test('unbound var is unsafe at its location', () => {
    const e = one(errorsOf('package x\n\np if {\n  x > 1\n}\n'), 'rego_unsafe_var_error', 'var x is unsafe');
    assert.deepEqual([e.line, e.col], [4, 3]);
  });
  test('head var not bound by the body', () => {
    one(errorsOf('package x\n\np contains y if {\n  input.a\n}\n'), 'rego_unsafe_var_error', 'var y is unsafe');
  });
  test('negated expression needs its vars bound', () => {
    one(errorsOf('package x\n\np if {\n  not x = 1\n}\n'), 'rego_unsafe_var_error', 'var x is unsafe');
  });
  test('reorders so inputs are bound first (stable)', () => {
    const ctx = runStages(mods('package x\n\np if {\n  y > x\n  x = input.a\n  count(input.b) > 0\n  y = x + 1\n}\n'), { entrypoints: [] }, 'check_safety');
    assert.deepEqual(ctx.diags.items, []);
    const body = ctx.modules[0].rules[0].body;
    // x = input.a; count(...) > 0; y = x + 1; y > x
    assert.deepEqual(
      body.map((e) => e.loc.line),
      [5, 6, 7, 4],
    );
  });
  test('comprehension closures wait for shared vars', () => {
    const ctx = runStages(mods('package x\n\np if {\n  ys := [y | y := input.a[_]; y > x]\n  x = 1\n}\n'), { entrypoints: [] }, 'check_safety');
    assert.deepEqual(ctx.diags.items, []);
    assert.deepEqual(ctx.modules[0].rules[0].body.map((e) => e.loc.line), [5, 4]);
  });
});

describe('recursion', () => {
  test('cycle through two rules', () => {
    const e = one(errorsOf('package a\n\nb if c\n\nc if b\n'), 'rego_recursion_error', 'rule data.a.b is recursive: data.a.b -> data.a.c -> data.a.b');
    assert.equal(e.line, 3);
  });
  test('self-recursive function', () => {
    one(errorsOf('package a\n\nf(x) := f(x - 1)\n'), 'rego_recursion_error', 'data.a.f -> data.a.f');
  });
});

describe('with targets', () => {
  test('unknown targets are type errors; eq and internal functions cannot be replaced', () => {
    const errs = errorsOf('package a\n\np if {\n  true with nope as 2\n  true with eq as 1\n  true with internal.member_2 as 1\n}\n');
    one(errs, 'rego_type_error', 'with keyword target must reference existing input, data, or a function');
    one(errs, 'rego_compile_error', 'replacement of "eq" invalid');
    one(errs, 'rego_compile_error', 'replacement of internal function "internal.member_2" invalid');
  });
  test('replacing a function with one of another arity', () => {
    one(errorsOf('package a\n\nf(x, y) := x\n\np if {\n  f(1, 2) with f as count\n}\n'), 'rego_type_error', 'data.a.f: arity mismatch');
  });
  test('a path below a rule cannot be replaced (OPA: no partial replacement)', () => {
    const e = one(errorsOf('package a\n\nq := {"x": 1}\n\np if {\n  q.x == 2 with data.a.q.x as 2\n}\n'), 'rego_compile_error', 'with keyword cannot partially replace virtual document(s)');
    assert.deepEqual([e.line, e.col], [6, 12]);
  });
  test('with inside comprehension and every bodies is checked too', () => {
    one(errorsOf('package a\n\np := [x | x := 1 with nope as 1]\n'), 'rego_type_error', 'with keyword target must reference');
    one(errorsOf('package a\n\np if every x in [1] { x with nope as 1 }\n'), 'rego_type_error', 'with keyword target must reference');
  });
});

describe('rules inside the value of another rule', () => {
  test('a complete rule with rules below it (OPA lists them)', () => {
    const e = one(
      errorsOf('package play\n\np := 1\n\np.q := 2\n\np.r[s] := 3 if s := "s"\n'),
      'rego_type_error',
      'rule data.play.p conflicts with [data.play.p.q data.play.p.r[s]]',
    );
    assert.equal(e.line, 3);
  });
  test('a partial set with a rule below it', () => {
    one(errorsOf('package x\n\np contains 1\n\np.q := 2\n'), 'rego_type_error', 'multi-value rule data.x.p conflicts with [data.x.p.q]');
  });
  test('rules below a partial object merge into it (no error)', () => {
    const r = compileModules(mods('package x\n\np[k] := 1 if some k in ["a"]\n\np.q := 2\n\np.r.s := 3\n'), { entrypoints: ['x/p'] });
    assert.deepEqual(r.errors, []);
  });
});

describe('type checking', () => {
  test('builtin arguments of a kind that can never match', () => {
    const errs = errorsOf(
      'package a\n\np if {\n  x := 1\n  startswith(x, "a")\n  lower(["a"])\n  n := count(input.xs)\n  upper(n)\n  s := {y | some y in input.ys}\n  concat(",", s)\n}\n',
    );
    const e = one(errs, 'rego_type_error', 'startswith: invalid argument(s)\n\thave: (number, string)\n\twant: (string, string)');
    assert.deepEqual([e.line, e.col], [5, 3]);
    one(errs, 'rego_type_error', 'lower: invalid argument(s)\n\thave: (array[any])');
    one(errs, 'rego_type_error', 'upper: invalid argument(s)\n\thave: (number)');
    assert.equal(errs.length, 3, JSON.stringify(errs));
  });
  test('rule values and function results are typed; input/data never are', () => {
    const errs = errorsOf('package a\n\nlimit := 10\n\nname(x) := sprintf("%v", [x])\n\np if {\n  trim(limit, " ")\n  abs(name(1))\n  upper(input.x)\n  upper(data.a.limit)\n}\n');
    one(errs, 'rego_type_error', 'trim: invalid argument(s)');
    one(errs, 'rego_type_error', 'abs: invalid argument(s)');
    one(errs, 'rego_type_error', 'upper: invalid argument(s)');
    assert.equal(errs.length, 3, JSON.stringify(errs));
  });
  test('comparing a number with a string is fine; unions and any are not reported', () => {
    const r = compileModules(
      mods('package a\n\nv := 1 if input.a\nv := "s" if input.b\n\np if {\n  1 == "1"\n  x := 3\n  x != "3"\n  lower(v)\n  count(input)\n  y := [z | some z in input]\n  count(y)\n}\n'),
      { entrypoints: ['a/p'] },
    );
    assert.deepEqual(r.errors, []);
  });
  test('user function arity', () => {
    one(errorsOf('package a\n\nf(x) := x\n\np := f(1, 2, 3)\n'), 'rego_type_error', 'function data.a.f has arity 1, got 3 arguments');
  });

  test('an output argument only as an expression of its own', () => {
    // these compiled, then failed in the planner ("internal compiler error") or at load time
    one(errorsOf('package a\n\nf(x) := x\n\np := f(1, 2)\n'), 'rego_type_error', 'data.a.f: too many arguments (have 2, want 1)');
    one(errorsOf('package a\n\np := count("a", "b")\n'), 'rego_type_error', 'count: too many arguments (have 2, want 1)');
    one(errorsOf('package a\n\np if { x := [time.now_ns(1)]; x }\n'), 'rego_type_error', 'time.now_ns: too many arguments (have 1, want 0)');
    const ok = compileModules(mods('package a\n\np := [x | count([1], x)]\n\nq if { every y in [1] { count([y], 1) } }\n\nr if count("ab", 2)\n'), { entrypoints: ['a/p'] });
    assert.deepEqual(ok.errors, []);
  });
});

describe('every error in one run', () => {
  test('an error in one rule does not hide the errors of the others, found by later stages', () => {
    const errs = errorsOf('package a\n\nu := nope(1)\n\ns := upper(1)\n\nt if { not z }\n\np if q\nq if p\n');
    assert.deepEqual(
      errs.map((e) => `${e.line}:${e.col} ${e.code}`),
      ['3:6 rego_type_error', '5:6 rego_type_error', '7:12 rego_unsafe_var_error', '9:1 rego_recursion_error'],
    );
  });
  test('errors outside rules (imports) still stop at the first failing stage', () => {
    const errs = errorsOf('package a\nimport data.x\nimport input.x\n\ns := upper(1)\n');
    assert.deepEqual(errs.map((e) => e.code), ['rego_compile_error']);
  });
});

describe('function argument patterns', () => {
  test('a var used as an object key must be bound by another argument', () => {
    // was "internal error in stage plan: unbound var v"
    const e = one(errorsOf('package a\n\nf({v: v}) := "k"\n\nr := f({"k": 7})\n'), 'rego_unsafe_var_error', 'var v is unsafe');
    assert.deepEqual([e.line, e.col], [3, 4]);
    const ok = compileModules(mods('package a\n\nf(k, {k: v}) := v\n\nr := f("k", {"k": 7})\n'), { entrypoints: ['a/r'] });
    assert.deepEqual(ok.errors, []);
  });
});

describe('input and data cannot be declared', () => {
  test('as arguments or locals (OPA v1 rejects them; f(data) recursed without end)', () => {
    const errs = errorsOf('package a\n\nf(data) := 1\n\np if { input := 1 }\n\nq if { some data in [1] }\n\nr := [1 | every input in [1] { true }]\n');
    assert.deepEqual(
      errs.map((e) => `${e.line}:${e.col} ${e.code} ${e.message}`),
      [
        '3:3 rego_compile_error args must not shadow data (use a different variable name)',
        '5:8 rego_compile_error variables must not shadow input (use a different variable name)',
        '7:13 rego_compile_error variables must not shadow data (use a different variable name)',
        '9:17 rego_compile_error variables must not shadow input (use a different variable name)',
      ],
    );
  });
});
