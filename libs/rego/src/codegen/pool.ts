// Constant values laid out at compile time in the runtime's value layout (see
// libs/rego/runtime/assembly/value.ts) and emitted as one data segment below the heap.

const T_NULL = 1;
const T_BOOL = 2;
const T_NUMBER = 3;
const T_STRING = 4;
const T_ARRAY = 5;
const T_OBJECT = 6;
const T_SET = 7;
const N_INT = 0;
const N_FLOAT = 1;
const N_BIG = 2;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

export class ConstPool {
  private buf = new Uint8Array(4096);
  private view = new DataView(this.buf.buffer);
  private size = 0;
  private readonly strings = new Map<string, number>();
  private readonly numbers = new Map<string, number>();
  private readonly cstrings = new Map<string, number>();
  private readonly arrays = new Map<string, number>();
  private nullAddr = 0;
  private readonly bools: [number, number] = [0, 0];
  private readonly encoder = new TextEncoder();

  /** base: the (8-aligned) address where the segment will be placed. */
  constructor(readonly base: number) {}

  get bytes(): Uint8Array {
    return this.buf.subarray(0, this.size);
  }

  /** First address after the pool, 8-aligned. */
  get end(): number {
    return align8(this.base + this.size);
  }

  private alloc(n: number): number {
    const off = align8(this.size);
    const need = off + n;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf);
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.size = need;
    return off;
  }

  private u32(off: number, v: number): void {
    this.view.setUint32(off, v, true);
  }

  private bytesAt(data: Uint8Array): number {
    const off = this.alloc(Math.max(data.length, 1));
    this.buf.set(data, off);
    return off;
  }

  null(): number {
    if (!this.nullAddr) {
      const off = this.alloc(8);
      this.u32(off, T_NULL);
      this.nullAddr = this.base + off;
    }
    return this.nullAddr;
  }

  bool(b: boolean): number {
    const i = b ? 1 : 0;
    if (!this.bools[i]) {
      const off = this.alloc(8);
      this.u32(off, T_BOOL);
      this.u32(off + 4, i);
      this.bools[i] = this.base + off;
    }
    return this.bools[i];
  }

  string(s: string): number {
    const hit = this.strings.get(s);
    if (hit !== undefined) return hit;
    const data = this.encoder.encode(s);
    const off = this.alloc(12 + data.length);
    this.u32(off, T_STRING);
    this.u32(off + 4, data.length);
    this.u32(off + 8, this.base + off + 12);
    this.buf.set(data, off + 12);
    const addr = this.base + off;
    this.strings.set(s, addr);
    return addr;
  }

  int(value: number | bigint): number {
    return this.number(String(typeof value === 'number' ? Math.trunc(value) : value));
  }

  /** A number from Rego/JSON source text; throws on malformed text. */
  number(raw: string): number {
    const key = raw;
    const hit = this.numbers.get(key);
    if (hit !== undefined) return hit;
    let addr: number;
    if (/^-?\d+$/.test(raw)) {
      const big = BigInt(raw);
      if (big >= I64_MIN && big <= I64_MAX) addr = this.intValue(big);
      else {
        const text = this.bytesAt(this.encoder.encode(big.toString()));
        const off = this.alloc(24);
        this.u32(off, T_NUMBER);
        this.u32(off + 4, N_BIG);
        this.u32(off + 8, this.base + text);
        this.u32(off + 12, big.toString().length);
        this.view.setFloat64(off + 16, Number(big), true);
        addr = this.base + off;
      }
    } else {
      const f = Number(raw);
      if (!Number.isFinite(f) || raw.trim() === '') throw new Error(`invalid number constant ${JSON.stringify(raw)}`);
      if (Number.isInteger(f) && Math.abs(f) <= 9.2e18) addr = this.intValue(BigInt(f));
      else {
        const off = this.alloc(16);
        this.u32(off, T_NUMBER);
        this.u32(off + 4, N_FLOAT);
        this.view.setFloat64(off + 8, f, true);
        addr = this.base + off;
      }
    }
    this.numbers.set(key, addr);
    return addr;
  }

  private intValue(v: bigint): number {
    const off = this.alloc(16);
    this.u32(off, T_NUMBER);
    this.u32(off + 4, N_INT);
    this.view.setBigInt64(off + 8, v, true);
    return this.base + off;
  }

  /** An array of constant values (addresses). */
  array(elems: number[]): number {
    return this.collection(T_ARRAY, elems);
  }

  /** A set of constant values (addresses), given in the runtime's order without duplicates. */
  set(elems: number[]): number {
    return this.collection(T_SET, elems);
  }

  /** An object of constant (key, value) addresses, given in the runtime's key order. */
  object(entries: Array<[number, number]>): number {
    return this.collection(T_OBJECT, entries.flat(), entries.length);
  }

  /** A collection value; `count` is its length (words / 2 for objects). */
  private collection(tag: number, words: number[], count = words.length): number {
    const key = `${tag}:${words.join(',')}`;
    const hit = this.arrays.get(key);
    if (hit !== undefined) return hit;
    const off = this.alloc(16 + 4 * words.length);
    this.u32(off, tag);
    this.u32(off + 4, count);
    this.u32(off + 8, count);
    this.u32(off + 12, this.base + off + 16);
    words.forEach((e, i) => this.u32(off + 16 + 4 * i, e));
    const addr = this.base + off;
    this.arrays.set(key, addr);
    return addr;
  }

  /**
   * A fresh zeroed u32 for generated code to keep state in across evaluations (a field access
   * site's lookup hint). Never shared: each call gets its own.
   */
  scratchWord(): number {
    return this.base + this.alloc(4);
  }

  /** NUL-terminated UTF-8 text (abort messages). */
  cstring(s: string): number {
    const hit = this.cstrings.get(s);
    if (hit !== undefined) return hit;
    const data = this.encoder.encode(s);
    const off = this.alloc(data.length + 1);
    this.buf.set(data, off);
    this.buf[off + data.length] = 0;
    const addr = this.base + off;
    this.cstrings.set(s, addr);
    return addr;
  }

  /** Raw bytes (e.g. JSON text to parse at run time): address and length. */
  text(s: string): { addr: number; len: number } {
    const data = this.encoder.encode(s);
    return { addr: this.base + this.bytesAt(data), len: data.length };
  }
}

export function align8(n: number): number {
  return (n + 7) & ~7;
}
