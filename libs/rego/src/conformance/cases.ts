// Reads OPA conformance case files (`<dir>/<folder>/*.yaml`, format in the shared README).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface ConformanceCase {
  note: string;
  query: string;
  modules?: string[];
  data?: unknown;
  input?: unknown;
  /** Set when the case file has an `input` key (an explicit `input: null` is a null input). */
  hasInput: boolean;
  input_term?: string;
  want_result?: Array<Record<string, unknown>>;
  sort_bindings?: boolean;
  want_error_code?: string;
  want_error?: string;
  strict_error?: boolean;
}

export interface CaseFile {
  folder: string;
  file: string;
  cases: ConformanceCase[];
  /** Set when the file could not be read or parsed: counted as one failure. */
  error?: string;
}

/** Every case file, folder by folder, in a stable order. `dir` may also be a single folder. */
export function loadCaseFiles(dir: string): CaseFile[] {
  const out: CaseFile[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const direct = entries.filter((e) => e.isFile() && /\.ya?ml$/.test(e.name));
  if (direct.length) {
    for (const e of direct) out.push(readCaseFile(path.basename(dir), path.join(dir, e.name)));
  }
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const folder = path.join(dir, e.name);
    for (const f of fs.readdirSync(folder).sort()) {
      if (/\.ya?ml$/.test(f)) out.push(readCaseFile(e.name, path.join(folder, f)));
    }
  }
  return out;
}

export function readCaseFile(folder: string, file: string): CaseFile {
  try {
    const doc = parseYaml(fs.readFileSync(file, 'utf8')) as { cases?: unknown };
    if (!doc || !Array.isArray(doc.cases)) return { folder, file, cases: [], error: 'no `cases:` list' };
    const cases = doc.cases.map((raw, i) => normalizeCase(raw as Record<string, unknown>, `${path.basename(file)}#${i}`));
    return { folder, file, cases };
  } catch (err) {
    return { folder, file, cases: [], error: `cannot read case file: ${(err as Error).message.split('\n')[0]}` };
  }
}

function normalizeCase(raw: Record<string, unknown>, fallbackNote: string): ConformanceCase {
  return {
    ...(raw as object),
    note: typeof raw.note === 'string' ? raw.note : fallbackNote,
    query: typeof raw.query === 'string' ? raw.query : '',
    hasInput: Object.prototype.hasOwnProperty.call(raw, 'input'),
  } as ConformanceCase;
}
