// yaml.* builtins on the `yaml` package, parsing YAML 1.2 with alias expansion bounded
// (a "billion laughs" document must not blow up the evaluator).

import YAML from 'yaml';
import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { str } from './values';

const PARSE_OPTIONS = { maxAliasCount: 100, merge: true, uniqueKeys: true } as const;

function parse(fn: string, text: string): unknown {
  const docs = YAML.parseAllDocuments(text, PARSE_OPTIONS);
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length === 0) return null;
  const doc = list[0];
  if (doc.errors.length) throw new BuiltinError(fn, doc.errors[0].message.split('\n')[0]);
  try {
    return doc.toJS({ maxAliasCount: PARSE_OPTIONS.maxAliasCount });
  } catch (e) {
    throw new BuiltinError(fn, (e as Error).message);
  }
}

function marshal(x: unknown): string {
  // Go's yaml (what OPA uses) writes block sequences at their key's indentation: `a:\n- 1`
  return YAML.stringify(x, { indentSeq: false });
}

function unmarshal(x: unknown): unknown {
  return parse('yaml.unmarshal', str('yaml.unmarshal', 1, x));
}

function isValid(x: unknown): boolean {
  if (typeof x !== 'string') return false;
  try {
    parse('yaml.is_valid', x);
    return true;
  } catch {
    return false;
  }
}

export const YAML_BUILTINS: Record<string, HostBuiltin> = {
  'yaml.marshal': marshal,
  'yaml.unmarshal': unmarshal,
  'yaml.is_valid': isValid,
};
