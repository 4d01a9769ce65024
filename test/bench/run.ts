// `npm run bench`: Arbiter's POST /decide (default policy pack, real tokens, decision log on)
// against a bare Fastify handler returning a fixed decision, both driven by autocannon with
// 32 connections from this process. Arbiter runs twice, each time a fresh service (workloads.ts):
// "long sessions" (1000 sessions reused all run: tens of steps each, many tool_loop denies) and
// "typical sessions" (a fresh session every 20 calls per connection, a mix of catalog tools);
// BENCH_WORKLOADS=long|typical runs one. Prints throughput, p50/p99, the ratio and eval/commit
// statistics. The machine's speed drifts over a run (a shared VM), so each workload's ratio is
// taken against the bare handler measured in alternating slices with it (BENCH_ROUNDS slices of
// DURATION/ROUNDS seconds each side, bare first; default 5), not against one bare run at the
// start. p50/p99 are over every response of a side (all its slices). Env: BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_CONNECTIONS, BENCH_DATABASE_URL
// (postgres://… → a fresh schema), BENCH_SKIP_BARE=1, BENCH_CPU_PROF=<dir> (V8 profile of the
// service), BENCH_KEEP_DIR=1, BENCH_SHOW_OUTPUT=1, BENCH_NODE_ARGS; ARBITER_* variables pass through to the service.
// Also prints each server's CPU time per request (main thread / other threads, from /proc):
// unlike req/s it hardly moves when other work shares the machine. And where the machine's CPU
// went during each side (server, this process = the load generator, anything else): with the
// machine near 100% busy the ratio is set by CPU per request, server plus load generator.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SERVICE_NODE_FLAGS } from '../../apps/pdp/src/node-flags';
import { cpuPerRequest, cpuSnapshot, machineSnapshot, selfCpuSeconds, type CpuSnapshot, type MachineSnapshot } from './thread-cpu';
import { decideRequests, SERVICE_SCRIPT, serviceEnv, startProcess } from './processes';
import { longSessions, makeKeys, typicalSessions, type Workload } from './workloads';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** Every response's latency (ms) in the run, for percentiles over several slices. */
  latencies: Float64Array;
  non2xx: number;
  errors: number;
  total: number;
  /** CPU of the server process per request during the measured run. */
  cpu: string;
  /** Where the machine's CPU went during the run (server, load generator, anything else). */
  machine: string;
}

interface Slice {
  fig: Figures;
  before: CpuSnapshot | null;
  after: CpuSnapshot | null;
  /** CPU seconds of this process (autocannon) during the slice. */
  generator: number;
  /** Machine-wide ticks during the slice (null without /proc). */
  machine: MachineSnapshot | null;
}

async function measure(child: ChildProcess, port: number, load: Workload, duration: number): Promise<Slice> {
  const m0 = machineSnapshot();
  const g0 = selfCpuSeconds();
  const before = cpuSnapshot(child.pid!);
  const fig = await drive(port, load, duration);
  const after = cpuSnapshot(child.pid!);
  const generator = selfCpuSeconds() - g0;
  const m1 = machineSnapshot();
  return { fig, before, after, generator, machine: m0 && m1 ? { busy: m1.busy - m0.busy, total: m1.total - m0.total } : null };
}

/**
 * "machine busy 99% of 2 cores: server 1.55, load generator 0.30, other processes 0.13 cores;
 * load generator 21 us per request". A busy share near 100% means the run was CPU-bound, and the
 * ratio then follows CPU per request (server + load generator); "other processes" shows
 * interference from outside the bench.
 */
