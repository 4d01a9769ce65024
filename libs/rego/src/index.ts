// Public API of Arbiter's Rego toolchain.
export { compile, compileSync, initCompiler } from './compile';
export type { CompileRequest, CompileResult } from './compile';
export { parseModule, parseQuery, parseTerm } from './syntax/index';
export type { Module } from './syntax/ast';
export type { Diagnostic, DiagnosticCode } from './diagnostics';
export { formatDiagnostic } from './diagnostics';
export type { Policy, Func, Plan, Stmt, Block } from './planner/ir';
export { hostAbiName } from './codegen/index';
