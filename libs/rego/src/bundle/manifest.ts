// The OPA bundle manifest (`/.manifest`): which entrypoints the Wasm module exports and which
// data roots the bundle owns.

export interface WasmResolver {
  /** Slash path of the rule, e.g. `mcp/decision`. */
  entrypoint: string;
  /** Bundle path of the module, e.g. `/policy.wasm`. */
  module: string;
  annotations?: unknown[];
}

export interface BundleManifest {
  revision?: string;
  roots?: string[];
  wasm?: WasmResolver[];
  rego_version?: number;
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

export class BundleFormatError extends Error {
  constructor(readonly code: 'bundle_format_error', message: string) {
    super(message);
  }
}

/** Checks the manifest's shape; OPA rejects the same malformed manifests. */
export function validateManifest(raw: unknown): BundleManifest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new BundleFormatError('bundle_format_error', '.manifest must be a JSON object');
  }
  const m = raw as BundleManifest;
  if (m.revision !== undefined && typeof m.revision !== 'string') {
    throw new BundleFormatError('bundle_format_error', '.manifest revision must be a string');
  }
  if (m.roots !== undefined && (!Array.isArray(m.roots) || m.roots.some((r) => typeof r !== 'string'))) {
    throw new BundleFormatError('bundle_format_error', '.manifest roots must be a list of strings');
  }
  if (m.wasm !== undefined) {
    if (!Array.isArray(m.wasm)) throw new BundleFormatError('bundle_format_error', '.manifest wasm must be a list');
    for (const w of m.wasm) {
      if (typeof w?.entrypoint !== 'string' || typeof w?.module !== 'string') {
        throw new BundleFormatError('bundle_format_error', '.manifest wasm entries need string entrypoint and module');
      }
    }
  }
  return m;
}

/** `mcp.decision`, `data.mcp.decision` or `mcp/decision` → `mcp/decision`. */
export function normalizeEntrypoint(e: string): string {
  let s = e.trim();
  if (s.startsWith('data.')) s = s.slice(5);
  if (!s.includes('/')) s = s.split('.').join('/');
  return s.replace(/^\/+/, '');
}
