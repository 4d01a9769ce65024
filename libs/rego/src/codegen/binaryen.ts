// binaryen is an ES module with top-level await: CommonJS code cannot require() it. It is
// loaded once, preferably by evaluating its bundle as an async function body (under loaders
// such as tsx a plain import takes 10+ s: they transform its 14 MB source), falling
// back to a real dynamic import hidden from TypeScript's CommonJS rewriting.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type binaryenNs from 'binaryen';

export type Binaryen = typeof binaryenNs;
export type BModule = binaryenNs.Module;
export type Expr = binaryenNs.ExpressionRef;

const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ default: Binaryen }>;

let loaded: Binaryen | undefined;
let loading: Promise<Binaryen> | undefined;

const EXPORT_TAIL = /export\s*\{\s*([\w$]+)\s+as\s+default\s*\}\s*;?\s*$/;

/** Runs the bundle as `async function` with import.meta.url and the default export rewritten. */
async function loadFromSource(): Promise<Binaryen | undefined> {
  let file: string;
  try {
    file = require.resolve('binaryen');
  } catch {
    return undefined;
  }
  const src = fs.readFileSync(file, 'utf8');
  const tail = EXPORT_TAIL.exec(src);
  if (!tail || /\bimport\s*[\w{*]/.test(src.slice(0, 200))) return undefined;
  const body = src
    .slice(0, tail.index)
    .split('import.meta.url')
    .join(JSON.stringify(pathToFileURL(file).href));
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...a: string[]) => (
    imp: (s: string) => Promise<unknown>,
  ) => Promise<Binaryen>;
  // Dynamic imports inside the body (node:module) go through the passed-in importer.
  const run = new AsyncFunction('__import', `${body.replace(/\bimport\(/g, '__import(')}\nreturn ${tail[1]};`);
  const b = await run((s: string) => importEsm(s));
  return b && typeof b.Module === 'function' ? b : undefined;
}

export function loadBinaryen(): Promise<Binaryen> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= loadFromSource()
    .catch(() => undefined)
    .then(async (b) => b ?? (await importEsm('binaryen')).default)
    .then((b) => (loaded = b));
  return loading;
}

/**
 * Forgets the loaded instance after binaryen aborted (an Emscripten abort leaves the instance
 * unusable); the next loadBinaryen() evaluates a fresh one.
 */
export function discardBinaryenAfterAbort(e: unknown): void {
  if (e instanceof Error && e.message.startsWith('Aborted(')) {
    loaded = undefined;
    loading = undefined;
  }
}

/** The loaded module, or undefined before loadBinaryen() resolved. */
export function binaryenIfLoaded(): Binaryen | undefined {
  return loaded;
}
