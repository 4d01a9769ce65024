// Reads what the engine loads: a policy directory (Rego sources + data) or an OPA bundle tarball.
import { readFileSync, promises as fsp } from 'node:fs';
import { loadSourceTree, formatSourceError } from '@arbiter/rego/bundle';
import { readBundle as readOpaBundle, normalizeEntrypoint, type Bundle } from '@arbiter/rego/bundle';
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

/** OPA bundle (ours or `opa build -t wasm`): read by @arbiter/rego's bundle reader. */
export async function readBundle(file: string, entrypoint: string): Promise<WasmSnapshot> {
  let raw: Buffer;
  let bundle: Bundle;
  try {
    raw = await fsp.readFile(file);
    bundle = await readOpaBundle(raw);
  } catch (e) {
    throw new PolicySourceError([`${file}: ${(e as Error).message}`]);
  }
  const wanted = normalizeEntrypoint(entrypoint);
  let wasm = bundle.wasm;
  const resolvers = bundle.manifest.wasm ?? [];
  if (resolvers.length > 0) {
    const entry = resolvers.find((w) => normalizeEntrypoint(w.entrypoint) === wanted);
    if (!entry) throw new PolicySourceError([`${file}: the bundle has no Wasm module for entrypoint ${wanted}`]);
    wasm = bundle.wasmModules['/' + entry.module.replace(/^\.?\/+/, '')];
  }
  if (!wasm) throw new PolicySourceError([`${file}: the bundle has no /policy.wasm`]);
  return {
    kind: 'wasm',
    revision: bundle.manifest.revision || contentRevision([{ name: 'bundle', content: raw }]),
    wasm,
    data: bundle.data,
  };
}
