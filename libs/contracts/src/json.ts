// JSON helpers shared by the layers that build the policy input.

/**
 * A copy of a JSON value with every object's keys in sorted order (the Wasm runtime skips its
 * sort when keys arrive sorted). Keys are defined, not assigned: `out['__proto__'] = x` would set
 * the prototype, so a `"__proto__"` claim or argument would vanish or surface as inherited.
 */
export function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v === null || typeof v !== 'object') return v;
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src).sort()) {
    Object.defineProperty(out, k, { value: sortedKeys(src[k]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
