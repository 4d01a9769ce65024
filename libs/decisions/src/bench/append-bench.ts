// Append throughput of the group-committed log. Prints appends/s per database and concurrency.
// Usage: node -r ./scripts/register-paths.js dist/libs/decisions/src/bench/append-bench.js [sqlite|postgres|all] [records=5000]
// PostgreSQL uses TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) in a throw-away schema.
//
// CPU mode: `... append-bench.js cpu [records=20000] [rounds=3] [concurrency=32] [thread|in-thread|both] [sessions=1000]
// [steps=20] [changes|every|both]` appends ~2 KB records (the service's size: input as
// pre-serialized JsonText) to SQLite at concurrency 32 and prints the CPU time per record of the
// main thread and of all other threads (libuv pool, writer thread, V8 helpers), for the
// in-thread writer and the writer thread, alternating, in the same run. The records belong to
// `sessions` sessions active at once, each followed by a new one after `steps` steps (0: they
// never end; starts are staggered). Session rows as the service writes them (`changes`: only a
// session's first step carries its creation, the others are SessionUpsert.unchanged), or an
// upsert with every record (`every`: what every step sent before rows were written only on a
// change); `both` alternates the two. `cpu 20000 3 32 both 200 0 every` is the workload this
// bench ran before (figures quoted in older comments).
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DecisionLog } from '../decision-log';
import { JsonText } from '../json-text';
import { createTestDatabase, sampleRecord, type TestDbKind } from '../testing/test-databases';

/** CPU seconds (user+system) of the main thread and of all other threads of this process. */
function threadCpu(): { main: number; others: number } {
  let main = 0;
  let others = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const s = (Number(f[11]) + Number(f[12])) / 100; // utime + stime, clock ticks
    if (Number(tid) === process.pid) main += s;
    else others += s;
  }
  return { main, others };
}

// ~1.7 KB of tool arguments: with the other columns a row is ~2 KB, like the service's.
const ARGS = JSON.stringify({ path: '/srv/data/reports/2025/q1/summary.md', content: 'lorem ipsum dolor sit amet '.repeat(55), mode: 'overwrite' });

let idSeq = 0;
/** Time-ordered ids like the service's UUIDv7 (the primary-key index grows at its end). */
function timeOrderedId(): string {
  const h = (Date.now() * 4096 + (idSeq++ % 4096)).toString(16).padStart(16, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-${randomUUID().slice(19)}`;
}

export interface CpuWorkload {
  /** Sessions active at once. */
  sessions: number;
  /** Steps per session before the next one starts in its place (0: sessions never end). */
  steps: number;
  /** Every record carries a session upsert (false: only a session's first step, as the service). */
  everyUpsert: boolean;
}

export const DEFAULT_CPU_WORKLOAD: CpuWorkload = { sessions: 1000, steps: 20, everyUpsert: false };

/** Record i of the workload; session starts are staggered so creations spread evenly. */
export function serviceSizedRecord(i: number, w: CpuWorkload = DEFAULT_CPU_WORKLOAD) {
  const slot = i % w.sessions;
  const round = Math.floor(i / w.sessions);
  const k = w.steps > 0 ? round + (slot % w.steps) : round;
  const generation = w.steps > 0 ? Math.floor(k / w.steps) : 0;
  const step = w.steps > 0 ? (k % w.steps) + 1 : k + 1;
  const x = sampleRecord({
    id: timeOrderedId(),
    sessionId: `cpu-${slot}-${generation}`,
    step,
    time: new Date(),
    input: JsonText.trusted(`{"tool":{"name":"write_file","arguments":${ARGS}},"now_ns":1735689600000000000}`),
  });
  // A session's first record in this run creates it (a staggered first session starts mid-way).
  x.session.unchanged = !w.everyUpsert && step > 1 && round > 0;
  return x;
}

export async function cpuRun(threaded: boolean, total: number, concurrency: number, label?: string, workload: CpuWorkload = DEFAULT_CPU_WORKLOAD): Promise<void> {
  const db = await createTestDatabase('sqlite');
  const log = await DecisionLog.open({ ...db.options, maxQueue: 100_000, sqliteWriterThread: threaded });
  try {
    // Warm-up (JIT, page cache), not measured.
    let next = 0;
    const drive = async (n: number): Promise<void> => {
      const end = next + n;
      const worker = async (): Promise<void> => {
        while (next < end) {
          const { record, session } = serviceSizedRecord(next++, workload);
          await log.append(record, session);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    };
    await drive(Math.min(2000, total));
    const before = threadCpu();
    const commitsBefore = log.stats().commits;
    const t0 = performance.now();
    await drive(total);
    const seconds = (performance.now() - t0) / 1000;
    const after = threadCpu();
    const s = log.stats();
    const us = (x: number) => ((x / total) * 1e6).toFixed(1).padStart(6);
    console.log(
      `${(label ?? (threaded ? 'thread' : 'in-thread')).padEnd(9)} ${workload.everyUpsert ? 'every' : 'changes'} ` +
        `sessions=${workload.sessions}x${workload.steps || 'inf'} c=${concurrency} records=${total} main ${us(after.main - before.main)} us/rec  ` +
        `others ${us(after.others - before.others)} us/rec  total ${us(after.main + after.others - before.main - before.others)} us/rec  ` +
        `${Math.round(total / seconds)} appends/s  avgBatch=${(total / (s.commits - commitsBefore)).toFixed(1)} checkpoints=${s.sqlite?.checkpoints}`,
    );
  } finally {
    await log.close();
    await db.cleanup();
  }
}

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
        await log.append(record, { ...session, unchanged: record.step > 1 }); // as the service: the first step creates
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
  if (which === 'cpu') {
    const total = Number(process.argv[3] ?? 20_000);
    const rounds = Number(process.argv[4] ?? 3);
    const concurrency = Number(process.argv[5] ?? 32);
    const modes = process.argv[6] === 'thread' ? [true] : process.argv[6] === 'in-thread' ? [false] : [false, true];
    const sessions = Number(process.argv[7] ?? DEFAULT_CPU_WORKLOAD.sessions);
    const steps = Number(process.argv[8] ?? DEFAULT_CPU_WORKLOAD.steps);
    const upserts = process.argv[9] === 'every' ? [true] : process.argv[9] === 'both' ? [false, true] : [false];
    for (let r = 0; r < rounds; r++) {
      for (const threaded of modes) {
        for (const everyUpsert of upserts) await cpuRun(threaded, total, concurrency, undefined, { sessions, steps, everyUpsert });
      }
    }
    return;
  }
  const total = Number(process.argv[3] ?? 5000);
  const kinds: TestDbKind[] = which === 'all' ? ['sqlite', 'postgres'] : [which as TestDbKind];
  for (const kind of kinds) {
    await run(kind, Math.min(total, 500), 1); // no batching possible: one commit per append
    for (const c of [16, 256]) await run(kind, total, c);
  }
}

if (require.main === module) main().catch((err) => {
  console.error(err);
  process.exit(1);
});
