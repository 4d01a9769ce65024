// Writes an OPA-format bundle: gzipped tar with `/policy.wasm`, `/data.json`, `/.manifest`
// and the Rego sources under their relative paths (as `opa build -t wasm` lays them out).
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { packTar, type TarFile } from './tar-format';
import { normalizeEntrypoint, type BundleManifest } from './manifest';

export const WASM_PATH = '/policy.wasm';

export interface BundleContents {
  wasm: Uint8Array;
  data: Record<string, unknown>;
  entrypoints: string[];
  revision?: string;
  roots?: string[];
  /** Rego sources keyed by bundle-relative path (`mcp/decision.rego`). */
  sources?: Array<{ relPath: string; text: string }>;
}

export function bundleManifest(c: BundleContents): BundleManifest {
  return {
    revision: c.revision ?? '',
    roots: c.roots ?? [''],
    wasm: c.entrypoints.map((e) => ({ entrypoint: normalizeEntrypoint(e), module: WASM_PATH })),
    rego_version: 1,
  };
}

/** The gzipped bundle bytes. Output is deterministic (fixed mtimes, stable order). */
export function encodeBundle(c: BundleContents): Buffer {
  const files: TarFile[] = [
    { path: '/data.json', body: Buffer.from(JSON.stringify(c.data)) },
    { path: '/.manifest', body: Buffer.from(JSON.stringify(bundleManifest(c))) },
  ];
  for (const s of [...(c.sources ?? [])].sort((a, b) => (a.relPath < b.relPath ? -1 : 1))) {
    files.push({ path: '/' + s.relPath.replace(/^\/+/, ''), body: Buffer.from(s.text) });
  }
  files.push({ path: WASM_PATH, body: Buffer.from(c.wasm.buffer, c.wasm.byteOffset, c.wasm.byteLength) });
  return zlib.gzipSync(packTar(files), { level: 9 });
}

export function writeBundle(file: string, c: BundleContents): void {
  fs.writeFileSync(file, encodeBundle(c));
}
