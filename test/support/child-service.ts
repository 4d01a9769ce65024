// Runs the built service (dist/apps/pdp/src/main.js) as a child process, as `npm start` would.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from '../../apps/pdp/src/node-flags';

export interface ChildService {
  url: string;
  child: ChildProcess;
  output(): string;
}

const MAIN = join(__dirname, '..', '..', 'apps', 'pdp', 'src', 'main.js');

export function startChild(env: Record<string, string>, timeoutMs = 60_000): Promise<ChildService> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, MAIN], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ARBITER_LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`service did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const finish = (err: Error | null, url?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve({ url: url!, child, output: () => out });
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split('\n')) {
        if (!line.includes('arbiter listening')) continue;
        try {
          const rec = JSON.parse(line) as { port: number };
          finish(null, `http://127.0.0.1:${rec.port}`);
        } catch {
          /* partial line */
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => finish(new Error(`service exited with ${code} before listening:\n${out}`)));
  });
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
