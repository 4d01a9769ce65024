// JSON body parser: rejects over-deep nesting by scanning the raw text (so JSON.parse never
// recurses through hostile input), then parses. Errors are typed for the error handler.
import { ArbiterError } from '@arbiter/contracts';

/** Deepest `[`/`{` nesting in JSON text, ignoring brackets inside strings; stops past `limit`. */
export function rawJsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * Count of `{` and `[` anywhere in the text (inside strings too), stopping past `limit`. Nesting
 * never exceeds it, and counting with native indexOf is far cheaper than the character scan of
 * rawJsonDepth: typical bodies have a handful and skip the scan.
 */
export function openingBrackets(text: string, limit: number): number {
  let n = 0;
  for (let i = text.indexOf('{'); i !== -1 && n <= limit; i = text.indexOf('{', i + 1)) n++;
  for (let i = text.indexOf('['); i !== -1 && n <= limit; i = text.indexOf('[', i + 1)) n++;
  return n;
}

export function parseJsonBody(text: string, maxDepth: number): unknown {
  if (text.length === 0) throw new ArbiterError('invalid_json', 'request body is empty');
  if (openingBrackets(text, maxDepth) > maxDepth && rawJsonDepth(text, maxDepth) > maxDepth) {
    throw new ArbiterError('body_too_deep', `request nesting exceeds the limit of ${maxDepth}`, { maxDepth });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ArbiterError('invalid_json', `request body is not valid JSON: ${(e as Error).message}`);
  }
}
