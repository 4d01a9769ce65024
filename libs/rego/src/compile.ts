// The whole toolchain in one call: parse every module, compile to IR, generate Wasm.
// Bad input gives diagnostics; internal failures become rego_compile_error, never exceptions.
import { compileModules } from './compiler/index';
import type { Diagnostic } from './diagnostics';
import { generateWasm, loadBinaryen } from './codegen/index';
import { discardBinaryenAfterAbort, type Binaryen } from './codegen/binaryen';
import { parseModule } from './syntax/index';
import type { Module } from './syntax/ast';

export interface CompileRequest {
  modules: Array<{ file: string; text: string }>;
  /** Slash paths of the documents to evaluate: "mcp/decision" = data.mcp.decision. */
  entrypoints: string[];
  /** Base data (accepted for API symmetry; data is loaded at evaluation time with setData). */
  data?: unknown;
  /**
   * Fuel metering in the generated module (default true; see codegen/fuel.ts). Off only to
   * measure its cost: an unmetered module cannot be stopped by the host.
   */
  fuel?: boolean;
  /** Cache rules that depend on data alone across evaluations (default true; codegen/precompute.ts). */
  precompute?: boolean;
  /** Inline fast paths in the generated code (default true; see codegen GenerateOptions.fastPaths). */
  fastPaths?: boolean;
}

export interface CompileResult {
  wasm?: Uint8Array;
  errors: Diagnostic[];
  /** Entrypoint names in id order (opa-wasm's `evaluate(input, name)`). */
  entrypoints: string[];
}

function internalError(e: unknown, file: string): Diagnostic {
  // binaryen aborts throw a bare object ("[object Object]" tells nobody anything)
  const message = e instanceof Error ? e.message : typeof e === 'object' ? 'the Wasm code generator aborted' : String(e);
  return { code: 'rego_compile_error', message: `internal compiler error: ${message}`, file, line: 1, col: 1 };
}

/** Compiles once binaryen is loaded (see {@link initCompiler}); the async {@link compile} does both. */
export function compileSync(req: CompileRequest, b: Binaryen): CompileResult {
  const firstFile = req.modules[0]?.file ?? '<input>';
  try {
    const errors: Diagnostic[] = [];
    const modules: Module[] = [];
    for (const m of req.modules) {
      const parsed = parseModule(m.file, m.text);
      errors.push(...parsed.errors);
      if (parsed.module) modules.push(parsed.module);
    }
    if (errors.length) return { errors, entrypoints: [] };
    const compiled = compileModules(modules, { entrypoints: req.entrypoints });
    if (compiled.errors.length || !compiled.policy) {
      return { errors: compiled.errors.length ? compiled.errors : [internalError('no policy produced', firstFile)], entrypoints: [] };
    }
    // Validation turns a code generator bug into a compile error instead of a load failure.
    const wasm = generateWasm(b, compiled.policy, { validate: true, fuel: req.fuel, precompute: req.precompute, fastPaths: req.fastPaths });
    return { wasm, errors: [], entrypoints: compiled.policy.plans.map((p) => p.name) };
  } catch (e) {
    discardBinaryenAfterAbort(e);
    return { errors: [internalError(e, firstFile)], entrypoints: [] };
  }
}

/** Loads the Wasm toolchain (binaryen); compile() calls it for you. */
export function initCompiler(): Promise<Binaryen> {
  return loadBinaryen();
}

export async function compile(req: CompileRequest): Promise<CompileResult> {
  let b: Binaryen;
  try {
    b = await loadBinaryen();
  } catch (e) {
    return { errors: [internalError(e, req.modules[0]?.file ?? '<input>')], entrypoints: [] };
  }
  return compileSync(req, b);
}
