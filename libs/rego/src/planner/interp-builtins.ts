// A small builtin set for the IR interpreter. Errors that OPA reports only with strict
// builtin errors make the call undefined (return undefined); eval errors throw EvalError.
import { compare, equal, formatValue, RObject, RSet, typeName, type Value } from './interp-values';

export class EvalError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type BuiltinImpl = (args: Value[], ctx: { printed: string[] }) => Value | undefined;

const num = (v: Value): v is number => typeof v === 'number';
const str = (v: Value): v is string => typeof v === 'string';

function arith(fn: (a: number, b: number) => number | undefined): BuiltinImpl {
  return ([a, b]) => (num(a) && num(b) ? fn(a, b) : undefined);
}

function cmp(fn: (c: number) => boolean): BuiltinImpl {
  return ([a, b]) => fn(compare(a, b));
}

function elems(v: Value): Value[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.values();
  if (v instanceof RObject) return v.entries().map(([, x]) => x);
  return undefined;
}

function toStr(v: Value): string {
  return typeof v === 'string' ? v : formatValue(v);
}

function sprintf(format: string, args: Value[]): string {
  let i = 0;
  return format.replace(/%([-+ 0#]*\d*(?:\.\d+)?)([vdsfgxXeEtTqob%])/g, (m, flags: string, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (a === undefined) return `%!${verb}(MISSING)`;
    switch (verb) {
      case 'd':
        return num(a) ? String(Math.trunc(a)) : toStr(a);
      case 'f': {
        const prec = /\.(\d+)/.exec(flags);
        return num(a) ? a.toFixed(prec ? Number(prec[1]) : 6) : toStr(a);
      }
      case 'x':
        return num(a) ? a.toString(16) : toStr(a);
      case 'q':
        return JSON.stringify(a);
      default:
        return toStr(a);
    }
  });
}

export const builtinImpls: Record<string, BuiltinImpl> = {
  plus: arith((a, b) => a + b),
  minus: ([a, b]) => {
    if (num(a) && num(b)) return a - b;
    if (a instanceof RSet && b instanceof RSet) return RSet.from(a.values().filter((x) => !b.has(x)));
    return undefined;
  },
  mul: arith((a, b) => a * b),
  div: ([a, b]) => {
    if (!num(a) || !num(b)) return undefined;
    if (b === 0) throw new EvalError('eval_builtin_error', 'div: divide by zero');
    return a / b;
  },
  rem: ([a, b]) => {
    if (!num(a) || !num(b)) return undefined;
    if (!Number.isInteger(a) || !Number.isInteger(b)) throw new EvalError('eval_builtin_error', 'rem: modulo on floating-point number');
    if (b === 0) throw new EvalError('eval_builtin_error', 'rem: modulo by zero');
    return a % b;
  },
  equal: ([a, b]) => equal(a, b),
  neq: ([a, b]) => !equal(a, b),
  lt: cmp((c) => c < 0),
  lte: cmp((c) => c <= 0),
  gt: cmp((c) => c > 0),
  gte: cmp((c) => c >= 0),
  and: ([a, b]) => (a instanceof RSet && b instanceof RSet ? RSet.from(a.values().filter((x) => b.has(x))) : undefined),
  or: ([a, b]) => (a instanceof RSet && b instanceof RSet ? RSet.from([...a.values(), ...b.values()]) : undefined),
  'internal.member_2': ([x, c]) => (elems(c) ?? []).some((e) => equal(e, x)),
  'internal.member_3': ([k, v, c]) => {
    if (Array.isArray(c)) return num(k) && equal(c[k] as Value, v) && c[k] !== undefined;
    if (c instanceof RObject) {
      const x = c.get(k);
      return x !== undefined && equal(x, v);
    }
    return false;
  },
  'internal.print': ([arr], ctx) => {
    const parts = (arr as Value[]).map((s) => {
      const vs = (s as RSet).values();
      return vs.length ? toStr(vs[0]) : '<undefined>';
    });
    ctx.printed.push(parts.join(' '));
    return true;
  },
  count: ([c]) => (str(c) ? [...c].length : elems(c)?.length),
  sum: ([c]) => elems(c)?.reduce<number>((s, x) => s + (x as number), 0),
  product: ([c]) => elems(c)?.reduce<number>((s, x) => s * (x as number), 1),
  max: ([c]) => {
    const e = elems(c);
    return e && e.length ? [...e].sort(compare)[e.length - 1] : undefined;
  },
  min: ([c]) => {
    const e = elems(c);
    return e && e.length ? [...e].sort(compare)[0] : undefined;
  },
  sort: ([c]) => (Array.isArray(c) || c instanceof RSet ? [...elems(c)!].sort(compare) : undefined),
  abs: ([a]) => (num(a) ? Math.abs(a) : undefined),
  round: ([a]) => (num(a) ? Math.sign(a) * Math.round(Math.abs(a)) : undefined),
  floor: ([a]) => (num(a) ? Math.floor(a) : undefined),
  ceil: ([a]) => (num(a) ? Math.ceil(a) : undefined),
  concat: ([sep, c]) => {
    const e = elems(c);
    return str(sep) && e && e.every(str) ? (e as string[]).join(sep) : undefined;
  },
  startswith: ([a, b]) => (str(a) && str(b) ? a.startsWith(b) : undefined),
  endswith: ([a, b]) => (str(a) && str(b) ? a.endsWith(b) : undefined),
  contains: ([a, b]) => (str(a) && str(b) ? a.includes(b) : undefined),
  lower: ([a]) => (str(a) ? a.toLowerCase() : undefined),
  upper: ([a]) => (str(a) ? a.toUpperCase() : undefined),
  split: ([a, b]) => (str(a) && str(b) ? a.split(b) : undefined),
  trim: ([a, b]) => (str(a) && str(b) ? trimChars(a, b, true, true) : undefined),
  trim_left: ([a, b]) => (str(a) && str(b) ? trimChars(a, b, true, false) : undefined),
  trim_right: ([a, b]) => (str(a) && str(b) ? trimChars(a, b, false, true) : undefined),
  trim_prefix: ([a, b]) => (str(a) && str(b) ? (a.startsWith(b) ? a.slice(b.length) : a) : undefined),
  trim_suffix: ([a, b]) => (str(a) && str(b) ? (b && a.endsWith(b) ? a.slice(0, a.length - b.length) : a) : undefined),
  trim_space: ([a]) => (str(a) ? a.trim() : undefined),
  substring: ([s, o, l]) => {
    if (!str(s) || !num(o) || !num(l)) return undefined;
    const cps = [...s];
    return cps.slice(o, l < 0 ? undefined : o + l).join('');
  },
  indexof: ([a, b]) => (str(a) && str(b) ? [...a.slice(0, Math.max(0, a.indexOf(b)))].length * (a.indexOf(b) < 0 ? 0 : 1) + (a.indexOf(b) < 0 ? -1 : 0) : undefined),
  replace: ([a, b, c]) => (str(a) && str(b) && str(c) ? a.split(b).join(c) : undefined),
  sprintf: ([f, a]) => (str(f) && Array.isArray(a) ? sprintf(f, a) : undefined),
  format_int: ([n, base]) => (num(n) && num(base) ? Math.trunc(n).toString(base) : undefined),
  to_number: ([a]) => {
    if (num(a)) return a;
    if (a === null) return 0;
    if (typeof a === 'boolean') return a ? 1 : 0;
    if (str(a) && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(a)) return Number(a);
    return undefined;
  },
  'strings.any_suffix_match': ([a, b]) => {
    const xs = str(a) ? [a] : elems(a);
    const ys = str(b) ? [b] : elems(b);
    return !!xs && !!ys && xs.some((x) => ys.some((y) => str(x) && str(y) && x.endsWith(y)));
  },
  'array.concat': ([a, b]) => (Array.isArray(a) && Array.isArray(b) ? [...a, ...b] : undefined),
  'array.slice': ([a, s, e]) => {
    if (!Array.isArray(a) || !num(s) || !num(e)) return undefined;
    const lo = Math.max(0, s);
    return lo >= e ? [] : a.slice(lo, Math.min(e, a.length));
  },
  'object.get': ([o, k, d]) => {
    if (!(o instanceof RObject)) return undefined;
    if (Array.isArray(k)) {
      let cur: Value | undefined = o;
      for (const seg of k) {
        cur = cur instanceof RObject ? cur.get(seg) : Array.isArray(cur) && num(seg) ? cur[seg] : undefined;
        if (cur === undefined) return d;
      }
      return cur;
    }
    return o.get(k) ?? d;
  },
  intersection: ([s]) => {
    if (!(s instanceof RSet)) return undefined;
    const sets = s.values() as RSet[];
    if (!sets.length) return new RSet();
    return RSet.from(sets[0].values().filter((x) => sets.every((y) => y.has(x))));
  },
  union: ([s]) => (s instanceof RSet ? RSet.from((s.values() as RSet[]).flatMap((x) => x.values())) : undefined),
  'object.union': ([a, b]) => (a instanceof RObject && b instanceof RObject ? unionObjects(a, b) : undefined),
  'object.remove': ([o, ks]) => {
    if (!(o instanceof RObject)) return undefined;
    const drop = ks instanceof RObject ? ks.entries().map(([k]) => k) : elems(ks);
    if (!drop) return undefined;
    return RObject.from(o.entries().filter(([k]) => !drop.some((d) => equal(d, k))));
  },
  'object.keys': ([o]) => (o instanceof RObject ? RSet.from(o.entries().map(([k]) => k)) : undefined),
  'numbers.range': ([a, b]) => {
    if (!num(a) || !num(b)) return undefined;
    const out: number[] = [];
    for (let i = a; a <= b ? i <= b : i >= b; i += a <= b ? 1 : -1) out.push(i);
    return out;
  },
  type_name: ([a]) => typeName(a),
  is_number: ([a]) => num(a),
  is_string: ([a]) => str(a),
  is_boolean: ([a]) => typeof a === 'boolean',
  is_array: ([a]) => Array.isArray(a),
  is_set: ([a]) => a instanceof RSet,
  is_object: ([a]) => a instanceof RObject,
  is_null: ([a]) => a === null,
  'time.now_ns': () => Date.now() * 1e6,
};

function trimChars(s: string, cut: string, left: boolean, right: boolean): string {
  const set = new Set([...cut]);
  const cps = [...s];
  let i = 0;
  let j = cps.length;
  while (left && i < j && set.has(cps[i])) i++;
  while (right && j > i && set.has(cps[j - 1])) j--;
  return cps.slice(i, j).join('');
}

function unionObjects(a: RObject, b: RObject): RObject {
  const o = RObject.from(a.entries());
  for (const [k, v] of b.entries()) {
    const cur = o.get(k);
    o.set(k, cur instanceof RObject && v instanceof RObject ? unionObjects(cur, v) : v);
  }
  return o;
}
