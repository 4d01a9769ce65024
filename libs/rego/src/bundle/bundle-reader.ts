// Reads OPA-format bundles, ours or from `opa build -t wasm`: gzipped tar, paths with or
// without a leading `/`, `/.manifest` optional, data from every `data.json`/`data.yaml` by path.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { unpackTar } from './tar-format';
import { BundleFormatError, validateManifest, type BundleManifest } from './manifest';
import { mergeDataAt, DataConflictError } from './data-merge';
import { parseDataFile } from './source-tree';

export interface Bundle {
  /** The module of the first wasm resolver (or `/policy.wasm`); undefined for Rego-only bundles. */
  wasm?: Uint8Array;
  /** Every Wasm module by bundle path (OPA allows several). */
  wasmModules: Record<string, Uint8Array>;
  data: Record<string, unknown>;
  manifest: BundleManifest;
  /** Every regular file, keyed by normalized path (`/x/y.rego`). */
  files: Record<string, Buffer>;
}

export async function readBundle(src: string | Uint8Array): Promise<Bundle> {
  const raw = typeof src === 'string' ? fs.readFileSync(src) : Buffer.from(src);
  let tarBytes: Buffer;
  try {
    tarBytes = raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw;
  } catch (err) {
    throw new BundleFormatError('bundle_format_error', `bundle is not valid gzip: ${(err as Error).message}`);
  }
  let entries;
  try {
    entries = await unpackTar(tarBytes);
  } catch (err) {
    throw new BundleFormatError('bundle_format_error', `bundle is not a valid tar archive: ${(err as Error).message}`);
  }
  const files: Record<string, Buffer> = {};
  for (const e of entries) files[normalizePath(e.path)] = e.body;
  if (Object.keys(files).length === 0) throw new BundleFormatError('bundle_format_error', 'bundle is empty');

  let manifest: BundleManifest = {};
  if (files['/.manifest']) {
    try {
      manifest = validateManifest(JSON.parse(files['/.manifest'].toString('utf8')));
    } catch (err) {
      if (err instanceof BundleFormatError) throw err;
      throw new BundleFormatError('bundle_format_error', `.manifest is not valid JSON: ${(err as Error).message}`);
    }
  }

  let data: Record<string, unknown> = {};
  for (const p of Object.keys(files).sort()) {
    const m = /^(.*)\/data\.(json|ya?ml)$/.exec(p);
    if (!m) continue;
    const at = m[1].split('/').filter(Boolean);
    let value: unknown;
    try {
      value = parseDataFile(p, files[p].toString('utf8'));
    } catch (err) {
      throw new BundleFormatError('bundle_format_error', `${p}: ${(err as Error).message.split('\n')[0]}`);
    }
    try {
      data = mergeDataAt(data, at, value);
    } catch (err) {
      if (err instanceof DataConflictError) throw new BundleFormatError('bundle_format_error', `${p}: ${err.message}`);
      throw err;
    }
  }

  const wasmModules: Record<string, Uint8Array> = {};
  for (const p of Object.keys(files)) if (p.endsWith('.wasm')) wasmModules[p] = new Uint8Array(files[p]);
  const first = manifest.wasm?.[0]?.module;
  const wasmPath = first ? normalizePath(first) : '/policy.wasm';
  if (manifest.wasm) {
    for (const w of manifest.wasm) {
      if (!wasmModules[normalizePath(w.module)]) {
        throw new BundleFormatError('bundle_format_error', `.manifest names wasm module ${w.module} that the bundle lacks`);
      }
    }
  }
  return { wasm: wasmModules[wasmPath], wasmModules, data, manifest, files };
}

/** The entrypoints a bundle declares, in `a/b` form. */
export function bundleEntrypoints(b: Bundle): string[] {
  return (b.manifest.wasm ?? []).map((w) => w.entrypoint);
}

function normalizePath(p: string): string {
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) throw new BundleFormatError('bundle_format_error', `bundle path escapes the root: ${p}`);
  return '/' + parts.join('/');
}
