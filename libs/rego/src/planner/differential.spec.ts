// Differential test: a few hundred random expressions, each a rule of one module, evaluated by
// the Wasm back end and by the IR interpreter. Whenever Wasm gives a value the interpreter must
// give the same one (the interpreter is more lenient with bad argument types, where Wasm is
// undefined as OPA is, so only defined Wasm values are compared).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile } from '../compile';
import { compileModules } from '../compiler';
import { loadPolicy } from '../host';
import { parseModule } from '../syntax';
import { ExprGen, seeded } from './expr-gen';
import { Interpreter } from './interpret';
import { fromJSON, toJS } from './interp-values';

const INPUT = { n: 3, s: 'hello', xs: [1, 'two', 3.5, null], o: { k: 'v', n: 2 } };

/** JSON with object keys sorted (sets come back sorted from both sides). */
function canon(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  );
}

test('random expressions: Wasm and the IR interpreter agree', async () => {
  const gen = new ExprGen(seeded(20261122));
  const rules: string[] = [];
  // keep the expressions that compile on their own (type errors are fine to generate)
  while (rules.length < 300) {
    const text = `package t\nr${rules.length} := ${gen.expr()}\n`;
    const { module } = parseModule('t.rego', text);
    if (module && compileModules([module], { entrypoints: [] }).errors.length === 0) rules.push(text.split('\n')[1]);
  }
  const text = `package t\n${rules.join('\n')}\n`;
  const out = await compile({ modules: [{ file: 't.rego', text }], entrypoints: ['t'] });
  assert.deepEqual(out.errors, []);
  const wasm = ((await loadPolicy(out.wasm!)).evaluate(INPUT, 't').result as Array<{ result: Record<string, unknown> }>)[0].result;
  const { policy } = compileModules([parseModule('t.rego', text).module!], { entrypoints: ['t'] });
  const ir = toJS(new Interpreter(policy!).run('t', fromJSON(INPUT), fromJSON({}))[0]) as { result: Record<string, unknown> };
  let compared = 0;
  for (const [i, rule] of rules.entries()) {
    const w = wasm[`r${i}`];
    if (w === undefined) continue;
    compared++;
    assert.equal(canon(ir.result[`r${i}`]), canon(w), rule);
  }
  assert.ok(compared > 150, `only ${compared} rules were defined`);
});
