import { PolicyEngine, regoCompiler, regoHost } from '@arbiter/engine';
import { sortedKeys } from '@arbiter/contracts';
async function main() {
  for (const dir of [process.argv[2]]) {
    const e = new PolicyEngine({ location: { kind: 'directory', path: dir }, entrypoint: 'mcp/decision', evalTimeoutMs: 1000, compiler: regoCompiler(), host: regoHost(), watch: false });
    await e.start();
    // Relative times: a fixed exp would expire and turn every evaluation into a token deny.
    const nowS = Math.floor(Date.now() / 1000);
    const step = (i: number) => ({ step: i, time: '2025-01-01T00:00:00.000Z', time_ns: 1.7e18, tool: { name: 'get_issue', server: 'github', arguments: { owner: 'acme', repo: 'repo-1', number: i } }, decision: 'allow', reasons: [] });
    const base = { tool: { name: 'get_issue', server: 'github', arguments: { owner: 'acme', repo: 'repo-1', number: 1 }, annotations: {} }, token: { present: true, valid: true, source: 'jwt', claims: { scope: 'issues:read repo:read', client_id: 'client-0', tenant: 'acme', iss: 'https://idp.example.com', aud: 'https://mcp.example.com/github', sub: 'user-0', iat: nowS - 60, exp: nowS + 3600 }, error: null }, resource: 'https://mcp.example.com/github', context: { gateway: 'bench' }, caller: { name: 'anonymous', role: 'anonymous', trusted: false }, now_ns: Date.now() * 1e6 };
    for (const n of [0, 40, 100, 256]) {
      const input = { ...base, session: { id: 's', step: n + 1, owner: { subject: 'user-0', client_id: 'client-0' }, owner_mismatch: false, history_source: 'server', history: Array.from({ length: n }, (_, i) => step(i + 1)) } };
      for (const [label, json] of [['unsorted', JSON.stringify(input)], ['sorted', JSON.stringify(sortedKeys(input))]] as const) {
        for (let i = 0; i < 300; i++) e.evaluate(input, input.now_ns, json);
        const N = 2000; const t0 = process.hrtime.bigint();
        let r: unknown;
        for (let i = 0; i < N; i++) r = e.evaluate(input, input.now_ns, json).result;
        const us = Number(process.hrtime.bigint() - t0) / N / 1000;
        console.log(`${dir.split('/').pop()} history ${n} ${label}: ${us.toFixed(1)} us/eval ${JSON.stringify(r).slice(0, 60)}`);
      }
    }
  }
}
main();
