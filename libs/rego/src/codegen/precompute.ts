// Rules whose value depends on `data` alone: computed once when the policy's data is loaded,
// not once per evaluation. Policies often derive lookup tables from data (an index of a tool
// catalog) or check its integrity (every catalog entry well-formed); evaluated per decision,
// that work is the same every time. Such a rule is cached across evaluations (codegen/
// emit-rules.ts) once the host has run the module's precompute exports after setData
// (host/loader.ts); a module whose host never does (plain opa-wasm) evaluates them as usual.
//
// A rule qualifies when, transitively through every function it calls:
// - it never reads input (local 0) other than passing it on, unchanged, to qualifying rules,
// - it calls no builtin whose answer can differ between two calls with the same arguments
//   (time, randomness, network, the runtime, print/trace output expected per evaluation),
// - it is a plain rule (no arguments, no `with` mock slots).
import type { Block, Policy } from '../planner/ir';
import { INPUT } from '../planner/ir';
import { forEachStmt, stmtReads } from './reads';

/** Exports a host calls after setData to precompute the data-only rules (host/loader.ts). */
export const PRECOMPUTE_BEGIN = 'arbiter_precompute_begin';
export const PRECOMPUTE_RUN = 'arbiter_precompute';
export const PRECOMPUTE_DROP = 'arbiter_precompute_drop';

/** Builtins a precomputed value must not depend on (their answers vary, or they have effects). */
const VARYING_BUILTINS = new Set([
  'time.now_ns',
  'rand.intn',
  'uuid.rfc4122',
  'http.send',
  'net.lookup_ip_addr',
  'opa.runtime',
  'trace',
  'print',
  'internal.print',
  'io.jwt.decode_verify',
]);

interface Facts {
  readsInput: boolean;
  varying: boolean;
  /** Non-builtin callees that receive local 0 as their input argument. */
  inputCallees: Set<string>;
  /** All non-builtin callees. */
  callees: Set<string>;
}

function factsOf(blocks: Block[]): Facts {
  const f: Facts = { readsInput: false, varying: false, inputCallees: new Set(), callees: new Set() };
  forEachStmt(blocks, (s) => {
    const planned = s.op === 'call' && !s.builtin;
    if (s.op === 'call') {
      if (planned) f.callees.add(s.func);
      else if (VARYING_BUILTINS.has(s.func)) f.varying = true;
    }
    stmtReads(s, (local, arg) => {
      if (local !== INPUT) return;
      // Handing input on unchanged, as a planned function's own input, is not a read by itself
      // (whether the callee reads it is decided below); anything else is. A `with` on input
      // counts as a read: a copy of input with a value patched in is still input.
      if (planned && arg === 0) f.inputCallees.add((s as { func: string }).func);
      else f.readsInput = true;
    });
  });
  return f;
}

/** Names of the Funcs whose value depends on data alone (see the header). */
export function dataOnlyRules(policy: Policy): Set<string> {
  const facts = new Map<string, Facts>();
  for (const fn of policy.funcs) facts.set(fn.name, factsOf(fn.blocks));
  // Least fixpoint over the call graph (Rego has no recursion): a function uses input if it reads
  // it or hands it to one that does; it varies if it or anything it calls does. Unknown callees
  // count as both.
  const usesInput = new Set<string>();
  const varies = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const [name, f] of facts) {
      if (!usesInput.has(name) && (f.readsInput || [...f.inputCallees].some((c) => usesInput.has(c) || !facts.has(c)))) {
        usesInput.add(name);
        changed = true;
      }
      if (!varies.has(name) && (f.varying || [...f.callees].some((c) => varies.has(c) || !facts.has(c)))) {
        varies.add(name);
        changed = true;
      }
    }
  }
  const ok = new Set<string>();
  for (const fn of policy.funcs) {
    if (fn.kind === 'rule' && fn.cacheable && fn.params.length === 2 && !usesInput.has(fn.name) && !varies.has(fn.name)) ok.add(fn.name);
  }
  return ok;
}
