// Worker thread entry: runs the cases the parent sends, one at a time, so the parent can
// terminate a case that hangs (Wasm evaluation is synchronous and cannot be interrupted).
import { parentPort, workerData } from 'node:worker_threads';
import type { ConformanceCase } from './cases';
import { runCase, type RunCaseOptions } from './run-case';
import { defaultToolchain, type Toolchain } from '../testing/toolchain';

/** `workerData.toolchainModule`: a module exporting `toolchain` to use instead of Arbiter's own. */
function loadToolchain(): Toolchain {
  const mod = (workerData as { toolchainModule?: string } | undefined)?.toolchainModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return mod ? (require(mod) as { toolchain: Toolchain }).toolchain : defaultToolchain();
}

if (parentPort) {
  const port = parentPort;
  const toolchain = loadToolchain();
  port.on('message', async (msg: { id: number; c: ConformanceCase; opts: RunCaseOptions }) => {
    const verdict = await runCase(msg.c, toolchain, msg.opts);
    port.postMessage({ id: msg.id, verdict });
  });
}
