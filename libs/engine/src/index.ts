export * from './ports';
export * from './verdict';
export * from './revision';
export * from './policy-source';
export * from './policy-engine';
export { regoCompiler, regoHost } from './rego-toolchain';
