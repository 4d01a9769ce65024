// JSON body parser: rejects over-deep nesting by scanning the raw text (so JSON.parse never
// recurses through hostile input), then parses. Errors are typed for the error handler.
import { isUtf8 } from 'node:buffer';
import { ArbiterError } from '@arbiter/contracts';

/** Deepest `[`/`{` nesting in JSON text, ignoring brackets inside strings; stops past `limit`. */
export function rawJsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

export function parseJsonBody(text: string, maxDepth: number): unknown {
  if (text.length === 0) throw new ArbiterError('invalid_json', 'request body is empty');
  // Depth and duplicate keys in one pass before JSON.parse (so it never recurses through hostile
  // input); a duplicate counts only once the text has parsed (the scan assumes valid JSON).
  const scan = scanBody(text, maxDepth);
  if (scan === TOO_DEEP) {
    throw new ArbiterError('body_too_deep', `request nesting exceeds the limit of ${maxDepth}`, { maxDepth });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ArbiterError('invalid_json', `request body is not valid JSON: ${(e as Error).message}`);
  }
  const dup = scan === GENERAL ? allKeysDuplicate(text) : (scan as string | null);
  if (dup !== null) throw new ArbiterError('invalid_json', `request body has a duplicate object key ${JSON.stringify(dup.slice(0, 64))}`);
  return value;
}

/**
 * Decodes UTF-8 strictly: JSON.parse after a replacing decode would evaluate text that a strict
 * downstream parser reads differently (or refuses). isUtf8 is a native check, cheaper than a
 * fatal TextDecoder for small bodies.
 */
export function decodeUtf8Body(buf: Buffer): string {
  if (!isUtf8(buf)) throw new ArbiterError('invalid_json', 'request body is not valid UTF-8');
  return buf.toString('utf8');
}

// Objects up to this many keys are checked by a linear scan (no allocation); larger ones use a Set.
const LINEAR_KEYS = 16;

/**
 * The first key that occurs twice in one object of already-validated JSON text, else null.
 * JSON.parse keeps the last duplicate while other parsers keep the first or refuse: the same
 * body would mean different things to the gateway, to Arbiter and to the MCP server.
 */
export function duplicateKey(text: string): string | null {
  const scan = scanBody(text, Infinity);
  return scan === GENERAL ? allKeysDuplicate(text) : (scan as string | null);
}

/** scanBody results besides a duplicate key (a string) or null (no duplicate). */
const TOO_DEEP = 0;
const GENERAL = 1;

/**
 * One pass over body text: its nesting depth exactly as rawJsonDepth counts it (past `limit` the
 * scan stops: TOO_DEEP), and the first duplicate key (or null) — meaningful only when the text
 * is valid JSON; on other text the scan just ends, JSON.parse refuses it next.
 *
 * The usual body (keys without escapes, small objects) is checked without making a string per
 * key: keys are compared where they stand in the text. A key with a backslash or an object of
 * more than LINEAR_KEYS keys leaves the answer to the general scan (GENERAL: allKeysDuplicate);
 * the depth count goes on to the end either way.
 */
