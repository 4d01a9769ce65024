// `npm run bench`: Arbiter's POST /decide (default policy pack, real tokens, decision log on)
// against a bare Fastify handler returning a fixed decision, both driven by autocannon with
// 32 connections from this process. Prints throughput, p50/p99, the ratio and eval/commit
// statistics. Env: BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_CONNECTIONS, BENCH_DATABASE_URL
// (postgres://… → a fresh schema), BENCH_SKIP_BARE=1, BENCH_CPU_PROF=<dir> (V8 profile of the
// service), BENCH_KEEP_DIR=1, BENCH_SHOW_OUTPUT=1, BENCH_NODE_ARGS; ARBITER_* variables pass through to the service.
// Also prints each server's CPU time per request (main thread / other threads, from /proc):
// unlike req/s it hardly moves when other work shares the machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { cpuPerRequest, cpuSnapshot } from './thread-cpu';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const ROOT = join(__dirname, '..', '..', '..');
const ISSUER = 'https://idp.example.com';
const SERVER = { name: 'github', resource: 'https://mcp.example.com/github' };
const TOOLS = ['get_issue', 'list_issues', 'get_file_contents'];
const SESSIONS = 1000;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
  /** CPU of the server process per request during the measured run. */
  cpu: string;
}

function startProcess(
  script: string,
  env: Record<string, string>,
  marker: string,
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; port: number; started: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${out}`)), 120_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      for (const line of out.split('\n')) {
        if (!line.includes(marker)) continue;
        try {
          const started = JSON.parse(line) as { port: number };
          clearTimeout(timer);
          resolve({ child, port: started.port, started });
          return;
        } catch {
          /* partial line */
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    if (process.env.BENCH_SHOW_OUTPUT === '1') {
      child.stdout!.on('data', (b: Buffer) => process.stderr.write(b));
      child.stderr!.on('data', (b: Buffer) => process.stderr.write(b));
    }
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}):\n${out}`)));
  });
}

async function makeBodies(dir: string): Promise<{ bodies: string[]; jwksFile: string }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256' }] }));
  const tokens: string[] = [];
  for (let u = 0; u < 16; u++) {
    tokens.push(
      await new SignJWT({ scope: 'issues:read repo:read', client_id: `client-${u % 4}`, tenant: 'acme' })
        .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
        .setIssuer(ISSUER)
        .setAudience(SERVER.resource)
        .setSubject(`user-${u}`)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    );
  }
  const bodies: string[] = [];
  for (let i = 0; i < 4 * SESSIONS; i++) {
    const s = i % SESSIONS;
    bodies.push(
      JSON.stringify({
        tool: { name: TOOLS[i % TOOLS.length], server: SERVER.name, arguments: { owner: 'acme', repo: `repo-${i % 50}`, number: i } },
        token: tokens[s % tokens.length],
        resource: SERVER.resource,
        session: { id: `bench-${s}` },
        context: { gateway: 'bench' },
      }),
    );
  }
  return { bodies, jwksFile };
}

async function measure(child: ChildProcess, port: number, bodies: string[], duration: number): Promise<Figures> {
  const before = cpuSnapshot(child.pid!);
  const f = await drive(port, bodies, duration);
  f.cpu = cpuPerRequest(before, cpuSnapshot(child.pid!), f.total);
  return f;
}

