// The Rego compiler: an ordered table of named stages (like OPA's compiler) turning parsed
// modules into the planner's IR. Errors are collected, never thrown.
import type { Diagnostic } from '../diagnostics';
import type { Policy } from '../planner/ir';
import type { Module } from '../syntax/ast';
import { CompileContext, type CompileOptions, type Stage } from './context';
import { indexRulesStage } from './stages/index-rules';
import { resolveStage } from './stages/resolve';
import { ruleChecksStage } from './stages/rulechecks';
import { localsStage } from './stages/locals';
import { safetyStage } from './stages/safety';
import { recursionStage } from './stages/recursion';
import { typeCheckStage } from './stages/typecheck';
import { planStage } from './stages/plan';

export { CompileContext } from './context';
export type { CompileOptions, Stage } from './context';

export const STAGES: Stage[] = [
  indexRulesStage,
  resolveStage,
  ruleChecksStage,
  localsStage,
  safetyStage,
  recursionStage,
  typeCheckStage,
  planStage,
];

export function compileModules(modules: Module[], opts: CompileOptions): { policy?: Policy; errors: Diagnostic[] } {
  const ctx = runStages(modules, opts);
  const errors = ctx.diags.items;
  return errors.length ? { errors } : { policy: ctx.policy, errors };
}

/** Runs the stages (all, or up to and including `until`) on a copy of the modules. */
export function runStages(modules: Module[], opts: CompileOptions, until?: string): CompileContext {
  const ctx = new CompileContext(cloneAst(modules), opts);
  for (const stage of STAGES) {
    if (stage.needsClean && ctx.diags.hasErrors) break;
    try {
      stage.run(ctx);
    } catch (e) {
      // A stage bug must not crash the caller: report it as a compile error.
      const loc = modules[0]?.package.loc ?? { file: '<input>', line: 1, col: 1, offset: 0 };
      const why = e instanceof RangeError ? 'nesting too deep to compile (split very long rule bodies or terms)' : (e as Error).message;
      ctx.diags.add('rego_compile_error', `internal error in stage ${stage.name}: ${why}`, loc);
      break;
    }
    if (stage.name === until) break;
  }
  return ctx;
}

/**
 * A copy of the modules for the stages to rewrite (the caller's stay untouched). Locations
 * are never mutated, so they are shared; this is several times faster than structuredClone.
 */
export function cloneAst<T>(x: T): T {
  if (Array.isArray(x)) return x.map(cloneAst) as T;
  if (x === null || typeof x !== 'object') return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = k === 'loc' ? v : cloneAst(v);
  return out as T;
}
