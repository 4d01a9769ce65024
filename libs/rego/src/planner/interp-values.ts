// Values for the IR interpreter (a test oracle for the planner, not production): JSON plus
// sets and objects with non-string keys, ordered like OPA (null < bool < number < string <
// array < object < set).

export type Value = null | boolean | number | string | Value[] | RObject | RSet;

export class RObject {
  private readonly map = new Map<string, [Value, Value]>();
  get size(): number {
    return this.map.size;
  }
  get(k: Value): Value | undefined {
    return this.map.get(keyOf(k))?.[1];
  }
  set(k: Value, v: Value): void {
    this.map.set(keyOf(k), [k, v]);
  }
  entries(): Array<[Value, Value]> {
    return [...this.map.values()].sort((a, b) => compare(a[0], b[0]));
  }
  static from(entries: Array<[Value, Value]>): RObject {
    const o = new RObject();
    for (const [k, v] of entries) o.set(k, v);
    return o;
  }
}

export class RSet {
  private readonly map = new Map<string, Value>();
  get size(): number {
    return this.map.size;
  }
  has(v: Value): boolean {
    return this.map.has(keyOf(v));
  }
  add(v: Value): void {
    this.map.set(keyOf(v), v);
  }
  values(): Value[] {
    return [...this.map.values()].sort(compare);
  }
  static from(vs: Value[]): RSet {
    const s = new RSet();
    vs.forEach((v) => s.add(v));
    return s;
  }
}

function rank(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 4;
  if (v instanceof RObject) return 5;
  return 6;
}

export function compare(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'boolean' || typeof a === 'number') return Number(a) - Number(b as number);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (Array.isArray(a)) return compareSeq(a, b as Value[]);
  if (a instanceof RObject) {
    const ea = a.entries();
    const eb = (b as RObject).entries();
    for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
      const c = compare(ea[i][0], eb[i][0]) || compare(ea[i][1], eb[i][1]);
      if (c) return c;
    }
    return ea.length - eb.length;
  }
  if (a instanceof RSet) return compareSeq(a.values(), (b as RSet).values());
  return 0;
}

function compareSeq(a: Value[], b: Value[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compare(a[i], b[i]);
    if (c) return c;
  }
  return a.length - b.length;
}

export function keyOf(v: Value): string {
  if (v === null || typeof v !== 'object') return typeof v === 'number' ? `n${v}` : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(keyOf).join(',')}]`;
  if (v instanceof RObject) return `{${v.entries().map(([k, x]) => `${keyOf(k)}:${keyOf(x)}`).join(',')}}`;
  return `s{${v.values().map(keyOf).join(',')}}`;
}

export function equal(a: Value, b: Value): boolean {
  return compare(a, b) === 0;
}

/** Plain JSON → Value (objects become RObject). */
export function fromJSON(x: unknown): Value {
  if (x === null || x === undefined) return null;
  if (Array.isArray(x)) return x.map(fromJSON);
  if (typeof x === 'object') return RObject.from(Object.entries(x as object).map(([k, v]) => [k, fromJSON(v)]));
  return x as Value;
}

/** Value → plain JS for comparisons in tests (sets become sorted arrays). */
export function toJS(v: Value): unknown {
  if (Array.isArray(v)) return v.map(toJS);
  if (v instanceof RSet) return v.values().map(toJS);
  if (v instanceof RObject) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v.entries()) o[typeof k === 'string' ? k : JSON.stringify(toJS(k))] = toJS(x);
    return o;
  }
  return v;
}

export function typeName(v: Value): string {
  return ['null', 'boolean', 'number', 'string', 'array', 'object', 'set'][rank(v)];
}

export function formatValue(v: Value): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v instanceof RObject) return `{${v.entries().map(([k, x]) => `${formatValue(k)}: ${formatValue(x)}`).join(', ')}}`;
  if (v instanceof RSet) return v.size ? `{${v.values().map(formatValue).join(', ')}}` : 'set()';
  return String(v);
}
