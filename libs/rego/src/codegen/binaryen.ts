// binaryen is an ES module with top-level await: CommonJS code cannot require() it, so it is
// loaded once with a real dynamic import (hidden from TypeScript's CommonJS rewriting).
import type binaryenNs from 'binaryen';

export type Binaryen = typeof binaryenNs;
export type BModule = binaryenNs.Module;
export type Expr = binaryenNs.ExpressionRef;

const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ default: Binaryen }>;

let loaded: Binaryen | undefined;
let loading: Promise<Binaryen> | undefined;

export function loadBinaryen(): Promise<Binaryen> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= importEsm('binaryen').then((m) => (loaded = m.default));
  return loading;
}

/** The loaded module, or undefined before loadBinaryen() resolved. */
export function binaryenIfLoaded(): Binaryen | undefined {
  return loaded;
}
