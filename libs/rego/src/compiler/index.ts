// The Rego compiler: an ordered table of named stages (like OPA's compiler) turning parsed
// modules into the planner's IR. Errors are collected, never thrown.
import type { Diagnostic } from '../diagnostics';
import type { Policy } from '../planner/ir';
import type { Location, Module, Rule } from '../syntax/ast';
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
  // by position, as OPA reports them (stages find them in their own order)
  const errors = [...ctx.diags.items].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
  return errors.length ? { errors } : { policy: ctx.policy, errors };
}

/** Runs the stages (all, or up to and including `until`) on a copy of the modules. */
export function runStages(modules: Module[], opts: CompileOptions, until?: string): CompileContext {
  const ctx = new CompileContext(cloneAst(modules), opts);
  let degraded = false;
  for (const stage of STAGES) {
    if (stage.needsClean && ctx.diags.hasErrors) {
      // Keep checking the rules without errors, so one run reports the errors of every rule;
      // code is only generated for a clean program.
      if (stage === planStage || !dropBrokenRules(ctx)) break;
      degraded = true;
    }
    try {
      stage.run(ctx);
    } catch (e) {
      // Rules left out may confuse a later stage: the errors already found stand.
      if (degraded) break;
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
 * Leaves out of ctx.modules every rule an error points into (the rule tree keeps them, so
 * references stay resolved). False when an error lies outside any rule (package, imports):
 * then nothing further is checked.
 */
function dropBrokenRules(ctx: CompileContext): boolean {
  const before = (a: Location, b: { line: number; col: number }) => a.line < b.line || (a.line === b.line && a.col <= b.col);
  const broken = new Set<Rule>();
  const dropped = new Set(ctx.dropped);
  const rules = [...ctx.modules.flatMap((m) => m.rules), ...dropped];
  for (const d of ctx.diags.items) {
    let owner: Rule | undefined;
    for (const r of rules) {
      if (r.loc.file === d.file && before(r.loc, d) && (!owner || before(owner.loc, r.loc))) owner = r;
    }
    if (!owner) return false;
    if (!dropped.has(owner)) broken.add(owner);
  }
  if (broken.size) {
    ctx.dropped.push(...broken);
    ctx.modules = ctx.modules.map((m) => ({ ...m, rules: m.rules.filter((r) => !broken.has(r)) }));
  }
  return true;
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
