// Compiler benchmark: compile time of an RBAC policy and of a generated ~500-line policy, and
// per-decision evaluation time through opa-wasm's evaluate().
//   npm run bench:rego
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compile, initCompiler } from '../src/index';

const RBAC = `package rbac
import rego.v1

default allow := false

allow if {
  some r in data.user_roles[input.user]
  some p in data.role_permissions[r]
  p.action == input.action
  p.type == input.type
}
`;

function rbacData(users: number, roles: number) {
  const user_roles: Record<string, string[]> = {};
  const role_permissions: Record<string, Array<{ action: string; type: string }>> = {};
  for (let r = 0; r < roles; r++) {
    role_permissions[`role${r}`] = [
      { action: 'read', type: `type${r}` },
      { action: 'write', type: `type${r}` },
      { action: 'delete', type: `type${r % 7}` },
    ];
  }
  for (let u = 0; u < users; u++) user_roles[`user${u}`] = [`role${u % roles}`, `role${(u * 7) % roles}`];
  return { user_roles, role_permissions };
}

/** A policy of ~500 lines mixing the common constructs. */
function generatedPolicy(rules: number): string {
  const lines = ['package gen', 'import rego.v1', ''];
  for (let i = 0; i < rules; i++) {
    lines.push(
      `allow_${i} if {`,
      `  input.tool == "tool_${i}"`,
      `  some arg in input.args`,
      `  startswith(arg, "prefix_${i}")`,
      `  count(input.args) < ${i + 3}`,
      `}`,
      `deny contains msg if {`,
      `  input.user == data.blocked[_]`,
      `  msg := sprintf("user %v blocked by rule ${i}", [input.user])`,
      `}`,
      `score_${i} := x if {`,
      `  x := input.n * ${i} + 1`,
      `} else := 0`,
      `allowed contains "tool_${i}" if allow_${i}`,
      `scores["s${i}"] := score_${i}`,
      ``,
    );
  }
  // Every rule is reachable from the entrypoint, so all of them are planned and generated.
  lines.push('decision := {"allowed": allowed, "deny": deny, "scores": scores}');
  return lines.join('\n');
}

function fmt(n: number, unit: string): string {
  return `${n.toFixed(n < 10 ? 2 : 1)} ${unit}`;
}

async function main() {
  let t = performance.now();
  await initCompiler();
  console.log(`binaryen load: ${fmt(performance.now() - t, 'ms')}`);

  // RBAC: compile (warm the toolchain once, then time).
  await compile({ modules: [{ file: 'rbac.rego', text: RBAC }], entrypoints: ['rbac/allow'] });
  const compileRuns = 5;
  t = performance.now();
  let out = await compile({ modules: [{ file: 'rbac.rego', text: RBAC }], entrypoints: ['rbac/allow'] });
  for (let i = 1; i < compileRuns; i++) out = await compile({ modules: [{ file: 'rbac.rego', text: RBAC }], entrypoints: ['rbac/allow'] });
  console.log(`rbac compile: ${fmt((performance.now() - t) / compileRuns, 'ms')} (wasm ${out.wasm?.length ?? 0} bytes)`);
  if (!out.wasm) throw new Error(`rbac failed to compile: ${JSON.stringify(out.errors)}`);

  const policy = await loadPolicy(out.wasm);
  policy.setData(rbacData(1000, 50));
  const inputs = [
    { user: 'user17', action: 'write', type: 'type17' },
    { user: 'user3', action: 'delete', type: 'type99' },
    { user: 'nobody', action: 'read', type: 'type1' },
  ];
  const check = inputs.map((i) => JSON.stringify(policy.evaluate(i, 'rbac/allow')));
  console.log(`rbac results: ${check.join(' ')}`);
  for (let i = 0; i < 20000; i++) policy.evaluate(inputs[i % 3], 'rbac/allow');
  const iterations = 200000;
  t = performance.now();
  for (let i = 0; i < iterations; i++) policy.evaluate(inputs[i % 3], 'rbac/allow');
  const us = ((performance.now() - t) * 1000) / iterations;
  console.log(`rbac evaluate: ${fmt(us, 'µs')} per decision (${iterations} iterations, target ≤ 5 µs)`);

  // Fuel metering cost: the same policy built without metering, timed in alternating rounds
  // (the machine is shared, so back-to-back runs are noisier than the difference).
  const bare = await compile({ modules: [{ file: 'rbac.rego', text: RBAC }], entrypoints: ['rbac/allow'], fuel: false });
  if (!bare.wasm) throw new Error('unmetered rbac failed to compile');
  const unmetered = await loadPolicy(bare.wasm);
  unmetered.setData(rbacData(1000, 50));
  const round = (p: typeof policy, n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) p.evaluate(inputs[i % 3], 'rbac/allow');
    return ((performance.now() - t0) * 1000) / n;
  };
  for (let i = 0; i < 20000; i++) unmetered.evaluate(inputs[i % 3], 'rbac/allow');
  const best = { metered: Infinity, unmetered: Infinity };
  for (let r = 0; r < 10; r++) {
    best.unmetered = Math.min(best.unmetered, round(unmetered, 20000));
    best.metered = Math.min(best.metered, round(policy, 20000));
  }
  console.log(`rbac evaluate, best of 10 alternating rounds: metered ${fmt(best.metered, 'µs')}, unmetered ${fmt(best.unmetered, 'µs')} (fuel metering ${fmt(((best.metered - best.unmetered) / best.unmetered) * 100, '%')})`);

  // Generated policy compile time.
  const text = generatedPolicy(32);
  const lineCount = text.split('\n').length;
  const entry = ['gen/decision'];
  t = performance.now();
  const gen = await compile({ modules: [{ file: 'gen.rego', text }], entrypoints: entry });
  const ms = performance.now() - t;
  if (!gen.wasm) throw new Error(`generated policy failed to compile: ${JSON.stringify(gen.errors.slice(0, 3))}`);
  console.log(`generated policy (${lineCount} lines) compile: ${fmt(ms, 'ms')} (wasm ${gen.wasm.length} bytes, target well under 1000 ms)`);
  const gp = await loadPolicy(gen.wasm, undefined, { 'arbiter.sprintf': (f: string, a: unknown[]) => `${f}:${a.join(',')}` });
  gp.setData({ blocked: ['eve'] });
  const res = gp.evaluate({ tool: 'tool_3', args: ['prefix_3x'], user: 'eve', n: 2 }, 'gen/decision') as Array<{ result: { allowed: string[]; deny: string[] } }>;
  console.log(`generated policy check: allowed=${JSON.stringify(res[0]?.result.allowed)} deny=${res[0]?.result.deny.length}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
