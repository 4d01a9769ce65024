// Runs cases in a worker thread with a per-case time limit; a case that times out or kills
// the worker is a failure and the worker is replaced.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ConformanceCase } from './cases';
import type { RunCaseOptions, Verdict } from './run-case';

export class CasePool {
  private worker?: Worker;
  private nextId = 1;

  constructor(
    private readonly timeoutMs: number,
    private readonly toolchainModule?: string,
  ) {}

  run(c: ConformanceCase, opts: RunCaseOptions = {}): Promise<Verdict> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<Verdict>((resolve) => {
      const done = (v: Verdict, kill: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (kill) this.discard(worker);
        resolve(v);
      };
      const onMessage = (m: { id: number; verdict: Verdict }) => {
        if (m.id === id) done(m.verdict, false);
      };
      const onError = (err: Error) => done({ status: 'failed', reason: `worker crashed: ${err.message}` }, true);
      const onExit = (code: number) => done({ status: 'failed', reason: `worker exited with code ${code}` }, true);
      const timer = setTimeout(() => done({ status: 'failed', reason: `timeout after ${this.timeoutMs}ms` }, true), this.timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, c, opts });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const ext = path.extname(__filename);
    const file = path.join(__dirname, 'case-worker' + ext);
    const opts = {
      workerData: { toolchainModule: this.toolchainModule },
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    };
    // From TypeScript sources (tsx), the worker must register tsx itself; dist/ runs plain JS.
    const w =
      ext === '.ts'
        ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`, { ...opts, eval: true })
        : new Worker(file, opts);
    w.unref();
    this.worker = w;
    return w;
  }

  private discard(w: Worker): void {
    if (this.worker === w) this.worker = undefined;
    void w.terminate();
  }
}
