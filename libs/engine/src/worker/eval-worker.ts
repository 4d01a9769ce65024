// Entry point of an evaluation worker thread (see eval-pool.ts): holds its own instance of the
// active policy and evaluates batches of inputs with the same code path as the engine's
// in-thread evaluation (evaluateLoaded), so both answer alike.
/* eslint-disable @typescript-eslint/no-require-imports */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedPolicy } from '../ports';
import type { EvalLimits } from '../evaluate-loaded';
import type { EvalMessage, FromWorker, LoadMessage, ToWorker, WireEvaluation, WorkerInit } from './protocol';

/** The @arbiter/* aliases, unless the thread inherited them (node -r …/register-paths.js). */
function registerAliases(): void {
  try {
    require.resolve('@arbiter/contracts');
    return;
  } catch {
    // not registered in this thread
  }
  // dist/libs/engine/src/worker/eval-worker.js → <repo>/scripts/register-paths.js
  const script = resolve(__dirname, '../../../../../scripts/register-paths.js');
  if (existsSync(script)) require(script);
}

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('eval-worker must run as a worker thread');
  registerAliases();
  const { evaluateLoaded, noPolicy } = require('../evaluate-loaded') as typeof import('../evaluate-loaded');
  const { regoHost } = require('../rego-toolchain') as typeof import('../rego-toolchain');
  const init = workerData as WorkerInit;
  const host = regoHost();
  let active: { policy: LoadedPolicy; limits: EvalLimits } | null = null;
  const post = (m: FromWorker) => port.postMessage(m);

  const load = async (m: LoadMessage): Promise<void> => {
    try {
      active = { policy: await host.load(m.wasm, m.data), limits: { revision: m.revision, entrypoint: init.entrypoint, fuel: init.fuel, timeoutMs: init.timeoutMs } };
      post({ t: 'loaded', seq: m.seq, error: null });
    } catch (e) {
      post({ t: 'loaded', seq: m.seq, error: (e as Error | null)?.message ?? String(e) });
    }
  };

  const evaluate = (m: EvalMessage): void => {
    const evals: WireEvaluation[] = new Array(m.ids.length);
    for (let i = 0; i < m.ids.length; i++) {
      const input = m.bytes.subarray(i === 0 ? 0 : m.ends[i - 1], m.ends[i]);
      const ev = active ? evaluateLoaded(active.policy, active.limits, undefined, m.nows[i], input) : noPolicy(init.entrypoint);
      const { result, ...rest } = ev;
      evals[i] = { ...rest, resultJson: result === null || result === undefined ? null : JSON.stringify(result) };
    }
    post({ t: 'done', ids: m.ids, evals });
  };

  // Messages are handled strictly in order: evaluations posted after a load (a fresh worker's
  // first message, or a reload) wait for it instead of meeting no policy or the previous one.
  let loading: Promise<void> | null = null;
  port.on('message', (m: ToWorker) => {
    if (m.t === 'load') {
      const prev = loading;
      const next: Promise<void> = (prev ? prev.then(() => load(m)) : load(m)).then(() => {
        if (loading === next) loading = null;
      });
      loading = next;
    } else if (loading) {
      void loading.then(() => evaluate(m));
    } else {
      evaluate(m);
    }
  });
}

main();
