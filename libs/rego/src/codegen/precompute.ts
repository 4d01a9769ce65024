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
import type { Block, Operand, Policy, Stmt } from '../planner/ir';
import { INPUT } from '../planner/ir';

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

const reads = (o: Operand | undefined): boolean => o !== undefined && o.kind === 'local' && o.local === INPUT;

function scan(blocks: Block[], f: Facts): void {
  for (const block of blocks) for (const s of block.stmts) stmt(s, f);
}

function stmt(s: Stmt, f: Facts): void {
  switch (s.op) {
    case 'block':
      scan(s.blocks, f);
      return;
    case 'call':
      if (s.builtin) {
        if (VARYING_BUILTINS.has(s.func)) f.varying = true;
        if (s.args.some(reads)) f.readsInput = true;
        return;
      }
      f.callees.add(s.func);
      s.args.forEach((a, i) => {
        if (!reads(a)) return;
        if (i === 0) f.inputCallees.add(s.func);
        else f.readsInput = true;
      });
      return;
    case 'dot':
      if (reads(s.source) || reads(s.key)) f.readsInput = true;
      return;
    case 'equal':
    case 'not_equal':
    case 'object_merge':
      if (reads(s.a) || reads(s.b)) f.readsInput = true;
      return;
    case 'is_array':
    case 'is_object':
    case 'is_set':
    case 'len':
    case 'assign':
    case 'assign_once':
      if (reads(s.source)) f.readsInput = true;
      return;
    case 'is_defined':
    case 'is_undefined':
    case 'return':
      if (s.source === INPUT) f.readsInput = true;
      return;
    case 'result_add':
      if (s.value === INPUT) f.readsInput = true;
      return;
    case 'array_append':
    case 'set_add':
      if (reads(s.value)) f.readsInput = true;
      return;
    case 'object_insert':
    case 'object_insert_once':
      if (reads(s.key) || reads(s.value)) f.readsInput = true;
      return;
    case 'scan':
      if (s.source === INPUT) f.readsInput = true;
      scan([s.block], f);
      return;
    case 'not':
      scan([s.block], f);
      return;
    case 'with':
      // A copy of input with a value patched in is still input.
      if (s.local === INPUT || reads(s.value)) f.readsInput = true;
      scan([s.block], f);
      return;
    case 'break':
    case 'make_null':
    case 'make_bool':
    case 'make_number':
    case 'make_number_int':
    case 'make_string':
    case 'make_array':
    case 'make_object':
    case 'make_set':
    case 'reset':
    case 'nop':
      return;
    default: {
      // A statement this analysis does not know: assume the worst.
      const unknown: never = s;
      void unknown;
      f.readsInput = true;
    }
  }
}

/** Names of the Funcs whose value depends on data alone (see the header). */
export function dataOnlyRules(policy: Policy): Set<string> {
  const facts = new Map<string, Facts>();
  for (const fn of policy.funcs) {
    const f: Facts = { readsInput: false, varying: false, inputCallees: new Set(), callees: new Set() };
    scan(fn.blocks, f);
    facts.set(fn.name, f);
  }
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
