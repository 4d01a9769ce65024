// `opa build` rejects entrypoints that name no rule; so does `arbiter build`, before compiling,
// instead of shipping a bundle whose entrypoint is always undefined.
import { parseModule } from '@arbiter/rego/syntax';

/** Entrypoints (slash form) that are neither a rule, inside a rule's value, nor a package. */
export function unknownEntrypoints(modules: Array<{ file: string; text: string }>, entrypoints: string[]): string[] {
  const rules: string[][] = [];
  const packages: string[][] = [];
  for (const m of modules) {
    const parsed = parseModule(m.file, m.text);
    if (!parsed.module) continue; // the compiler reports it
    const pkg = parsed.module.package.path;
    for (const rule of parsed.module.rules) {
      const ref: string[] = [];
      for (const seg of rule.head.ref) {
        if (seg.type !== 'string') break;
        ref.push(seg.value);
      }
      rules.push([...pkg, ...ref]);
    }
    packages.push(pkg);
  }
  return entrypoints.filter((ep) => {
    const p = ep.split('/').filter(Boolean);
    // A package or subtree holding rules, a rule, or a path into a rule's value.
    return !rules.some((q) => isPrefix(p, q) || isPrefix(q, p)) && !packages.some((q) => isPrefix(p, q));
  });
}

function isPrefix(a: string[], b: string[]): boolean {
  return a.length <= b.length && a.every((s, i) => s === b[i]);
}
