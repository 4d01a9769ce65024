// uuid.rfc4122 and rand.intn: random, but stable per key within one evaluation and pinned
// through the evaluation context so a replay reproduces them.

import type { HostBuiltin } from './types';
import { evalContext } from './context';
import { int, str } from './values';

function uuid(key: unknown): string {
  return evalContext().uuid(str('uuid.rfc4122', 1, key));
}

/** A random integer in [0, |n|); 0 when n is 0. */
function intn(key: unknown, n: unknown): number {
  const k = str('rand.intn', 1, key);
  const bound = Math.abs(int('rand.intn', 2, n));
  return evalContext().randIntn(k, bound);
}

export const RANDOM_BUILTINS: Record<string, HostBuiltin> = {
  'uuid.rfc4122': uuid,
  'rand.intn': intn,
};
