// Result comparison for conformance cases. Numbers compare by value (1 == 1.0). Results come
// back from Wasm as JSON, where sets are arrays: an expected list that is sorted and duplicate
// free in OPA's order may stand for a set, so it matches any ordering of the same elements;
// an unsorted expected list can only be an array and must match in order.

type Json = unknown;

export function bindingsEqual(want: Json[], got: Json[], unordered: boolean): boolean {
  if (want.length !== got.length) return false;
  if (!unordered) return want.every((w, i) => valueEqual(w, got[i]));
  return multisetEqual(want, got);
}

export function valueEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return numEqual(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    if (a.every((x, i) => valueEqual(x, b[i]))) return true;
    return looksLikeSet(a) && multisetEqual(a, b);
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && valueEqual(a[k], b[k]));
  }
  return false;
}

function numEqual(a: Json, b: Json): boolean {
  const na = typeof a === 'number' ? a : typeof a === 'bigint' ? Number(a) : NaN;
  const nb = typeof b === 'number' ? b : typeof b === 'bigint' ? Number(b) : NaN;
  return !Number.isNaN(na) && na === nb;
}

function multisetEqual(a: Json[], b: Json[]): boolean {
  if (a.length !== b.length) return false;
  const used = new Array<boolean>(b.length).fill(false);
  for (const x of a) {
    const i = b.findIndex((y, j) => !used[j] && valueEqual(x, y));
    if (i < 0) return false;
    used[i] = true;
  }
  return true;
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sorted strictly ascending in OPA's value order (so it could be a serialized set). */
function looksLikeSet(xs: Json[]): boolean {
  for (let i = 1; i < xs.length; i++) if (compareValues(xs[i - 1], xs[i]) >= 0) return false;
  return true;
}

function typeRank(v: Json): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number' || typeof v === 'bigint') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/** OPA's total order on JSON values: null < boolean < number < string < array < object. */
export function compareValues(a: Json, b: Json): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return Number(a) - Number(b);
    case 2:
      return Math.sign(Number(a) - Number(b));
    case 3:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 4: {
      const xa = a as Json[];
      const xb = b as Json[];
      for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c) return c;
      }
      return xa.length - xb.length;
    }
    default: {
      const oa = a as Record<string, Json>;
      const ob = b as Record<string, Json>;
      const ka = Object.keys(oa).sort();
      const kb = Object.keys(ob).sort();
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const kc = compareValues(ka[i], kb[i]);
        if (kc) return kc;
        const vc = compareValues(oa[ka[i]], ob[kb[i]]);
        if (vc) return vc;
      }
      return ka.length - kb.length;
    }
  }
}
