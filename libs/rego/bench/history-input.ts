// Policy-input cost as the session history grows: the runtime's JSON parse alone, a trivial
// policy, and the default pack (or the directory given) at 0/10/50/100/256 history steps.
//   npx tsx libs/rego/bench/history-input.ts [policy dir]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PolicyEngine, regoCompiler, regoHost } from '@arbiter/engine';
import { RuntimeHarness } from '../src/codegen/runtime-harness';
import { sortedKeys } from '@arbiter/contracts';

const STEPS = [0, 10, 50, 100, 256];
// Token times relative to now, so the pack judges a live token rather than an expired one.
const NOW_S = Math.floor(Date.now() / 1000);

function input(n: number): Record<string, unknown> {
  const now = Date.now() * 1e6;
  const step = (i: number) => ({ step: i, time: '2025-01-01T00:00:00.000Z', time_ns: 1.7e18, tool: { name: 'get_issue', server: 'github', arguments: { owner: 'acme', repo: 'repo-1', number: i } }, decision: 'allow', reasons: [] });
  return sortedKeys({
    tool: { name: 'get_issue', server: 'github', arguments: { owner: 'acme', repo: 'repo-1', number: 1 }, annotations: {} },
    token: { present: true, valid: true, source: 'jwt', claims: { scope: 'issues:read repo:read', client_id: 'client-0', tenant: 'acme', iss: 'https://idp.example.com', aud: 'https://mcp.example.com/github', sub: 'user-0', iat: NOW_S - 60, exp: NOW_S + 3600 }, error: null },
    resource: 'https://mcp.example.com/github', context: { gateway: 'bench' }, caller: { name: 'anonymous', role: 'anonymous', trusted: false }, now_ns: now,
    session: { id: 's', step: n + 1, owner: { subject: 'user-0', client_id: 'client-0' }, owner_mismatch: false, history_source: 'server', history: Array.from({ length: n }, (_, i) => step(i + 1)) },
  }) as Record<string, unknown>;
}

/** Microseconds per call: the best of 5 rounds (the machine is shared; the minimum is stable). */
function time(fn: () => void, n: number): number {
  for (let i = 0; i < Math.min(300, n); i++) fn();
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / n / 1000);
  }
  return best;
}

async function engine(dir: string): Promise<PolicyEngine> {
  const e = new PolicyEngine({ location: { kind: 'directory', path: dir }, entrypoint: 'mcp/decision', evalTimeoutMs: 1000, compiler: regoCompiler(), host: regoHost(), watch: false });
  await e.start();
  return e;
}

async function main() {
  const dir = process.argv[2] ?? 'policies';
  const trivialDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbiter-trivial-'));
  fs.mkdirSync(path.join(trivialDir, 'mcp'));
  fs.writeFileSync(path.join(trivialDir, 'mcp', 'decision.rego'), 'package mcp\nimport rego.v1\ndecision := {"allow": true, "decision": "allow", "reasons": [], "obligations": {}} if input.tool.name\n');
  const pack = await engine(dir);
  const trivial = await engine(trivialDir);
  const rt = new RuntimeHarness();
  const heap = rt.exports.opa_heap_ptr_get();
  console.log('steps | bytes | parse us | trivial us | pack us | pack result');
  for (const n of STEPS) {
    const inp = input(n);
    const json = JSON.stringify(inp);
    const bytes = Buffer.from(json, 'utf8');
    rt.exports.opa_heap_ptr_set(heap);
    const at = rt.exports.opa_malloc(bytes.length);
    new Uint8Array(rt.memory.buffer).set(bytes, at);
    const after = rt.exports.opa_heap_ptr_get();
    const parse = time(() => {
      rt.exports.opa_heap_ptr_set(after);
      if (!rt.exports.opa_json_parse(at, bytes.length)) throw new Error('parse failed');
    }, 4000);
    const reps = n > 100 ? 400 : 1000;
    const now = inp.now_ns as number;
    const triv = time(() => trivial.evaluate(inp, now, bytes), reps);
    let r: unknown;
    const packUs = time(() => { r = pack.evaluate(inp, now, bytes).verdict; }, reps);
    console.log(`${n} | ${bytes.length} | ${parse.toFixed(2)} | ${triv.toFixed(1)} | ${packUs.toFixed(1)} | ${JSON.stringify(r).slice(0, 70)}`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
