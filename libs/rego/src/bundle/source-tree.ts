// Loads a policy directory the way OPA loads a bundle directory: every `*.rego` file is a module,
// every `data.json` / `data.yaml` is placed at `data.<its directory relative to the root>`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { mergeDataAt, DataConflictError } from './data-merge';

export interface SourceModule {
  /** The file name used in diagnostics (the path as found from the given root, cwd-relative). */
  file: string;
  /** Path relative to the root it was found under, with `/` separators (bundle path). */
  relPath: string;
  text: string;
}

export interface SourceError {
  code: 'io_error' | 'data_parse_error' | 'data_conflict_error';
  file: string;
  line: number;
  col: number;
  message: string;
}

export interface SourceTree {
  modules: SourceModule[];
  data: Record<string, unknown>;
  /** Data files found, with where they were placed (for bundles and `-v` output). */
  dataFiles: Array<{ file: string; relPath: string; at: string[] }>;
  errors: SourceError[];
}

export interface LoadOptions {
  /** Include `*_test.rego` files (the test runner does; the service does not). Default true. */
  includeTests?: boolean;
}

const DATA_FILE = /^data\.(json|ya?ml)$/;

export function formatSourceError(e: SourceError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.code}: ${e.message}`;
}

/** Loads every root (a directory or a single file) into one module list and one data document. */
export function loadSourceTree(roots: string[], opts: LoadOptions = {}): SourceTree {
  const tree: SourceTree = { modules: [], data: {}, dataFiles: [], errors: [] };
  for (const root of roots) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(root);
    } catch (err) {
      tree.errors.push(ioError(root, err));
      continue;
    }
    if (stat.isDirectory()) {
      for (const rel of walk(root, '')) addFile(tree, path.join(root, rel), rel, opts);
    } else {
      // A single file given directly: modules keep their name, data files go to the root of data.
      addFile(tree, root, path.basename(root), opts, true);
    }
  }
  tree.modules.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return tree;
}

function addFile(tree: SourceTree, full: string, rel: string, opts: LoadOptions, explicit = false): void {
  const base = path.basename(rel);
  const relPath = rel.split(path.sep).join('/');
  if (base.endsWith('.rego')) {
    if (opts.includeTests === false && base.endsWith('_test.rego') && !explicit) return;
    try {
      tree.modules.push({ file: full, relPath, text: fs.readFileSync(full, 'utf8') });
    } catch (err) {
      tree.errors.push(ioError(full, err));
    }
    return;
  }
  if (!DATA_FILE.test(base) && !(explicit && /\.(json|ya?ml)$/.test(base))) return;
  const at = explicit ? [] : relPath.split('/').slice(0, -1);
  let value: unknown;
  try {
    value = parseDataFile(full, fs.readFileSync(full, 'utf8'));
  } catch (err) {
    const e = err as Error & { linePos?: Array<{ line: number; col: number }> };
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    tree.errors.push({ code: 'data_parse_error', file: full, line: pos.line, col: pos.col, message: firstLine(e.message) });
    return;
  }
  try {
    tree.data = mergeDataAt(tree.data, at, value);
    tree.dataFiles.push({ file: full, relPath, at });
  } catch (err) {
    if (!(err instanceof DataConflictError)) throw err;
    tree.errors.push({ code: 'data_conflict_error', file: full, line: 1, col: 1, message: err.message });
  }
}

/** Parses JSON or YAML by extension; YAML's JSON superset also accepts JSON. */
export function parseDataFile(file: string, text: string): unknown {
  if (file.endsWith('.json')) return JSON.parse(text);
  return compactStrings(parseYaml(text, { merge: false, uniqueKeys: true }));
}

const LATIN1 = /^[\x00-\xff]*$/;

/**
 * The same value with its strings (keys too) in V8's one-byte form where they fit. One character
 * beyond Latin-1 anywhere in a YAML file (a `→` in a comment) makes the whole text two-byte, and
 * every string the parser cuts from it stays two-byte: such strings then reach policy results and
 * make every decision record they appear in, and the SQL of its whole batch, two-byte (about twice
 * the cost to flatten and convert to UTF-8). Values are unchanged.
 */
function compactStrings(v: unknown): unknown {
  if (typeof v === 'string') return LATIN1.test(v) ? Buffer.from(v, 'latin1').toString('latin1') : v;
  if (Array.isArray(v)) return v.map(compactStrings);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    // fromEntries defines own properties: a "__proto__" key stays a key.
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [compactStrings(k) as string, compactStrings(x)]));
  }
  return v;
}

/** Relative paths of files under dir (sorted; hidden entries and node_modules skipped). */
function walk(root: string, rel: string): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = rel ? path.join(rel, entry.name) : entry.name;
    if (entry.isDirectory()) out.push(...walk(root, child));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}

function ioError(file: string, err: unknown): SourceError {
  return { code: 'io_error', file, line: 1, col: 1, message: firstLine((err as Error).message) };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
