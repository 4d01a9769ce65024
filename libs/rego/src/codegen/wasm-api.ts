// The lib settings (ES2022, no DOM) leave the WebAssembly global untyped; the little we use.
export interface WasmModuleStatic {
  new (bytes: Uint8Array): object;
  imports(m: object): Array<{ module: string; name: string; kind: string }>;
  exports(m: object): Array<{ name: string; kind: string }>;
}

export interface WasmApi {
  Module: WasmModuleStatic;
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}

export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
