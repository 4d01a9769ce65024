// semver.compare / semver.is_valid: strict SemVer 2.0.0 text (no "v" prefix), compared by the
// `semver` package (build metadata ignored, pre-releases ordered per the spec).

import { compare as semverCompare } from 'semver';
import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { str } from './values';

// The grammar from semver.org.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function isValid(v: unknown): boolean {
  return typeof v === 'string' && SEMVER.test(v);
}

function version(pos: number, v: unknown): string {
  const s = str('semver.compare', pos, v);
  if (!SEMVER.test(s)) throw new BuiltinError('semver.compare', `operand ${pos}: string ${JSON.stringify(s)} is not a valid SemVer`);
  return s;
}

function compare(a: unknown, b: unknown): number {
  return semverCompare(version(1, a), version(2, b));
}

export const SEMVER_BUILTINS: Record<string, HostBuiltin> = {
  'semver.compare': compare,
  'semver.is_valid': isValid,
};