function machineLine(slices: Slice[], seconds: number, total: number): string {
  if (!slices.every((x) => x.machine && x.before && x.after)) return 'n/a';
  const cores = cpus().length;
  const ticks = slices.reduce((n, x) => n + x.machine!.total, 0);
  const busy = slices.reduce((n, x) => n + x.machine!.busy, 0);
  const server = slices.reduce((n, x) => n + x.after!.main - x.before!.main + x.after!.others - x.before!.others, 0);
  const generator = slices.reduce((n, x) => n + x.generator, 0);
  const busyCores = (busy / ticks) * cores;
  const inCores = (s: number) => (s / seconds).toFixed(2);
  const other = Math.max(0, busyCores - server / seconds - generator / seconds);
  return (
    `machine busy ${((busy / ticks) * 100).toFixed(0)}% of ${cores} cores: server ${inCores(server)}, load generator ${inCores(generator)}, ` +
    `other processes ${other.toFixed(2)} cores; load generator ${((generator / total) * 1e6).toFixed(0)} us per request`
  );
}

/** The q-quantile of sorted values (nearest rank). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Slices of one side merged: total throughput, p50/p99 over all their responses, CPU over all of them. */
function merge(slices: Slice[], seconds: number): Figures {
  const total = slices.reduce((n, x) => n + x.fig.total, 0);
  const cpu = slices.every((x) => x.before && x.after)
    ? cpuPerRequest(
        { main: 0, others: 0 },
        {
          main: slices.reduce((n, x) => n + x.after!.main - x.before!.main, 0),
          others: slices.reduce((n, x) => n + x.after!.others - x.before!.others, 0),
        },
        total,
      )
    : 'n/a';
  return {
    rps: total / seconds,
    ...percentiles(slices.map((x) => x.fig.latencies)),
    non2xx: slices.reduce((n, x) => n + x.fig.non2xx, 0),
    errors: slices.reduce((n, x) => n + x.fig.errors, 0),
    total,
    cpu,
    machine: machineLine(slices, seconds, total),
  };
}

function percentiles(parts: Float64Array[]): { p50: number; p99: number; latencies: Float64Array } {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  all.sort();
  // Whole milliseconds, as autocannon reports them.
  return { p50: Math.round(quantile(all, 0.5)), p99: Math.round(quantile(all, 0.99)), latencies: all };
}

