// Per-call cost of sprintf: the Wasm runtime builtin vs the TypeScript host builtin (the same
// policy compiled with the catalog switched to `host`). Run: npx tsx libs/rego/src/builtins/sprintf.bench.ts
import { compile } from '../index';
import { loadPolicy } from '../host/index';
import { BUILTINS, lookupBuiltin } from './catalog';
import type { BuiltinDecl } from './types';

const CALLS = 1000;
const FORMATS: Record<string, string> = {
  strings: `sprintf("tool %s blocked for %s", [input.tool, input.user])`,
  mixed: `sprintf("tool %s blocked (%d calls, %.2f%%): %v", [input.tool, i, input.ratio, input.args])`,
};
// count() keeps the result small, so the figures are not about dumping 1000 strings.
const baseline = `msgs := count([i | some i in numbers.range(1, ${CALLS})])`;
const concatBaseline = `msgs := count([concat("", ["tool ", input.tool, " blocked for ", input.user, "!"]) | some i in numbers.range(1, ${CALLS})])`;
const input = { tool: 'fs.delete', user: 'ann', ratio: 0.4567, args: { path: '/etc/passwd', force: true } };

async function timeEval(rule: string): Promise<number> {
  const text = `package b\nimport rego.v1\n${rule}\n`;
  const r = await compile({ modules: [{ file: 'b.rego', text }], entrypoints: ['b/msgs'] });
  if (!r.wasm) throw new Error(JSON.stringify(r.errors));
  const p = await loadPolicy(r.wasm);
  for (let i = 0; i < 50; i++) p.evaluate(input, 'b/msgs');
  const runs = 300;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) p.evaluate(input, 'b/msgs');
  return Number(process.hrtime.bigint() - t0) / runs / 1000; // µs per evaluation
}

function setImpl(impl: 'runtime' | 'host'): void {
  const decl = lookupBuiltin('sprintf')!;
  (BUILTINS as Map<string, BuiltinDecl>).set('sprintf', Object.freeze({ ...decl, impl }));
}

async function main(): Promise<void> {
  const base = await timeEval(baseline);
  console.log(`baseline (${CALLS}-element comprehension, no sprintf): ${base.toFixed(1)} µs/eval`);
  const cat = await timeEval(concatBaseline);
  console.log(`for scale, concat of 5 strings instead: ${(((cat - base) * 1000) / CALLS).toFixed(0)} ns per element`);
  for (const impl of ['host', 'runtime'] as const) {
    setImpl(impl);
    for (const [name, call] of Object.entries(FORMATS)) {
      const t = await timeEval(`msgs := count([${call} | some i in numbers.range(1, ${CALLS})])`);
      console.log(`${impl.padEnd(7)} ${name.padEnd(7)}: ${t.toFixed(1)} µs/eval, ${(((t - base) * 1000) / CALLS).toFixed(0)} ns per sprintf call`);
    }
  }
  setImpl('runtime');
}

void main();
