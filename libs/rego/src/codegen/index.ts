export { generateWasm, hostAbiName, type GenerateOptions } from './module';
export { loadBinaryen, type Binaryen } from './binaryen';
export { CodegenError } from './context';
export { RuntimeMissingError } from './runtime-wasm';
