// Append throughput of the group-committed log. Prints appends/s per database and concurrency.
// Usage: node -r ./scripts/register-paths.js dist/libs/decisions/src/bench/append-bench.js [sqlite|postgres|all] [records=5000]
// PostgreSQL uses TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) in a throw-away schema.
import { performance } from 'node:perf_hooks';
import { DecisionLog } from '../decision-log';
import { createTestDatabase, sampleRecord, type TestDbKind } from '../testing/test-databases';

async function run(kind: TestDbKind, total: number, concurrency: number): Promise<void> {
  const db = await createTestDatabase(kind);
  const log = await DecisionLog.open({ ...db.options, maxQueue: 100_000 });
  try {
    const latencies: number[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        const { record, session } = sampleRecord({ sessionId: `bench-${i % 100}`, step: Math.floor(i / 100) + 1, time: new Date() });
        const t0 = performance.now();
        await log.append(record, session);
        latencies.push(performance.now() - t0);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2);
    const s = log.stats();
    console.log(
      `${kind.padEnd(8)} concurrency=${String(concurrency).padStart(4)} records=${total} ` +
        `${Math.round(total / seconds).toString().padStart(7)} appends/s  commits=${s.commits} avgBatch=${s.avgBatchSize.toFixed(1)} ` +
        `avgCommit=${s.avgCommitMs.toFixed(2)}ms  append p50=${q(0.5)}ms p99=${q(0.99)}ms`,
    );
  } finally {
    await log.close();
    await db.cleanup();
  }
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'all';
  const total = Number(process.argv[3] ?? 5000);
  const kinds: TestDbKind[] = which === 'all' ? ['sqlite', 'postgres'] : [which as TestDbKind];
  for (const kind of kinds) {
    await run(kind, Math.min(total, 500), 1); // no batching possible: one commit per append
    for (const c of [16, 256]) await run(kind, total, c);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
