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

// Strings with only Latin-1 characters, but held by V8 in its two-byte form (text cut from a
// larger two-byte string, e.g. one decoded from a file with a non-Latin-1 character anywhere;
// the policy host hands out such reason codes). One such string in a batch's SQL makes the whole
// SQL text two-byte when it is flattened, and the UTF-8 conversion at exec() then costs ~25% of
// the main thread's work per record. A Latin-1 copy keeps it one-byte. Copies are cached: the
// strings these come from (policy reason codes and messages) are few and repeat.
// eslint-disable-next-line no-control-regex
const LATIN1 = /^[\u0000-\u00ff]*$/;
const ONE_BYTE_CACHE_MAX = 1024;
/** Longer strings are copied without being kept (bounds the cache's memory). */
const ONE_BYTE_CACHE_CHARS = 256;
const oneByteCache = new Map<string, string>();

/**
 * safeString(s), in V8's one-byte form when its characters allow it. Meant for short strings
 * from a small set (reason codes and messages): results are cached, a hit skips the scan too.
 */
export function safeOneByteString(s: string): string {
  const cacheable = s.length <= ONE_BYTE_CACHE_CHARS;
  const hit = cacheable ? oneByteCache.get(s) : undefined;
  if (hit !== undefined) return hit;
  // latin1 keeps each character's low byte: only for text that has no other bits.
  const safe = safeString(s);
  const copy = LATIN1.test(safe) ? Buffer.from(safe, 'latin1').toString('latin1') : safe;
  if (!cacheable) return copy;
  if (oneByteCache.size >= ONE_BYTE_CACHE_MAX) oneByteCache.clear();
  oneByteCache.set(s, copy);
  return copy;
}

export function toJsonSafe(value: unknown, path = '$'): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return convertObject(value as Record<string, unknown>, path);
  return convert(value, path, new Set<object>(), 0);
}

/**
 * convert() of a top-level object (the policy's `pinned`, `obligations`), with its primitive
 * values copied in line: the cycle set is made only when a value is an object (a flat object,
 * the usual case, needs neither it nor a call per value).
 */
function convertObject(src: Record<string, unknown>, path: string): unknown {
  const toJSON = (src as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return convert((toJSON as (key: string) => unknown).call(src, ''), path, new Set<object>(), 0);
  let seen: Set<object> | undefined;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(src);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = src[k];
    let c: unknown;
    switch (typeof v) {
      case 'string':
        c = safeString(v);
        break;
      case 'number':
        c = Number.isFinite(v) ? v : null;
        break;
      case 'boolean':
        c = v;
        break;
      case 'bigint':
        c = Number(v);
        break;
      case 'undefined':
      case 'function':
      case 'symbol':
        continue;
      default:
        if (v === null) c = null;
        else {
          seen ??= new Set<object>([src]);
          c = convert(v, `${path}.${k}`, seen, 1);
          if (c === undefined) continue;
        }
    }
    out[safeString(k)] = c;
  }
  return out;
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
