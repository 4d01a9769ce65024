// CPU time a process spent, split into its main thread and all other threads (libuv pool,
// V8 GC/compiler helpers), read from /proc (Linux). Throughput on a shared 2-core machine moves
// with whatever else runs; CPU time per request does not, so the bench prints both.
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSnapshot {
  main: number;
  others: number;
}

/** Seconds of CPU (user+system) so far; null where /proc is unavailable. */
export function cpuSnapshot(pid: number): CpuSnapshot | null {
  let main = 0;
  let others = 0;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  for (const tid of tasks) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between readdir and read
    }
    // Fields after "(comm)": utime and stime are the 12th and 13th, in clock ticks (100/s).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
    if (Number(tid) === pid) main += seconds;
    else others += seconds;
  }
  return { main, others };
}

/** "main 120 us + other threads 40 us per request" between two snapshots. */
export function cpuPerRequest(before: CpuSnapshot | null, after: CpuSnapshot | null, requests: number): string {
  if (!before || !after || requests <= 0) return 'n/a';
  const us = (s: number) => ((s / requests) * 1e6).toFixed(0);
  return `main thread ${us(after.main - before.main)} us + other threads ${us(after.others - before.others)} us per request`;
}

/** Machine-wide CPU from /proc/stat, in clock ticks: busy (all but idle and iowait) and total. */
export interface MachineSnapshot {
  busy: number;
  total: number;
}

export function machineSnapshot(): MachineSnapshot | null {
  let line: string;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  } catch {
    return null;
  }
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest time is
  // already counted in user/nice, so it is left out of the total).
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (f.length < 8 || f.some((n) => !Number.isFinite(n))) return null;
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total };
}

/** Seconds of CPU (user+system) this process (the load generator) has used. */
export function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
