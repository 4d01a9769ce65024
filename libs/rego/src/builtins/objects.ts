// object.* builtins, walk and graph.reachable. Sets arrive as sorted arrays over the JSON
// bridge, so where OPA distinguishes sets from arrays this code sees arrays (see README).

import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { arr, coll, deepEqual, isObject, JsonObject, obj, toSet } from './values';

function keyList(fn: string, v: unknown): string[] {
  if (isObject(v)) return Object.keys(v);
  return coll(fn, 2, v).map((k) => (typeof k === 'string' ? k : JSON.stringify(k)));
}

function objectFilter(o: unknown, keys: unknown): JsonObject {
  const x = obj('object.filter', 1, o);
  const out: JsonObject = {};
  for (const k of keyList('object.filter', keys)) if (Object.prototype.hasOwnProperty.call(x, k)) out[k] = x[k];
  return out;
}

function objectRemove(o: unknown, keys: unknown): JsonObject {
  const x = obj('object.remove', 1, o);
  const drop = new Set(keyList('object.remove', keys));
  const out: JsonObject = {};
  for (const k of Object.keys(x)) if (!drop.has(k)) out[k] = x[k];
  return out;
}

/** object.union: b wins, nested objects merged recursively. */
export function unionObjects(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? unionObjects(prev, v) : v;
  }
  return out;
}

function objectUnion(a: unknown, b: unknown): JsonObject {
  return unionObjects(obj('object.union', 1, a), obj('object.union', 2, b));
}

function objectUnionN(list: unknown): JsonObject {
  return arr('object.union_n', 1, list).reduce<JsonObject>((acc, o, i) => {
    if (!isObject(o)) throw new BuiltinError('object.union_n', `operand 1 element ${i} must be object`, 'eval_type_error');
    return unionObjects(acc, o);
  }, {});
}

function objectGet(o: unknown, key: unknown, dflt: unknown): unknown {
  let cur: unknown = obj('object.get', 1, o);
  const path = Array.isArray(key) ? key : [key];
  for (const seg of path) {
    if (isObject(cur)) {
      const k = typeof seg === 'string' ? seg : JSON.stringify(seg);
      if (!Object.prototype.hasOwnProperty.call(cur, k)) return dflt;
      cur = cur[k];
    } else if (Array.isArray(cur) && typeof seg === 'number' && Number.isInteger(seg) && seg >= 0 && seg < cur.length) {
      cur = cur[seg];
    } else return dflt;
  }
  return cur;
}

function objectKeys(o: unknown): unknown[] {
  return toSet(Object.keys(obj('object.keys', 1, o)));
}

/** sub's elements appear contiguously, in order, in sup. */
function isContiguous(sup: unknown[], sub: unknown[]): boolean {
  if (sub.length === 0) return true;
  for (let i = 0; i + sub.length <= sup.length; i++) {
    if (sub.every((x, j) => deepEqual(sup[i + j], x))) return true;
  }
  return false;
}

function subset(sup: unknown, sub: unknown): boolean {
  if (isObject(sup) && isObject(sub)) {
    return Object.entries(sub).every(([k, v]) => {
      if (!Object.prototype.hasOwnProperty.call(sup, k)) return false;
      const s = sup[k];
      if (isObject(s) && isObject(v)) return subset(s, v);
      return deepEqual(s, v);
    });
  }
  if (Array.isArray(sup) && Array.isArray(sub)) return isContiguous(sup, sub);
  return false;
}

function objectSubset(sup: unknown, sub: unknown): boolean {
  const fn = 'object.subset';
  const ok = (v: unknown) => isObject(v) || Array.isArray(v);
  if (!ok(sup)) throw new BuiltinError(fn, 'operand 1 must be object, array or set', 'eval_type_error');
  if (!ok(sub)) throw new BuiltinError(fn, 'operand 2 must be object, array or set', 'eval_type_error');
  if (isObject(sup) !== isObject(sub)) throw new BuiltinError(fn, 'both arguments must be objects, or both arrays/sets', 'eval_type_error');
  return subset(sup, sub);
}

/** walk(x): [path, value] for every node, pre-order, object keys sorted. */
function walk(x: unknown): unknown[] {
  const out: unknown[] = [];
  const visit = (v: unknown, path: unknown[]) => {
    out.push([path, v]);
    if (Array.isArray(v)) v.forEach((e, i) => visit(e, [...path, i]));
    else if (isObject(v)) for (const k of Object.keys(v).sort()) visit(v[k], [...path, k]);
  };
  visit(x, []);
  return out;
}

function graphReachable(graph: unknown, initial: unknown): unknown[] {
  const g = obj('graph.reachable', 1, graph);
  const queue = [...coll('graph.reachable', 2, initial)];
  const seen = new Set<string>();
  const reached: unknown[] = [];
  while (queue.length) {
    const node = queue.shift();
    const key = typeof node === 'string' ? node : JSON.stringify(node);
    if (seen.has(key)) continue;
    seen.add(key);
    if (!Object.prototype.hasOwnProperty.call(g, key)) continue;
    reached.push(node);
    const edges = g[key];
    if (Array.isArray(edges)) queue.push(...edges);
    else if (isObject(edges)) queue.push(...Object.keys(edges));
    else if (edges !== null) throw new BuiltinError('graph.reachable', `edges of ${key} must be an array or set`, 'eval_type_error');
  }
  return toSet(reached);
}

export const OBJECT_BUILTINS: Record<string, HostBuiltin> = {
  'object.get': objectGet,
  'object.keys': objectKeys,
  'object.filter': objectFilter,
  'object.remove': objectRemove,
  'object.union': objectUnion,
  'object.union_n': objectUnionN,
  'object.subset': objectSubset,
  walk,
  'graph.reachable': graphReachable,
};
