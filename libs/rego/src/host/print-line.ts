// print(): each argument arrives as a set of values (an array over the JSON bridge; empty when
// the argument was undefined). Shared by the Arbiter loader and the opa-wasm adapter.
import { regoText } from '../builtins/sprintf';

export function printLine(args: unknown): string {
  const parts = (Array.isArray(args) ? args : [args]).map((set) => {
    const xs = Array.isArray(set) ? set : [set];
    if (xs.length === 0) return '<undefined>';
    return xs.map((x) => (typeof x === 'string' ? x : regoText(x))).join(' ');
  });
  return parts.join(' ');
}