function scanBody(text: string, limit: number): string | number | null {
  // Scratch arrays used up to a count (kept, not truncated: truncating frees their storage).
  const keys = keyRanges; // begin, end of each open object's keys, in pairs; used up to nk
  const starts = openStarts; // index into `keys` where each open container's keys begin (-1: array); up to depth
  let nk = 0;
  let depth = 0; // below 0 after a stray closing bracket (invalid text), as in rawJsonDepth
  let tracking = true; // keys still checked: off once answered (a duplicate, GENERAL) or the text is broken
  let found: string | number | null = null;
  const n = text.length;
  // The first backslash at or after the scan position (n: none). Usual bodies have none, and
  // then each string ends at the next quote: one native indexOf per string, no character loop.
  let backslash = indexOrEnd(text, '\\', 0);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const begin = i + 1;
      let j = text.indexOf('"', begin);
      if (j < 0) break; // unterminated: the rest is inside the string
      if (backslash < begin) backslash = indexOrEnd(text, '\\', begin); // one outside strings (invalid JSON)
      const escapes = backslash < j;
      if (escapes) {
        j = stringEnd(text, begin); // skips escaped quotes
        if (j < 0) break;
        backslash = indexOrEnd(text, '\\', j + 1);
      }
      i = j;
      if (!tracking || depth <= 0) continue;
      const from = starts[depth - 1];
      if (from < 0 || !followedByColon(text, j)) continue;
      // A key with escapes needs decoding ("n\u0061me" is "name"), a large object a Set.
      if (escapes || nk - from >= 2 * LINEAR_KEYS) {
        found = GENERAL;
        tracking = false;
        continue;
      }
      const len = j - begin;
      for (let x = from; x < nk; x += 2) {
        const b = keys[x];
        if (keys[x + 1] - b !== len) continue;
        let y = 0;
        while (y < len && text.charCodeAt(b + y) === text.charCodeAt(begin + y)) y++;
        if (y === len) {
          found = text.slice(begin, j);
          tracking = false;
          break;
        }
      }
      keys[nk++] = begin;
      keys[nk++] = j;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (tracking) starts[depth] = c === 123 ? nk : -1;
      if (++depth > limit) return TOO_DEEP;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
      if (!tracking) continue;
      if (depth < 0) tracking = false;
      else {
        const from = starts[depth];
        if (from >= 0) nk = from;
      }
    }
  }
  return found;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}

/**
 * Index of the quote that closes the string whose text starts at `begin` (-1: none). A quote
 * after an odd run of backslashes is escaped: the same rule as skipping each escaped character.
 */
function stringEnd(text: string, begin: number): number {
  let j = begin;
  for (;;) {
    j = text.indexOf('"', j);
    if (j < 0) return -1;
    let k = j - 1;
    while (text.charCodeAt(k) === 92) k--;
    if ((j - 1 - k) % 2 === 0) return j; // an even run of backslashes: the quote ends the string
    j++;
  }
}

/** Whether the string closed at `quote` is an object key (a ':' follows, after whitespace). */
function followedByColon(text: string, quote: number): boolean {
  let m = quote + 1;
  let d = text.charCodeAt(m);
  while (d === 32 || d === 9 || d === 10 || d === 13) d = text.charCodeAt(++m);
  return d === 58; /* : */
}

// Scratch arrays of duplicateKey (synchronous, so one pair serves every call).
const keyRanges: number[] = [];
const openStarts: number[] = [];

/** duplicateKey for any valid JSON text: keys decoded (escapes), a Set for large objects. */
export function allKeysDuplicate(text: string): string | null {
  const keys: string[] = [];
  const starts: number[] = []; // index into `keys` where each open container's keys begin (-1: array)
  const sets: Array<Set<string> | null> = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const begin = i + 1;
      const j = stringEnd(text, begin);
      i = j;
      const top = starts.length - 1;
      if (top < 0 || starts[top] < 0) continue;
      if (!followedByColon(text, j)) continue;
      const raw = text.slice(begin, j);
      // Escapes decoded so "n\u0061me" and "name" count as the same key.
      const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      const from = starts[top];
      let set = sets[top];
      if (set !== null) {
        if (set.has(key)) return key;
        set.add(key);
      } else {
        for (let x = from; x < keys.length; x++) if (keys[x] === key) return key;
        if (keys.length - from >= LINEAR_KEYS) {
          set = new Set(keys.slice(from));
          set.add(key);
          sets[top] = set;
        }
      }
      keys.push(key);
    } else if (c === 123 /* { */) {
      starts.push(keys.length);
      sets.push(null);
    } else if (c === 91 /* [ */) {
      starts.push(-1);
      sets.push(null);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      const from = starts.pop()!;
      sets.pop();
      if (from >= 0) keys.length = from;
    }
  }
  return null;
}
