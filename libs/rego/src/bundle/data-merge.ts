// Merging data documents placed at paths: objects merge key by key, anything else must not collide.

export class DataConflictError extends Error {
  constructor(readonly path: string[], message?: string) {
    super(message ?? `data conflict at data${path.map((p) => '.' + p).join('')}: two data files define it`);
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Returns `into` with `value` merged at `at`; throws DataConflictError on a non-object clash. */
export function mergeDataAt(into: Record<string, unknown>, at: string[], value: unknown): Record<string, unknown> {
  let wrapped: unknown = value;
  for (let i = at.length - 1; i >= 0; i--) wrapped = { [at[i]]: wrapped };
  if (!isPlainObject(wrapped)) {
    throw new DataConflictError([], 'a data file at the root of data must hold an object');
  }
  return mergeObjects(into, wrapped, []);
}

function mergeObjects(a: Record<string, unknown>, b: Record<string, unknown>, at: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (!(k in out)) out[k] = v;
    else if (isPlainObject(out[k]) && isPlainObject(v)) out[k] = mergeObjects(out[k] as Record<string, unknown>, v, [...at, k]);
    else throw new DataConflictError([...at, k]);
  }
  return out;
}
