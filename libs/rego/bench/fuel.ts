// Fuel figures: what the default policy pack burns per decision for growing session histories
// (to size ARBITER_EVAL_FUEL), and how fast a runaway policy burns fuel (fuel per ms), which
// relates a budget to the wall-clock time a runaway evaluation can take before it is stopped.
//   npx tsx libs/rego/bench/fuel.ts
import { join } from 'node:path';
import { loadSourceTree } from '../src/bundle/source-tree';
import { compile } from '../src/index';
import { loadPolicy, PolicyEvalError } from '../src/host/index';

const ROOT = join(__dirname, '..', '..', '..');
const NOW = 1_700_000_000_000_000_000;
const SEC = 1_000_000_000;

/** Calls drawn from the default catalog: reads, untrusted content, sinks, destructive. */
const CALLS = [
  { server: 'github', name: 'list_issues', arguments: { owner: 'acme', repo: 'web' } },
  { server: 'github', name: 'get_issue', arguments: { owner: 'acme', repo: 'web', number: 7 } },
  { server: 'github', name: 'get_file_contents', arguments: { owner: 'acme', repo: 'web', path: 'README.md' } },
  { server: 'chat', name: 'list_channels', arguments: {} },
  { server: 'billing', name: 'get_invoices', arguments: { user_id: 'alice' } },
];

const CURRENT = [
  { server: 'github', name: 'get_issue', arguments: { owner: 'acme', repo: 'web', number: 8 } },
  { server: 'github', name: 'create_pull_request', arguments: { owner: 'acme', repo: 'web', title: 'fix' } },
  { server: 'chat', name: 'send_message', arguments: { channel: 'general', text: 'hi' } },
  { server: 'github', name: 'delete_repository', arguments: { owner: 'acme', repo: 'web' } },
];

function input(tool: (typeof CALLS)[number], historyLen: number): unknown {
  const history = Array.from({ length: historyLen }, (_, i) => {
    const c = CALLS[i % CALLS.length];
    const t = NOW - (historyLen - i) * 5 * SEC;
    return {
      step: i + 1,
      time: new Date(t / 1e6).toISOString(),
      time_ns: t,
      tool: { name: c.name, server: c.server, arguments: c.arguments },
      decision: 'allow',
      reasons: [],
    };
  });
  const claims = { iss: 'https://idp.example.com', sub: 'alice', aud: `https://mcp.example.com/${tool.server}`, scope: 'issues:read issues:write repo:read repo:write chat:read chat:write billing:read', client_id: 'c1', tenant: 'acme' };
  return {
    tool: { name: tool.name, server: tool.server, arguments: tool.arguments, annotations: {} },
    token: { present: true, valid: true, source: 'jwt', claims, error: null },
    resource: `https://mcp.example.com/${tool.server}`,
    session: { id: 's1', step: historyLen + 1, owner: { subject: 'alice', client_id: 'c1' }, owner_mismatch: false, history_source: 'server', history },
    context: {},
    caller: { name: 'gw', role: 'gateway', trusted: true },
    now_ns: NOW,
  };
}

async function defaultPack(): Promise<void> {
  const tree = loadSourceTree([join(ROOT, 'policies')], { includeTests: false });
  const out = await compile({ modules: tree.modules.map((m) => ({ file: m.file, text: m.text })), entrypoints: ['mcp/decision'] });
  if (!out.wasm) throw new Error(`default pack failed to compile: ${JSON.stringify(out.errors.slice(0, 3))}`);
  const policy = await loadPolicy(out.wasm, { data: tree.data });
  console.log('default pack (mcp/decision) fuel per decision, max over the current-call mix:');
  for (const n of [0, 16, 64, 256, 1024]) {
    let max = 0;
    const parts: string[] = [];
    for (const call of CURRENT) {
      const ev = policy.evaluate(input(call, n), 'mcp/decision', { nowNs: NOW });
      const used = ev.fuelUsed ?? NaN;
      max = Math.max(max, used);
      const d = (ev.result as Array<{ result?: { decision?: string } }>)[0]?.result?.decision;
      parts.push(`${call.name}=${used}(${d})`);
    }
    console.log(`  history ${String(n).padStart(4)}: max ${String(max).padStart(8)}   ${parts.join(' ')}`);
  }
}

async function runaway(): Promise<void> {
  const text = `package r
import rego.v1
n := count({[x, y] | some x in numbers.range(1, 100000); some y in numbers.range(1, 100000)})
m := count([1 | some x in numbers.range(1, 100000); some y in numbers.range(1, 100000)])
`;
  const out = await compile({ modules: [{ file: 'r.rego', text }], entrypoints: ['r/n', 'r/m'] });
  if (!out.wasm) throw new Error(JSON.stringify(out.errors));
  const policy = await loadPolicy(out.wasm);
  for (const ep of ['r/n', 'r/m']) {
    for (const fuel of [1_000_000, 10_000_000]) {
      const t = performance.now();
      let code = 'completed';
      try {
        policy.evaluate({}, ep, { fuel });
      } catch (e) {
        code = e instanceof PolicyEvalError ? e.code : String(e);
      }
      const ms = performance.now() - t;
      console.log(`runaway ${ep} (${ep === 'r/n' ? 'set of pairs' : 'array of 1s'}) fuel ${fuel}: ${code} after ${ms.toFixed(1)} ms (${(fuel / ms / 1000).toFixed(1)} M fuel/s)`);
    }
  }
}

async function main(): Promise<void> {
  await defaultPack();
  await runaway();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
