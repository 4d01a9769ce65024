export * from './ports';
export * from './verdict';
export * from './revision';
export * from './policy-source';
export * from './policy-engine';
export { regoCompiler, regoHost } from './rego-toolchain';
export * from './evaluate-loaded';
export { EvalPool, type EvalPoolOptions, type EvalPoolStats } from './worker/eval-pool';
