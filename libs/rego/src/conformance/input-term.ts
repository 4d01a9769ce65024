// `input_term` is Rego term text; opa-wasm takes JSON input, so only ground terms without sets
// (which JSON cannot carry) can be used. Anything else makes the case a skip with a reason.
import { parseTerm } from '../syntax/index';
import type { Term } from '../syntax/ast';

export type TermJson = { ok: true; value: unknown } | { ok: false; reason: string };

export function inputTermToJson(text: string): TermJson {
  const parsed = parseTerm('input_term', text);
  if (!parsed.term) return { ok: false, reason: `input_term does not parse: ${parsed.errors[0]?.message ?? 'unknown error'}` };
  try {
    return { ok: true, value: toJson(parsed.term) };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

function toJson(t: Term): unknown {
  switch (t.type) {
    case 'null':
      return null;
    case 'boolean':
      return t.value;
    case 'number':
      return Number(t.raw);
    case 'string':
      return t.value;
    case 'array':
      return t.items.map(toJson);
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of t.entries) {
        if (k.type !== 'string') throw new Error('input_term has a non-string object key (not representable as JSON input)');
        o[k.value] = toJson(v);
      }
      return o;
    }
    case 'set':
      throw new Error('input_term contains a set (not representable as JSON input)');
    default:
      throw new Error(`input_term is not a ground value (${t.type})`);
  }
}
