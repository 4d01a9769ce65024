// Reads what the engine loads: a policy directory (Rego sources + data) or an OPA bundle tarball.
import { readFileSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { loadSourceTree, formatSourceError } from '@arbiter/rego/bundle/source-tree';
import { unpackTar } from '@arbiter/rego/bundle/tar-format';
import { validateManifest, normalizeEntrypoint } from '@arbiter/rego/bundle/manifest';
import { mergeDataAt } from '@arbiter/rego/bundle/data-merge';
import { contentRevision } from './revision';

export type PolicyLocation = { kind: 'directory'; path: string } | { kind: 'bundle'; path: string };

/** Sources still to compile. */
export interface SourceSnapshot {
  kind: 'source';
  revision: string;
  modules: Array<{ file: string; text: string }>;
  data: Record<string, unknown>;
}

/** A prebuilt Wasm module from a bundle. */
export interface WasmSnapshot {
  kind: 'wasm';
  revision: string;
  wasm: Uint8Array;
  data: Record<string, unknown>;
}

export type PolicySnapshot = SourceSnapshot | WasmSnapshot;

export class PolicySourceError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
  }
}

export async function readPolicy(loc: PolicyLocation, entrypoint: string): Promise<PolicySnapshot> {
  return loc.kind === 'directory' ? readDirectory(loc.path) : readBundle(loc.path, entrypoint);
}

export function readDirectory(dir: string): SourceSnapshot {
  const tree = loadSourceTree([dir], { includeTests: false });
  if (tree.errors.length > 0) throw new PolicySourceError(tree.errors.map(formatSourceError));
  if (tree.modules.length === 0) throw new PolicySourceError([`${dir}: no .rego policy files found`]);
  const hashed: Array<{ name: string; content: string | Buffer }> = tree.modules.map((m) => ({ name: m.relPath, content: m.text }));
  for (const d of tree.dataFiles) hashed.push({ name: d.relPath, content: readFileSync(d.file) });
  return {
    kind: 'source',
    revision: contentRevision(hashed),
    modules: tree.modules.map((m) => ({ file: m.file, text: m.text })),
    data: tree.data,
  };
}

/** OPA bundle layout: `/policy.wasm` (or the manifest's module), `data.json` files, `/.manifest`. */
export async function readBundle(file: string, entrypoint: string): Promise<WasmSnapshot> {
  let buf: Buffer;
  try {
    buf = await fsp.readFile(file);
  } catch (e) {
    throw new PolicySourceError([`${file}: ${(e as Error).message}`]);
  }
  let entries;
  try {
    entries = await unpackTar(buf);
  } catch (e) {
    throw new PolicySourceError([`${file}: not a readable bundle tarball (${(e as Error).message})`]);
  }
  const files = new Map(entries.map((e) => [normalizePath(e.path), e.body]));
  let manifest: ReturnType<typeof validateManifest> = {};
  const rawManifest = files.get('.manifest');
  try {
    if (rawManifest) manifest = validateManifest(JSON.parse(rawManifest.toString('utf8')));
  } catch (e) {
    throw new PolicySourceError([`${file}: .manifest: ${(e as Error).message}`]);
  }
  const wanted = normalizeEntrypoint(entrypoint);
  let modulePath = 'policy.wasm';
  if (manifest.wasm && manifest.wasm.length > 0) {
    const entry = manifest.wasm.find((w) => normalizeEntrypoint(w.entrypoint) === wanted);
    if (!entry) throw new PolicySourceError([`${file}: the bundle has no Wasm module for entrypoint ${wanted}`]);
    modulePath = normalizePath(entry.module);
  }
  const wasm = files.get(modulePath);
  if (!wasm) throw new PolicySourceError([`${file}: the bundle has no /${modulePath}`]);
  let data: Record<string, unknown> = {};
  try {
    for (const [p, body] of files) {
      const parts = p.split('/');
      if (parts[parts.length - 1] !== 'data.json') continue;
      data = mergeDataAt(data, parts.slice(0, -1), JSON.parse(body.toString('utf8')));
    }
  } catch (e) {
    throw new PolicySourceError([`${file}: data: ${(e as Error).message}`]);
  }
  return {
    kind: 'wasm',
    revision: manifest.revision || contentRevision([{ name: file, content: buf }]),
    wasm: new Uint8Array(wasm),
    data,
  };
}

function normalizePath(p: string): string {
  return p.replace(/^\.?\/+/, '');
}