function drive(port: number, bodies: string[], duration: number): Promise<Figures> {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration,
        requests: [
          {
            method: 'POST',
            path: '/decide',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }),
          },
        ],
      },
      (err, r) => {
        if (err) return reject(err);
        resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, total: r.requests.total, cpu: '' });
      },
    );
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

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-bench-'));
  const children: ChildProcess[] = [];
  let pgSchema: { url: string; name: string } | null = null;
  try {
    const { bodies, jwksFile } = await makeBodies(dir);
    let bareFig: Figures | null = null;
    if (process.env.BENCH_SKIP_BARE !== '1') {
      const bare = await startProcess(join(__dirname, 'bare-server.js'), {}, 'bare listening');
      children.push(bare.child);
      await drive(bare.port, bodies, WARMUP_S);
      bareFig = await measure(bare.child, bare.port, bodies, DURATION_S);
      await stop(bare.child);
    }
    // BENCH_CPU_PROF=<dir>: write a V8 CPU profile of the service (see `node --cpu-prof`).
    const profDir = process.env.BENCH_CPU_PROF;
    // BENCH_DATABASE_URL=postgres://…: the log goes to a fresh schema, dropped afterwards.
    const dbUrl = process.env.BENCH_DATABASE_URL ?? '';
    if (/^postgres/.test(dbUrl)) pgSchema = { url: dbUrl, name: `arbiter_bench_${Date.now().toString(36)}` };
    const nodeArgs = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '-r', join(__dirname, 'exit-on-sigterm.js')] : [];
    // BENCH_NODE_ARGS: extra node flags for the service (e.g. --trace-gc).
    const extraArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    if (extraArgs.length > 0 && !profDir) nodeArgs.push('-r', join(__dirname, 'exit-on-sigterm.js'));
    nodeArgs.push(...extraArgs);

    const arbiter = await startProcess(
      join(ROOT, 'dist', 'apps', 'pdp', 'src', 'main.js'),
      {
        PORT: '0',
        HOST: '127.0.0.1',
        ARBITER_POLICIES: process.env.ARBITER_POLICIES ?? join(ROOT, 'policies'),
        ARBITER_DATA_DIR: join(dir, 'data'),
        ARBITER_JWKS_FILE: jwksFile,
        ARBITER_JWT_ISSUERS: ISSUER,
        ARBITER_LOG_LEVEL: 'info',
        ARBITER_POLICY_WATCH: 'false',
        DATABASE_URL: dbUrl,
        ...(pgSchema ? { ARBITER_DB_SCHEMA: pgSchema.name } : {}),
      },
      'arbiter listening',
      nodeArgs,
    );
    children.push(arbiter.child);
    await drive(arbiter.port, bodies, WARMUP_S);
    const arbFig = await measure(arbiter.child, arbiter.port, bodies, DURATION_S);
    const sample = await fetch(`http://127.0.0.1:${arbiter.port}/decide`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[0] });
    const sampleBody = await sample.text();
    const metrics = await (await fetch(`http://127.0.0.1:${arbiter.port}/metrics`)).text();
    const health = (await (await fetch(`http://127.0.0.1:${arbiter.port}/health/ready`)).json()) as { store?: unknown };
    await stop(arbiter.child);

    const ratio = bareFig ? arbFig.rps / bareFig.rps : NaN;
    const store = `${String(arbiter.started.store)}${arbiter.started.sqlite_synchronous ? ` (synchronous=${String(arbiter.started.sqlite_synchronous)})` : ''}`;
    console.log(`\nPOST /decide, ${CONNECTIONS} connections, ${DURATION_S} s (after ${WARMUP_S} s warm-up), loopback, store ${store}`);
    if (bareFig) console.log(line('bare fastify (fixed)', bareFig));
    console.log(line('arbiter', arbFig));
    if (bareFig) console.log(`bare CPU:    ${bareFig.cpu}`);
    console.log(`arbiter CPU: ${arbFig.cpu}`);
    console.log(`throughput ratio arbiter/bare: ${bareFig ? (ratio * 100).toFixed(1) : 'n/a'}%  (target >= 50%)`);
    console.log(`arbiter p99: ${arbFig.p99} ms  (target <= 10 ms)`);
    console.log(`sample arbiter answer: ${sampleBody}`);
    const decisions = metrics.split('\n').filter((l) => l.startsWith('arbiter_decisions_total'));
    console.log(`decisions: ${decisions.map((l) => l.replace('arbiter_decisions_total', '')).join(', ')}`);
    const ev = histogram(metrics, 'arbiter_eval_duration_seconds');
    const wr = histogram(metrics, 'arbiter_decision_log_write_seconds');
    console.log(`policy eval: ${ev.count} evaluations, avg ${((ev.sum / ev.count) * 1e6).toFixed(1)} us, p99 ${ev.quantile(0.99)}`);
    console.log(
      `log commits: ${wr.count} commits, avg ${((wr.sum / wr.count) * 1000).toFixed(2)} ms, p99 ${wr.quantile(0.99)}, ` +
        `avg ${(ev.count / wr.count).toFixed(1)} records/commit`,
    );
    console.log(`store: ${JSON.stringify(health.store)}`);
  } finally {
    for (const c of children) await stop(c);
    if (pgSchema) await dropSchema(pgSchema.url, pgSchema.name).catch((e) => console.error(`could not drop schema ${pgSchema?.name}: ${e}`));
    if (process.env.BENCH_KEEP_DIR === '1') console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
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
