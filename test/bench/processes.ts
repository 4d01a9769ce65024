// What both service benches share (run.ts, compare.ts): starting a server process and reading
// the port from its start-up log line, the service's environment, and the /decide requests
// autocannon sends for a workload.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { ISSUER, type Workload } from './workloads';

const ROOT = join(__dirname, '..', '..', '..');

export const SERVICE_SCRIPT = join(ROOT, 'dist', 'apps', 'pdp', 'src', 'main.js');

/** The service on a free loopback port: default policies (or ARBITER_POLICIES), the bench's JWKS, no watcher. */
export function serviceEnv(dataDir: string, jwksFile: string): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    ARBITER_POLICIES: process.env.ARBITER_POLICIES ?? join(ROOT, 'policies'),
    ARBITER_DATA_DIR: dataDir,
    ARBITER_JWKS_FILE: jwksFile,
    ARBITER_JWT_ISSUERS: ISSUER,
    ARBITER_LOG_LEVEL: 'info',
    ARBITER_POLICY_WATCH: 'false',
  };
}

/** POST /decide with the workload's bodies, one request slot per workload slot. */
export function decideRequests(load: Workload): autocannon.Request[] {
  return Array.from({ length: load.slots }, (_, slot) => ({
    method: 'POST' as const,
    path: '/decide',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req: object, ctx: Record<string, unknown>) => ({ ...req, body: load.body(slot, ctx) }),
  })) as autocannon.Request[];
}

export function startProcess(
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