function drive(port: number, load: Workload, duration: number): Promise<Figures> {
  // Each response's latency, so that p50/p99 of a side are over all of its requests, whatever
  // the number of slices (a max of per-slice p99s would grow with the slice count).
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration,
        requests: decideRequests(load),
      },
      (err, r) => {
        if (err) return reject(err);
        const own = latencies.slice(0, n);
        resolve({ rps: r.requests.average, ...percentiles([own]), non2xx: r.non2xx, errors: r.errors, total: r.requests.total, cpu: '', machine: '' });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      if (n === latencies.length) {
        const grown = new Float64Array(n * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[n++] = ms;
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** Sum/count/buckets of one Prometheus histogram in the /metrics text. */
function histogram(metrics: string, name: string): { sum: number; count: number; quantile(q: number): string } {
  const value = (suffix: string) => Number(/ ([0-9.e+-]+)$/.exec(metrics.split('\n').find((l) => l.startsWith(name + suffix)) ?? '')?.[1] ?? NaN);
  const buckets = metrics
    .split('\n')
    .filter((l) => l.startsWith(`${name}_bucket{`))
    .map((l) => ({ le: Number(/le="([^"]+)"/.exec(l)?.[1]), n: Number(l.split(' ').pop()) }));
  const count = value('_count');
  return {
    sum: value('_sum'),
    count,
    // Upper bound of the bucket holding quantile q (Prometheus buckets are cumulative).
    quantile: (q) => {
      const b = buckets.find((x) => x.n >= q * count);
      return b ? (Number.isFinite(b.le) ? `<= ${b.le * 1000} ms` : '> last bucket') : 'n/a';
    },
  };
}

function line(name: string, f: Figures): string {
  return `${name.padEnd(22)} ${f.rps.toFixed(0).padStart(8)} req/s   p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   (${f.total} requests, non-2xx ${f.non2xx}, errors ${f.errors})`;
}

interface ArbiterRun {
  label: string;
  fig: Figures;
  /** The bare handler, measured in the slices alternating with this run (null with BENCH_SKIP_BARE). */
  bare: Figures | null;
  sample: string;
  metrics: string;
  health: { store?: unknown; policy?: { workers?: unknown } };
  started: Record<string, unknown>;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-bench-'));
  const children: ChildProcess[] = [];
  const schemas: Array<{ url: string; name: string }> = [];
  try {
    const keys = await makeKeys(dir);
    const long = await longSessions(keys);
    const wanted = (process.env.BENCH_WORKLOADS ?? 'long,typical').split(',').map((w) => w.trim());
    let bare: Bare | null = null;
    if (process.env.BENCH_SKIP_BARE !== '1') {
      const b = await startProcess(join(__dirname, 'bare-server.js'), {}, 'bare listening');
      children.push(b.child);
      await drive(b.port, long, WARMUP_S);
      bare = { child: b.child, port: b.port, load: long };
    }
    const runs: ArbiterRun[] = [];
    if (wanted.includes('long')) runs.push(await runArbiter('arbiter long sessions', long, dir, keys.jwksFile, 'long', schemas, children, bare));
    if (wanted.includes('typical')) {
      const typical = await typicalSessions(keys, Date.now().toString(36));
      runs.push(await runArbiter('arbiter typical sess.', typical, dir, keys.jwksFile, 'typical', schemas, children, bare));
    }

    const started = runs[0]?.started ?? {};
    const store = `${String(started.store)}${started.sqlite_synchronous ? ` (synchronous=${String(started.sqlite_synchronous)})` : ''}`;
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').trim();
    console.log(
      `\nPOST /decide, ${CONNECTIONS} connections, ${DURATION_S} s per side and workload in ${ROUNDS} alternating slices (bare, arbiter, …; after ${WARMUP_S} s warm-up), ` +
        `loopback, store ${store}, service node flags: ${[...SERVICE_NODE_FLAGS, nodeArgs].join(' ').trim()}`,
    );
    console.log('long sessions: 1000 sessions reused all run (tens of steps each, many tool_loop denies); typical: a fresh session every 20 calls per connection, catalog tool mix');
    for (const r of runs) {
      if (r.bare) console.log(line(`bare (${r.label.replace('arbiter ', '').split(' ')[0]})`, r.bare));
      console.log(line(r.label, r.fig));
    }
    for (const r of runs) {
      if (r.bare) console.log(`${('bare CPU (' + r.label.replace('arbiter ', '') + '):').padEnd(26)} ${r.bare.cpu}`);
      console.log(`${(r.label + ' CPU:').padEnd(26)} ${r.fig.cpu}`);
    }
    for (const r of runs) {
      if (r.bare) console.log(`${('bare (' + r.label.replace('arbiter ', '') + '):').padEnd(26)} ${r.bare.machine}`);
      console.log(`${(r.label + ':').padEnd(26)} ${r.fig.machine}`);
    }
    for (const r of runs) {
      const ratio = r.bare ? ((r.fig.rps / r.bare.rps) * 100).toFixed(1) : 'n/a';
      console.log(`\n[${r.label}] throughput ratio arbiter/bare: ${ratio}%  (target >= 50%);  p99: ${r.fig.p99} ms  (target <= 10 ms)`);
      console.log(`  sample answer: ${r.sample}`);
      const decisions = r.metrics.split('\n').filter((l) => l.startsWith('arbiter_decisions_total'));
      console.log(`  decisions: ${decisions.map((l) => l.replace('arbiter_decisions_total', '')).join(', ')}`);
      const ev = histogram(r.metrics, 'arbiter_eval_duration_seconds');
      const wr = histogram(r.metrics, 'arbiter_decision_log_write_seconds');
      console.log(`  policy eval: ${ev.count} evaluations, avg ${((ev.sum / ev.count) * 1e6).toFixed(1)} us, p99 ${ev.quantile(0.99)}`);
      console.log(
        `  log commits: ${wr.count} commits, avg ${((wr.sum / wr.count) * 1000).toFixed(2)} ms, p99 ${wr.quantile(0.99)}, ` +
          `avg ${(ev.count / wr.count).toFixed(1)} records/commit`,
      );
      console.log(`  store: ${JSON.stringify(r.health.store)}`);
      if (r.health.policy?.workers) console.log(`  eval workers: ${JSON.stringify(r.health.policy.workers)}`);
    }
  } finally {
    for (const c of children) await stop(c);
    for (const s of schemas) await dropSchema(s.url, s.name).catch((e) => console.error(`could not drop schema ${s.name}: ${e}`));
    if (process.env.BENCH_KEEP_DIR === '1') console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** One fresh service (own data dir or schema), warmed up, then measured with `load`. */
async function runArbiter(
  label: string,
  load: Workload,
  dir: string,
  jwksFile: string,
  tag: string,
  schemas: Array<{ url: string; name: string }>,
  children: ChildProcess[],
  bare: Bare | null,
): Promise<ArbiterRun> {
  // BENCH_CPU_PROF=<dir>: write a V8 CPU profile of the service (see `node --cpu-prof`).
  const profDir = process.env.BENCH_CPU_PROF;
  // BENCH_DATABASE_URL=postgres://…: the log goes to a fresh schema, dropped afterwards.
  const dbUrl = process.env.BENCH_DATABASE_URL ?? '';
  let pgSchema: { url: string; name: string } | null = null;
  if (/^postgres/.test(dbUrl)) {
    pgSchema = { url: dbUrl, name: `arbiter_bench_${tag}_${Date.now().toString(36)}` };
    schemas.push(pgSchema);
  }
  // The service's own flags (as `npm start`), then the bench's.
  const nodeArgs = [...SERVICE_NODE_FLAGS];
  if (profDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profDir}`, '-r', join(__dirname, 'exit-on-sigterm.js'));
  // BENCH_NODE_ARGS: extra node flags for the service (e.g. --trace-gc); a repeated V8 flag's last value wins.
  const extraArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  if (extraArgs.length > 0 && !profDir) nodeArgs.push('-r', join(__dirname, 'exit-on-sigterm.js'));
  nodeArgs.push(...extraArgs);

  const arbiter = await startProcess(
    SERVICE_SCRIPT,
    {
      ...serviceEnv(join(dir, `data-${tag}`), jwksFile),
      DATABASE_URL: dbUrl,
      ...(pgSchema ? { ARBITER_DB_SCHEMA: pgSchema.name } : {}),
    },
    'arbiter listening',
    nodeArgs,
  );
  children.push(arbiter.child);
  await drive(arbiter.port, load, WARMUP_S);
  // Alternating slices: bare, arbiter, bare, arbiter, … (each side DURATION_S in all).
  const slice = DURATION_S / ROUNDS;
  const bareSlices: Slice[] = [];
  const mine: Slice[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (bare) bareSlices.push(await measure(bare.child, bare.port, bare.load, slice));
    mine.push(await measure(arbiter.child, arbiter.port, load, slice));
  }
  const fig = merge(mine, DURATION_S);
  const sample = await fetch(`http://127.0.0.1:${arbiter.port}/decide`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: load.first });
  const sampleBody = await sample.text();
  const metrics = await (await fetch(`http://127.0.0.1:${arbiter.port}/metrics`)).text();
  const health = (await (await fetch(`http://127.0.0.1:${arbiter.port}/health/ready`)).json()) as ArbiterRun['health'];
  await stop(arbiter.child);
  return { label, fig, bare: bare ? merge(bareSlices, DURATION_S) : null, sample: sampleBody, metrics, health, started: arbiter.started };
}

/** The bare handler, kept running through the whole bench. */
interface Bare {
  child: ChildProcess;
  port: number;
  load: Workload;
}

async function dropSchema(url: string, schema: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
