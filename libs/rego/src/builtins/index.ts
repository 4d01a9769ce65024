// The host builtin table: Rego name → TypeScript implementation, plus the catalog.

import type { HostBuiltin } from './types';
import { STRING_BUILTINS } from './strings';
import { REGEX_BUILTINS } from './regex';
import { GLOB_BUILTINS } from './glob';
import { NET_BUILTINS } from './net';
import { TIME_BUILTINS } from './time';
import { UNITS_BUILTINS } from './units';
import { ENCODING_BUILTINS } from './encoding';
import { JSON_BUILTINS } from './json';
import { YAML_BUILTINS } from './yaml';
import { OBJECT_BUILTINS } from './objects';
import { ARRAY_BUILTINS } from './arrays';
import { NUMBER_BUILTINS } from './numbers';
import { SEMVER_BUILTINS } from './semver';
import { CRYPTO_BUILTINS } from './crypto';
import { JWT_BUILTINS } from './jwt';
import { RANDOM_BUILTINS } from './random';
import { UUID_BUILTINS } from './uuid';

export * from './types';
export { BUILTINS, lookupBuiltin, runtimeBuiltinNames, hostBuiltinNames } from './catalog';
export { EvalContext, withEvalContext, evalContext } from './context';
export type { PinnedValues, BuiltinFailure } from './context';
export { parseExact, stringifyExact } from './exact-json';

/** Every builtin with a TypeScript implementation, by Rego name. */
export const HOST_BUILTINS: Readonly<Record<string, HostBuiltin>> = Object.freeze({
  ...STRING_BUILTINS,
  ...REGEX_BUILTINS,
  ...GLOB_BUILTINS,
  ...NET_BUILTINS,
  ...TIME_BUILTINS,
  ...UNITS_BUILTINS,
  ...ENCODING_BUILTINS,
  ...JSON_BUILTINS,
  ...YAML_BUILTINS,
  ...OBJECT_BUILTINS,
  ...ARRAY_BUILTINS,
  ...NUMBER_BUILTINS,
  ...SEMVER_BUILTINS,
  ...CRYPTO_BUILTINS,
  ...JWT_BUILTINS,
  ...RANDOM_BUILTINS,
  ...UUID_BUILTINS,
});

/**
 * Builtins that opa-wasm's own JS table implements (with non-OPA semantics: sprintf-js,
 * JS RegExp…) and would shadow a custom builtin of the same name. Arbiter's code generator
 * calls these under `arbiter.<name>`; modules from `opa build` call them by their OPA name,
 * which Arbiter's host loader serves directly (it builds its own import object).
 */
export const OPA_WASM_SHADOWED = ['sprintf', 'json.is_valid', 'regex.split', 'yaml.is_valid', 'yaml.marshal', 'yaml.unmarshal'] as const;

export const ARBITER_PREFIX = 'arbiter.';

/** The name a compiled module imports a host builtin under. */
export function hostImportName(name: string): string {
  return (OPA_WASM_SHADOWED as readonly string[]).includes(name) ? ARBITER_PREFIX + name : name;
}
