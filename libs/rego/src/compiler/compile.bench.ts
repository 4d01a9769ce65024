// Compile throughput (parse + compile stages + plan) on a generated ~500-line policy with many
// rules, functions, comprehensions, ref heads and `with`. Prints a per-stage breakdown.
// Run: npx tsx libs/rego/src/compiler/compile.bench.ts [lines]
import { parseModule } from '../syntax';
import { CompileContext, compileModules, STAGES } from './index';

export function benchPolicy(lines = 500): string {
  const out = ['package bench.mcp', '', 'import rego.v1', ''];
  const eps: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    const prev = i > 0 ? `score_${i - 1}` : 'input.base';
    out.push(
      `deny contains msg if {`,
      `\tsome call in input.history`,
      `\tcall.tool == "tool_${i}"`,
      `\trecent := [c | some c in input.history; c.ts > ${i * 1000}; c.tool == call.tool]`,
      `\tcount(recent) >= limits["tool_${i}"].max`,
      `\tmsg := sprintf("tool %s blocked (%d)", [call.tool, ${i}])`,
      `}`,
      `limits["tool_${i}"] := {"max": ${i * 3}, "tags": {t | some t in ["a", "b"]}}`,
      `allowed_${i}(x) := x.args.path if startswith(x.args.path, "/srv/${i}/")`,
      `else := false`,
      `score_${i} := s if { s := (${prev} * 2 + input.b) / 3 } else := 0`,
      `by_server.s${i}[t.name] := allowed_${i}(t) if some t in input.tools`,
      `checked_${i} if { score_${i} > 1 with input.b as ${i} }`,
      '',
    );
    eps.push(`bench/mcp/checked_${i}`);
  }
  out.push('decision := {"deny": deny, "limits": limits, "servers": by_server}');
  return out.join('\n');
}

if (require.main === module) {
  const src = benchPolicy(Number(process.argv[2] ?? 500));
  const entrypoints = ['bench/mcp/decision', 'bench/mcp/deny'];
  const once = () => {
    const { module, errors } = parseModule('bench.rego', src);
    if (!module) throw new Error(errors[0].message);
    const r = compileModules([module], { entrypoints });
    if (r.errors.length) throw new Error(r.errors[0].message);
    return r.policy!;
  };
  for (let i = 0; i < 10; i++) once(); // warm up
  const runs = 30;
  const t0 = process.hrtime.bigint();
  let funcs = 0;
  for (let i = 0; i < runs; i++) funcs = once().funcs.length;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
  console.log(`compile: ${src.split('\n').length} lines → ${funcs} funcs: ${ms.toFixed(2)} ms (parse + stages + plan)`);
  // per stage, on fresh contexts
  const module = parseModule('bench.rego', src).module!;
  const totals = new Map<string, number>();
  for (let i = 0; i < runs; i++) {
    const ctx = new CompileContext(structuredClone([module]), { entrypoints });
    for (const st of STAGES) {
      const t = process.hrtime.bigint();
      st.run(ctx);
      totals.set(st.name, (totals.get(st.name) ?? 0) + Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  for (const [name, t] of totals) console.log(`  ${name.padEnd(16)} ${(t / runs).toFixed(2)} ms`);
}
