// `npm run bench:compare -- '<configs>' [typical|long] [rounds=6] [slice seconds=4]`: one service
// per configuration (environment overrides as JSON, e.g. '{"inline":{},"thread":
// {"ARBITER_SQLITE_WRITER_THREAD":"true"}}') and the bare handler, all running at once and driven
// in turn (bare, then each configuration, every round), so each configuration's ratio to the bare
// handler is taken under the same machine speed as the others'. For A/B decisions on a shared
// machine whose speed drifts: compare the overall and median ratios, not single rounds.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SERVICE_NODE_FLAGS } from '../../apps/pdp/src/node-flags';
import { decideRequests, SERVICE_SCRIPT, serviceEnv, startProcess } from './processes';
import { longSessions, makeKeys, typicalSessions, type Workload } from './workloads';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

async function drive(port: number, load: Workload, seconds: number): Promise<{ rps: number; p99: number; bad: number }> {
  const r = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: seconds, requests: decideRequests(load) });
  return { rps: r.requests.total / seconds, p99: r.latency.p99, bad: r.non2xx + r.errors };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<void> {
  const [configText, workload = 'typical', roundsText = '6', sliceText = '4'] = process.argv.slice(2);
  if (!configText) throw new Error("usage: compare.js '<{\"name\":{ENV:value}}>' [typical|long] [rounds] [slice seconds]");
  const configs = JSON.parse(configText) as Record<string, Record<string, string>>;
  const rounds = Number(roundsText);
  const slice = Number(sliceText);
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-compare-'));
  const children: ChildProcess[] = [];
  try {
    const keys = await makeKeys(dir);
    const load = () => (workload === 'long' ? longSessions(keys) : typicalSessions(keys, `${Date.now().toString(36)}${children.length}`));
    const bare = await startProcess(join(__dirname, 'bare-server.js'), {}, 'bare listening');
    children.push(bare.child);
    const bareLoad = await load();
    const sides: Array<{ name: string; port: number; load: Workload; rps: number[]; p99: number[]; bad: number }> = [];
    for (const [name, env] of Object.entries(configs)) {
      const s = await startProcess(SERVICE_SCRIPT, { ...serviceEnv(join(dir, `data-${sides.length}`), keys.jwksFile), ...env }, 'arbiter listening', [...SERVICE_NODE_FLAGS]);
      children.push(s.child);
      const side = { name, port: s.port, load: await load(), rps: [] as number[], p99: [] as number[], bad: 0 };
      await drive(side.port, side.load, 3); // warm-up
      sides.push(side);
    }
    await drive(bare.port, bareLoad, 2);
    const bareRps: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const b = await drive(bare.port, bareLoad, slice);
      bareRps.push(b.rps);
      const row: string[] = [];
      for (const s of sides) {
        const x = await drive(s.port, s.load, slice);
        s.rps.push(x.rps);
        s.p99.push(x.p99);
        s.bad += x.bad;
        row.push(`${s.name} ${((x.rps / b.rps) * 100).toFixed(1)}% p99 ${x.p99} ms`);
      }
      console.log(`round ${r + 1}: bare ${b.rps.toFixed(0)} req/s p99 ${b.p99} ms | ${row.join(' | ')}`);
    }
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    for (const s of sides) {
      const ratios = s.rps.map((v, i) => (v / bareRps[i]) * 100);
      console.log(
        `${s.name}: overall ${((sum(s.rps) / sum(bareRps)) * 100).toFixed(1)}% of bare, median round ${median(ratios).toFixed(1)}%, ` +
          `median p99 ${median(s.p99)} ms, non-2xx + errors ${s.bad}`,
      );
    }
  } finally {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
