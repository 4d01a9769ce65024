// Shared state of one code generation: the binaryen module, the constant pool and the names
// of the runtime functions the generated code calls.
import type { Binaryen, BModule } from './binaryen';
import type { ConstPool } from './pool';
import type { Policy } from '../planner/ir';
import type { FuelMeter } from './fuel';

export class CodegenError extends Error {}

export interface HostBuiltin {
  /** Rego name. */
  name: string;
  /** The name registered in builtins() (some are renamed to avoid opa-wasm's own builtins). */
  abiName: string;
  id: number;
  arity: number;
  resultIsSet: boolean;
}

export interface GenContext {
  b: Binaryen;
  mod: BModule;
  pool: ConstPool;
  policy: Policy;
  /** Internal function name of a runtime export (throws if the runtime lacks it). */
  rt(name: string): string;
  /** Whether the runtime exports `name`, and with how many parameters. */
  rtArity(name: string): number | undefined;
  /** Host builtin descriptor (registering it on first use). */
  host(name: string, arity: number): HostBuiltin;
  /** Wasm function name of an IR Func. */
  funcName(irName: string): string;
  /** Param count of an IR Func, or undefined when the policy has no such function. */
  funcArity(irName: string): number | undefined;
  /** Globals holding the evaluation's own input and data (for the rule cache). */
  evalInputGlobal: string;
  evalDataGlobal: string;
  /** Fuel metering (a no-op meter when disabled). */
  fuel: FuelMeter;
  /**
   * The inline fast paths (fused tests, constant comparisons, hinted field access, folded
   * literals, inline loops); off only to compare against (GenerateOptions.fastPaths).
   */
  fastPaths: boolean;
}

/** Export name of the runtime implementation of a builtin: "array.concat" → "b_array_concat". */
export function runtimeBuiltinExport(name: string): string {
  return 'b_' + name.replace(/\./g, '_');
}

/**
 * IR names carry rule path segments, which may hold any character; binaryen keeps names as C
 * strings, so a NUL (`r["\u0000"] := 1`) aborted it. Escaping is injective (`\` doubles).
 */
export function wasmName(irName: string): string {
  return irName.replace(/[\\\u0000-\u001f\u007f-\uffff]/g, (c) => (c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
