// Finds the Rego unit tests: complete rules named `test_*` (OPA's convention), each with the
// file:line of its first definition.
import { parseModule } from '../syntax/index';
import type { Module, Rule } from '../syntax/ast';
import type { Diagnostic } from '../diagnostics';
import type { SourceText } from './toolchain';

export interface DiscoveredTest {
  /** `data.pkg.test_name`, what `--run` matches against. */
  name: string;
  /** Entrypoint in slash form: `pkg/test_name`. */
  entrypoint: string;
  file: string;
  line: number;
}

export interface Discovery {
  tests: DiscoveredTest[];
  modules: Module[];
  errors: Diagnostic[];
}

export function discoverTests(sources: SourceText[]): Discovery {
  const tests: DiscoveredTest[] = [];
  const modules: Module[] = [];
  const errors: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const src of sources) {
    const parsed = parseModule(src.file, src.text);
    errors.push(...parsed.errors);
    if (!parsed.module) continue;
    modules.push(parsed.module);
    for (const rule of parsed.module.rules) {
      const name = testRuleName(rule);
      if (!name) continue;
      const path = [...parsed.module.package.path, name];
      const full = 'data.' + path.join('.');
      // Incremental definitions of one test are one rule: report it once, at its first line.
      if (seen.has(full)) continue;
      seen.add(full);
      tests.push({ name: full, entrypoint: path.join('/'), file: src.file, line: rule.loc.line });
    }
  }
  return { tests, modules, errors };
}

function testRuleName(rule: Rule): string | undefined {
  if (rule.kind !== 'complete' || rule.head.ref.length !== 1) return undefined;
  const seg = rule.head.ref[0];
  if (seg.type !== 'string' || !seg.value.startsWith('test_')) return undefined;
  return seg.value;
}
