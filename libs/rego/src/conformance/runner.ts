// The conformance runner: every case of every folder, counted per folder as passed, failed or
// skipped (with reasons), so the pass rate is an honest figure.
import * as path from 'node:path';
import { loadCaseFiles, type ConformanceCase } from './cases';
import { CasePool } from './case-pool';
import { runCase, type Verdict } from './run-case';
import type { Toolchain } from '../testing/toolchain';

export interface CaseNote {
  note: string;
  reason: string;
}

export interface FolderReport {
  passed: number;
  failed: number;
  skipped: number;
  failures: CaseNote[];
  skips: CaseNote[];
}

export interface ConformanceReport {
  total: { passed: number; failed: number; skipped: number };
  folders: Record<string, FolderReport>;
}

export type Loader = 'arbiter' | 'opa-wasm';
export const LOADERS: readonly Loader[] = ['arbiter', 'opa-wasm'];

/** The worker's toolchain module for a loader (undefined = Arbiter's default toolchain). */
function loaderModule(loader: Loader | undefined): string | undefined {
  if (!loader || loader === 'arbiter') return undefined;
  return path.join(__dirname, 'opa-wasm-toolchain' + path.extname(__filename));
}

export interface ConformanceOptions {
  /** Per-case time limit (worker mode). Default 10s. */
  timeoutMs?: number;
  /** Only cases whose note matches. */
  filter?: RegExp;
  /**
   * Run cases in this thread with this toolchain instead of in a worker (no time limit); for
   * tests of the runner itself.
   */
  inProcess?: Toolchain;
  /** Worker mode: a module exporting `toolchain` to load in the worker instead of Arbiter's own. */
  toolchainModule?: string;
  /**
   * Who evaluates the compiled modules: Arbiter's host loader (default) or plain
   * @open-policy-agent/opa-wasm with Arbiter's builtins as customBuiltins. Worker mode only;
   * `toolchainModule` takes precedence.
   */
  loader?: Loader;
  /** Also require `strict_error` cases to raise their error in strict builtin-error mode. */
  strictErrors?: boolean;
  onCase?: (folder: string, c: ConformanceCase, v: Verdict) => void;
}

export async function runConformance(dir: string, opts: ConformanceOptions = {}): Promise<ConformanceReport> {
  const report: ConformanceReport = { total: { passed: 0, failed: 0, skipped: 0 }, folders: {} };
  const pool = opts.inProcess ? undefined : new CasePool(opts.timeoutMs ?? 10_000, opts.toolchainModule ?? loaderModule(opts.loader));
  try {
    for (const file of loadCaseFiles(dir)) {
      const folder = (report.folders[file.folder] ??= { passed: 0, failed: 0, skipped: 0, failures: [], skips: [] });
      if (file.error) {
        record(report, folder, { status: 'failed', reason: file.error }, file.file);
        continue;
      }
      for (const c of file.cases) {
        if (opts.filter && !opts.filter.test(c.note)) continue;
        const caseOpts = { strictErrors: opts.strictErrors };
        const v = pool ? await pool.run(c, caseOpts) : await runCase(c, opts.inProcess, caseOpts);
        record(report, folder, v, c.note);
        opts.onCase?.(file.folder, c, v);
      }
    }
  } finally {
    await pool?.close();
  }
  return report;
}

function record(report: ConformanceReport, folder: FolderReport, v: Verdict, note: string): void {
  folder[v.status]++;
  report.total[v.status]++;
  if (v.status === 'failed') folder.failures.push({ note, reason: v.reason });
  if (v.status === 'skipped') folder.skips.push({ note, reason: v.reason });
}

/** The plain-text report: a line per folder, each skip with its reason, failures unless quiet. */
export function formatReport(r: ConformanceReport, showFailures = true): string {
  const lines: string[] = [];
  for (const [name, f] of Object.entries(r.folders)) {
    lines.push(`${name}: ${f.passed} passed, ${f.failed} failed, ${f.skipped} skipped`);
    for (const s of f.skips) lines.push(`  SKIP ${s.note}: ${s.reason}`);
    if (showFailures) for (const x of f.failures) lines.push(`  FAIL ${x.note}: ${x.reason}`);
  }
  const t = r.total;
  const all = t.passed + t.failed + t.skipped;
  const rate = all ? ((100 * t.passed) / all).toFixed(1) : '0.0';
  lines.push(`total: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped (${rate}% of ${all} cases pass)`);
  return lines.join('\n');
}
