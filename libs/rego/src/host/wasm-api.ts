// The lib settings (ES2022, no DOM) leave WebAssembly untyped; declare the part the host uses.

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmGlobal {
  value: unknown;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export type WasmModule = object;

interface WasmApi {
  Module: { new (bytes: Uint8Array): WasmModule; imports(m: WasmModule): { module: string; name: string; kind: string }[] };
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
  compile(bytes: Uint8Array | ArrayBuffer): Promise<WasmModule>;
  instantiate(m: WasmModule, imports: object): Promise<WasmInstance>;
}

export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
