export { loadPolicy, ArbiterPolicy, PolicyLoadError, PolicyEvalError } from './loader';
export type { LoadOptions, EvaluateOptions, Evaluation } from './loader';
export type { PinnedValues, BuiltinFailure } from '../builtins/context';
export { opaWasmCustomBuiltins, OpaWasmBuiltinError } from './opa-wasm-builtins';
export type { OpaWasmBuiltinsOptions, OpaWasmBuiltin } from './opa-wasm-builtins';
export { setStrictBuiltinErrors, STRICT_SET_EXPORT } from './strict-flag';
