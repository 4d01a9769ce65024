// Turns a caller's value into plain JSON that both databases accept, at append() time — so a
// bad value rejects only its own append instead of failing a whole group-commit batch.
//  - bigint → number (as the policy saw it through JSON); NaN/±Infinity → null (as JSON.stringify)
//  - U+0000 and lone surrogates in strings/keys → U+FFFD (PostgreSQL text/jsonb refuse them)
//  - Date → ISO string, toJSON() honoured, undefined/functions/symbols dropped (as JSON.stringify)
//  - cycles and nesting deeper than MAX_DEPTH → JsonSafetyError

export const MAX_DEPTH = 200;

export class JsonSafetyError extends Error {
  constructor(readonly path: string, readonly detail: string) {
    super(`${path}: ${detail}`);
  }
}

// eslint-disable-next-line no-control-regex
const UNSAFE = '\\u0000|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const UNSAFE_TEST = new RegExp(UNSAFE);
const UNSAFE_ALL = new RegExp(UNSAFE, 'g');

export function safeString(s: string): string {
  return UNSAFE_TEST.test(s) ? s.replace(UNSAFE_ALL, '\uFFFD') : s;
}

export function toJsonSafe(value: unknown, path = '$'): unknown {
  return convert(value, path, new Set<object>(), 0);
}

function convert(value: unknown, path: string, seen: Set<object>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return safeString(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return Number(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  const obj = value as { toJSON?: unknown };
  if (typeof obj.toJSON === 'function') {
    return convert((obj.toJSON as (key: string) => unknown).call(value, ''), path, seen, depth);
  }
  if (depth >= MAX_DEPTH) throw new JsonSafetyError(path, `nested deeper than ${MAX_DEPTH}`);
  if (seen.has(value as object)) throw new JsonSafetyError(path, 'circular reference');
  seen.add(value as object);
  try {
    if (Array.isArray(value)) {
      return value.map((v, i) => {
        const c = convert(v, isObject(v) ? `${path}[${i}]` : path, seen, depth + 1);
        return c === undefined ? null : c;
      });
    }
    const out: Record<string, unknown> = {};
    const src = value as Record<string, unknown>;
    const keys = Object.keys(src);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const v = src[k];
      const c = convert(v, isObject(v) ? `${path}.${k}` : path, seen, depth + 1);
      if (c !== undefined) out[safeString(k)] = c;
    }
    return out;
  } finally {
    seen.delete(value as object);
  }
}

/** Only objects can fail below, so only they get their own path string (building it per value cost more than the check). */
function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}
