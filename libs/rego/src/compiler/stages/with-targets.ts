// `with` targets (OPA's rules): input/data refs with constant paths, or a function — a user
// function (`with f as …`, `with data.lib.f as …`) or a builtin (`with time.now_ns as …`).
// A function is replaced by another function or builtin of the same arity, or by a value.
// Function replacements are recorded in ctx.funcMocks for the planner.
import { lookupBuiltin } from '../../builtins/catalog';
import type { Location, Term, WithModifier } from '../../syntax/ast';
import type { CompileContext } from '../context';
import type { RuleTree } from '../ruletree';
import { withKey, type FuncReplacement } from '../with-mocks';

/** A dotted name for a var or a ref of constant string segments (`time.now_ns`). */
export function dottedName(t: Term): string | undefined {
  if (t.type === 'var') return t.name;
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined;
  const parts = [t.head.name];
  for (const s of t.path) {
    if (s.type !== 'string') return undefined;
    parts.push(s.value);
  }
  return parts.join('.');
}

/** A `data.<strings>` ref's path, or undefined. */
function dataPath(t: Term): string[] | undefined {
  const name = dottedName(t);
  if (!name || t.type !== 'ref' || !name.startsWith('data.')) return undefined;
  return t.path.map((s) => (s as { value: string }).value);
}

function functionArity(tree: RuleTree, path: string[] | undefined): number | undefined {
  const g = path && tree.group(path);
  return g?.kind === 'function' ? g.arity : undefined;
}

/**
 * Checks one (resolved) modifier; returns the modifier to keep (a builtin replacement's value
 * becomes a placeholder string so later stages do not take the builtin's name for a variable).
 */
export function checkWith(ctx: CompileContext, w: WithModifier, declared: Set<string>): WithModifier {
  const t = w.target;
  const head = t.type === 'ref' ? t.head : t;
  const path = t.type === 'ref' ? t.path : [];
  const err = (code: 'rego_compile_error' | 'rego_type_error', msg: string, loc: Location = w.loc) => {
    ctx.diags.add(code, msg, loc);
    return w;
  };
  if (head.type === 'var' && head.name === 'input') {
    if (path.some((p) => p.type !== 'string')) return err('rego_compile_error', 'with keyword target path must be constant');
    return w;
  }
  if (head.type === 'var' && head.name === 'data') {
    if (path.some((p) => p.type !== 'string')) return err('rego_compile_error', 'with keyword target path must be constant');
    const segs = path.map((p) => (p as { value: string }).value);
    for (let i = 1; i < segs.length; i++) {
      if (ctx.tree.group(segs.slice(0, i))) return err('rego_compile_error', 'with keyword cannot partially replace virtual document(s)');
    }
    const arity = functionArity(ctx.tree, segs);
    if (arity === undefined) return w;
    return replaceFunction(ctx, w, `data.${segs.join('.')}`, arity, declared);
  }
  const name = dottedName(t);
  const decl = name ? lookupBuiltin(name) : undefined;
  if (!name || !decl) return err('rego_type_error', 'with keyword target must reference existing input, data, or a function');
  if (name === 'eq' || name === 'assign') {
    return err('rego_compile_error', `with keyword replacing built-in function: replacement of "${name}" invalid`);
  }
  if (name.startsWith('internal.')) {
    return err('rego_compile_error', `with keyword replacing built-in function: replacement of internal function "${name}" invalid`);
  }
  return replaceFunction(ctx, w, name, decl.args.length, declared);
}

function replaceFunction(ctx: CompileContext, w: WithModifier, target: string, arity: number, declared: Set<string>): WithModifier {
  const v = w.value;
  let replacement: FuncReplacement = { kind: 'value' };
  let have: number | undefined;
  let value = v;
  const path = dataPath(v);
  const fnArity = functionArity(ctx.tree, path);
  if (path && fnArity !== undefined) {
    replacement = { kind: 'function', path };
    have = fnArity;
  } else {
    const name = dottedName(v);
    const root = v.type === 'var' ? v.name : v.type === 'ref' && v.head.type === 'var' ? v.head.name : '';
    const decl = name && !declared.has(root) ? lookupBuiltin(name) : undefined;
    if (name && decl) {
      replacement = { kind: 'builtin', name };
      have = decl.args.length;
      value = { type: 'string', value: name, loc: v.loc };
    }
  }
  if (have !== undefined && have !== arity) {
    ctx.diags.add('rego_type_error', `${target}: arity mismatch: replacement ${replacement.kind === 'builtin' ? replacement.name : 'data.' + (replacement as { path: string[] }).path.join('.')} has arity ${have}, want ${arity}`, w.loc);
  }
  ctx.funcMocks.set(withKey(w.loc), { target, replacement });
  return { ...w, value };
}
