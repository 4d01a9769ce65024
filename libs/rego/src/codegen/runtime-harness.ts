// Test harness: the bare runtime instantiated in Node, with helpers to move JSON in and out.
import { runtimeWasm } from './runtime-wasm';
import { WA } from './wasm-api';


type Fn = (...args: number[]) => number;

export class RuntimeHarness {
  readonly exports: Record<string, Fn>;
  readonly memory: { buffer: ArrayBuffer };
  readonly printed: string[] = [];

  constructor() {
    const { bytes } = runtimeWasm();
    this.memory = new WA.Memory({ initial: 5 });
    const inst = new WA.Instance(new WA.Module(bytes), {
      env: {
        memory: this.memory,
        opa_abort: (addr: number) => {
          throw new Error(this.cstr(addr));
        },
        opa_println: (addr: number) => this.printed.push(this.cstr(addr)),
      },
    });
    this.exports = inst.exports as Record<string, Fn>;
  }

  cstr(addr: number): string {
    const b = new Uint8Array(this.memory.buffer);
    let end = addr;
    while (b[end] !== 0) end++;
    return new TextDecoder().decode(b.subarray(addr, end));
  }

  /** Parses JSON text in the runtime; returns the value address (0 = parse error). */
  parse(text: string): number {
    const bytes = new TextEncoder().encode(text);
    const addr = this.exports.opa_malloc(bytes.length);
    new Uint8Array(this.memory.buffer).set(bytes, addr);
    return this.exports.opa_json_parse(addr, bytes.length);
  }

  value(v: unknown): number {
    const addr = this.parse(JSON.stringify(v));
    if (!addr) throw new Error(`runtime could not parse ${JSON.stringify(v)}`);
    return addr;
  }

  /** A set value from a JSON array. */
  set(items: unknown[]): number {
    return this.exports.rt_array_to_set(this.value(items));
  }

  dump(addr: number): string {
    return this.cstr(this.exports.opa_json_dump(addr));
  }

  dumpRego(addr: number): string {
    return this.cstr(this.exports.opa_value_dump(addr));
  }

  /** Round trip through the runtime: JSON text in, JSON text out. */
  roundTrip(text: string): string | undefined {
    const v = this.parse(text);
    return v ? this.dump(v) : undefined;
  }

  /** Calls a runtime builtin (b_<name>) on JSON arguments; undefined when the result is. */
  call(name: string, ...args: unknown[]): unknown {
    const fn = this.exports['b_' + name.replace(/\./g, '_')];
    if (!fn) throw new Error(`runtime lacks builtin ${name}`);
    const r = fn(...args.map((a) => (a instanceof SetArg ? this.set(a.items) : this.value(a))));
    return r ? JSON.parse(this.dump(r)) : undefined;
  }

  /** Like call() but returns the Rego-syntax dump (shows sets). */
  callRego(name: string, ...args: unknown[]): string | undefined {
    const fn = this.exports['b_' + name.replace(/\./g, '_')];
    const r = fn(...args.map((a) => (a instanceof SetArg ? this.set(a.items) : this.value(a))));
    return r ? this.dumpRego(r) : undefined;
  }
}

/** Marks a builtin argument to pass as a set. */
export class SetArg {
  constructor(readonly items: unknown[]) {}
}
export const set = (...items: unknown[]) => new SetArg(items);
