export { readBundle, bundleEntrypoints, type Bundle } from './bundle-reader';
export { writeBundle, encodeBundle, bundleManifest, WASM_PATH, type BundleContents } from './bundle-writer';
export { BundleFormatError, normalizeEntrypoint, validateManifest, type BundleManifest, type WasmResolver } from './manifest';
export { loadSourceTree, formatSourceError, parseDataFile, type SourceTree, type SourceModule, type SourceError, type LoadOptions } from './source-tree';
export { mergeDataAt, DataConflictError } from './data-merge';
