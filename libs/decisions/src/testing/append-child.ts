// Child process of the durability test: appends records as fast as it can (many in flight)
// and prints each id on stdout only after its append() resolved — i.e. once acknowledged.
// Runs until killed. argv[2]: JSON OpenOptions.
import { DecisionLog } from '../decision-log';
import type { OpenOptions } from '../config';
import { sampleRecord } from './test-databases';

const IN_FLIGHT = 64;
const SESSIONS = 8;

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as OpenOptions;
  const log = await DecisionLog.open(options);
  process.stdout.write('ready\n');
  const steps = new Array<number>(SESSIONS).fill(0);
  let n = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const s = n++ % SESSIONS;
      const { record, session } = sampleRecord({ sessionId: `durable-${s}`, step: ++steps[s], time: new Date() });
      // As the service does: a session's first step creates its row, later steps leave it alone.
      await log.append(record, { ...session, unchanged: record.step > 1 });
      // Pipes are synchronous on Linux: the line is in the pipe before the next append starts.
      process.stdout.write(`${record.id}\n`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

main().catch((err) => {
  process.stderr.write(`append-child failed: ${String(err)}\n`);
  process.exit(1);
});
