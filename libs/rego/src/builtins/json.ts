// json.* builtins. marshal writes like Go's encoding/json (sorted keys, HTML-safe escapes);
// filter/remove/patch take paths as "a/b/0" strings or ["a","b",0] arrays.

import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { parseExact } from './exact-json';
import { coll, deepEqual, isObject, JsonObject, str } from './values';

/** Go's json.Marshal string escaping: <, >, & and U+2028/9 are escaped too. */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function goJsonMarshal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return String(v);
    case 'number':
    case 'bigint':
      return String(v);
    case 'string':
      return goJsonString(v);
  }
  if (Array.isArray(v)) return `[${v.map(goJsonMarshal).join(',')}]`;
  const o = v as JsonObject;
  return `{${Object.keys(o).sort().map((k) => `${goJsonString(k)}:${goJsonMarshal(o[k])}`).join(',')}}`;
}

function marshal(x: unknown): string {
  return goJsonMarshal(x);
}

function unmarshal(x: unknown): unknown {
  const s = str('json.unmarshal', 1, x);
  try {
    return parseExact(s);
  } catch (e) {
    throw new BuiltinError('json.unmarshal', (e as Error).message);
  }
}

function isValid(x: unknown): boolean {
  if (typeof x !== 'string') return false;
  try {
    JSON.parse(x);
    return true;
  } catch {
    return false;
  }
}

type Path = string[];

/** "a/b/c" (a leading "/" is ignored) or ["a", "b", 0]. */
function toPath(fn: string, p: unknown): Path {
  if (typeof p === 'string') {
    const t = p.replace(/^\//, '');
    return t === '' ? [] : t.split('/').map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  if (Array.isArray(p)) return p.map((seg) => (typeof seg === 'string' ? seg : JSON.stringify(seg)));
  throw new BuiltinError(fn, 'paths must be strings or arrays', 'eval_type_error');
}

interface Trie {
  end: boolean;
  kids: Map<string, Trie>;
}

function buildTrie(paths: Path[]): Trie {
  const root: Trie = { end: false, kids: new Map() };
  for (const p of paths) {
    let n = root;
    for (const seg of p) {
      let k = n.kids.get(seg);
      if (!k) n.kids.set(seg, (k = { end: false, kids: new Map() }));
      n = k;
    }
    n.end = true;
  }
  return root;
}

function keep(v: unknown, t: Trie): unknown {
  if (t.end) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    v.forEach((x, i) => {
      const k = t.kids.get(String(i));
      if (k) {
        const r = keep(x, k);
        if (r !== undefined) out.push(r);
      }
    });
    return out;
  }
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [key, k] of t.kids) {
      if (Object.prototype.hasOwnProperty.call(v, key)) {
        const r = keep(v[key], k);
        if (r !== undefined) out[key] = r;
      }
    }
    return out;
  }
  return undefined;
}

function drop(v: unknown, t: Trie): unknown {
  if (t.end) return undefined;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    v.forEach((x, i) => {
      const k = t.kids.get(String(i));
      const r = k ? drop(x, k) : x;
      if (r !== undefined) out.push(r);
    });
    return out;
  }
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const key of Object.keys(v)) {
      const k = t.kids.get(key);
      const r = k ? drop(v[key], k) : v[key];
      if (r !== undefined) out[key] = r;
    }
    return out;
  }
  return v;
}

function paths(fn: string, v: unknown): Path[] {
  return coll(fn, 2, v).map((p) => toPath(fn, p));
}

function filter(x: unknown, ps: unknown): unknown {
  if (!isObject(x)) throw new BuiltinError('json.filter', 'operand 1 must be object', 'eval_type_error');
  return keep(x, buildTrie(paths('json.filter', ps))) ?? {};
}

function remove(x: unknown, ps: unknown): unknown {
  if (!isObject(x)) throw new BuiltinError('json.remove', 'operand 1 must be object', 'eval_type_error');
  return drop(x, buildTrie(paths('json.remove', ps))) ?? {};
}

// ---- json.patch (RFC 6902), on copies ---------------------------------------------------------

function clone<T>(v: T): T {
  return v === null || typeof v !== 'object' ? v : (structuredClone(v) as T);
}

function arrayIndex(seg: string, len: number, forAdd: boolean): number {
  if (forAdd && seg === '-') return len;
  if (!/^(0|[1-9]\d*)$/.test(seg)) throw new Error(`invalid array index ${seg}`);
  const i = Number(seg);
  if (i > len || (!forAdd && i === len)) throw new Error(`array index ${seg} out of range`);
  return i;
}

function getAt(doc: unknown, path: Path): unknown {
  let cur = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(seg, cur.length, false)];
    else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, seg)) cur = cur[seg];
    else throw new Error(`path /${path.join('/')} does not exist`);
  }
  return cur;
}

function parentOf(doc: unknown, path: Path): unknown {
  return getAt(doc, path.slice(0, -1));
}

function addAt(doc: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = parentOf(doc, path);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true), 0, value);
  else if (isObject(parent)) parent[last] = value;
  else throw new Error(`cannot add to a scalar at /${path.join('/')}`);
  return doc;
}

function removeAt(doc: unknown, path: Path): unknown {
  if (path.length === 0) throw new Error('cannot remove the root');
  const parent = parentOf(doc, path);
  const last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false), 1);
  else if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) delete parent[last];
  else throw new Error(`path /${path.join('/')} does not exist`);
  return doc;
}

function patch(doc: unknown, ops: unknown): unknown {
  const fn = 'json.patch';
  let cur = clone(doc);
  try {
    for (const op of coll(fn, 2, ops)) {
      if (!isObject(op) || typeof op.op !== 'string' || op.path === undefined) throw new Error('each patch must be an object with op and path');
      const path = toPath(fn, op.path);
      switch (op.op) {
        case 'add':
          cur = addAt(cur, path, clone(op.value));
          break;
        case 'remove':
          cur = removeAt(cur, path);
          break;
        case 'replace':
          getAt(cur, path);
          cur = path.length === 0 ? clone(op.value) : addAt(removeAt(cur, path), path, clone(op.value));
          break;
        case 'move': {
          const from = toPath(fn, op.from);
          const v = getAt(cur, from);
          cur = addAt(removeAt(cur, from), path, v);
          break;
        }
        case 'copy':
          cur = addAt(cur, path, clone(getAt(cur, toPath(fn, op.from))));
          break;
        case 'test':
          if (!deepEqual(getAt(cur, path), op.value)) throw new Error(`test failed at /${path.join('/')}`);
          break;
        default:
          throw new Error(`unknown op ${op.op}`);
      }
    }
  } catch (e) {
    if (e instanceof BuiltinError) throw e;
    throw new BuiltinError(fn, (e as Error).message);
  }
  return cur;
}

export const JSON_BUILTINS: Record<string, HostBuiltin> = {
  'json.marshal': marshal,
  'json.unmarshal': unmarshal,
  'json.is_valid': isValid,
  'json.filter': filter,
  'json.remove': remove,
  'json.patch': patch,
};

