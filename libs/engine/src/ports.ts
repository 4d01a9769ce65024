// What the engine needs from the Rego toolchain, as narrow interfaces so tests can use fakes.

export interface CompileDiagnostic {
  code: string;
  message: string;
  file: string;
  line: number;
  col: number;
}

export interface PolicyCompiler {
  compile(req: {
    modules: Array<{ file: string; text: string }>;
    entrypoints: string[];
  }): Promise<{ wasm?: Uint8Array; errors: CompileDiagnostic[] }> | { wasm?: Uint8Array; errors: CompileDiagnostic[] };
}

/**
 * A loaded Wasm policy: evaluation is synchronous (opa-wasm runs on the calling thread).
 * `opts.inputJson`, when given, is the JSON of `input` (text or UTF-8 bytes) and is what gets evaluated (the
 * caller serialized the input already; the host skips its own serialization).
 * `opts.fuel` bounds the evaluation's steps: running out throws an error whose `code` is
 * `eval_fuel_exhausted`; `fuelUsed` is absent for modules without fuel metering.
 */
export interface LoadedPolicy {
  evaluate(
    input: unknown,
    entrypoint: string,
    opts: { nowNs: number; inputJson?: string | Uint8Array; fuel?: number },
  ): { result: unknown; pinned?: Record<string, unknown>; fuelUsed?: number };
}

export interface PolicyHost {
  load(wasm: Uint8Array, data: unknown): Promise<LoadedPolicy>;
}
