// JsonText: a value that is already serialized (JSON.stringify output), so the hot path can
// build a policy input's JSON once and store that same text — no second stringify, no copy.
// The text is made storable like json-safe.ts makes values: `\u0000` escapes and escapes of
// lone surrogates (which PostgreSQL jsonb refuses) become `\ufffd`.

export class JsonText {
  readonly text: string;

  constructor(text: string) {
    this.text = sanitizeJsonText(text);
  }

  /** Text that is already storable (made of sanitized parts): skips the scan. */
  static trusted(text: string): JsonText {
    const j = Object.create(JsonText.prototype) as { text: string };
    j.text = text;
    return j as JsonText;
  }

  /** JSON.stringify(jsonText) gives the value, as if the object had been passed. */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

// Escaped backslashes are matched first so `\\u0000` (a backslash then "u0000") is left alone.
const ESCAPES = /\\\\|\\u0000|\\u[dD][89abAB][0-9a-fA-F]{2}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\u[dD][c-fC-F][0-9a-fA-F]{2}/g;

/**
 * Replaces the `\u0000` and lone-surrogate escapes of JSON text (as JSON.stringify writes them)
 * with `\ufffd`. Raw NULs and lone surrogates cannot occur in JSON.stringify output.
 */
export function sanitizeJsonText(text: string): string {
  if (!text.includes('\\u')) return text;
  return text.replace(ESCAPES, (m) => {
    if (m === '\\\\') return m;
    if (m === '\\u0000') return '\\ufffd';
    // A high surrogate followed by a low one is a valid pair; alone, either is replaced.
    if (m.length === 12) return m;
    return '\\ufffd';
  });
}
