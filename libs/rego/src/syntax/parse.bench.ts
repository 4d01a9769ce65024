// Parser throughput on a generated ~500-line policy. Run: npx tsx libs/rego/src/syntax/parse.bench.ts
import { parseModule } from './index';

function policy(): string {
  const out = ['package bench.mcp', '', 'import rego.v1', 'import data.lib.util as u', ''];
  for (let i = 0; out.length < 500; i++) {
    out.push(
      `# rule group ${i}`,
      `deny contains msg if {`,
      `\tsome call in input.history`,
      `\tcall.tool == "tool_${i}"`,
      `\tcount([c | some c in input.history; c.ts > ${i * 1000}]) >= ${i % 7} + 1`,
      `\tmsg := sprintf("tool %s blocked (%d)", [call.tool, ${i}])`,
      `}`,
      `limits["tool_${i}"] := {"max": ${i * 3}, "ratio": ${i}.5e-1, "tags": {"a", "b"}}`,
      `allowed_${i}(x) := x.args.path if startswith(x.args.path, "/srv/${i}/")`,
      `score_${i} := s if { s := (input.a * 2 + input.b) / 3 } else := 0`,
      '',
    );
  }
  return out.join('\n');
}

const src = policy();
const lines = src.split('\n').length;
for (let i = 0; i < 50; i++) parseModule('bench.rego', src); // warm up
const runs = 500;
const t0 = process.hrtime.bigint();
for (let i = 0; i < runs; i++) {
  const r = parseModule('bench.rego', src);
  if (r.errors.length) throw new Error(r.errors[0].message);
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
console.log(`parseModule: ${lines} lines, ${src.length} chars: ${ms.toFixed(3)} ms/parse (${((src.length / 1024 / ms) * 1000 / 1024).toFixed(1)} MiB/s)`);
