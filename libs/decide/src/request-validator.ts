// Validates a decoded /decide body: nesting depth first (cheap, bounds later work), then schema.
import Ajv, { type ErrorObject } from 'ajv';
import { ArbiterError, type DecideRequest } from '@arbiter/contracts';
import { decideRequestSchema } from './request-schema';

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validate = ajv.compile<DecideRequest>(decideRequestSchema);

/** Depth of nested arrays/objects (a scalar is 0, `{}` is 1); stops early past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  return depthBelow(value, 0, limit);
}

// Recursion is bounded: it never goes deeper than limit + 1.
function depthBelow(v: unknown, above: number, limit: number): number {
  if (typeof v !== 'object' || v === null) return above;
  const depth = above + 1;
  if (depth > limit) return depth;
  let max = depth;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const d = depthBelow(v[i], depth, limit);
      if (d > max && (max = d) > limit) return max;
    }
  } else {
    for (const key in v) {
      const d = depthBelow((v as Record<string, unknown>)[key], depth, limit);
      if (d > max && (max = d) > limit) return max;
    }
  }
  return max;
}

export function validateDecideRequest(body: unknown, maxDepth: number): DecideRequest {
  if (jsonDepth(body, maxDepth) > maxDepth) {
    throw new ArbiterError('body_too_deep', `request nesting exceeds the limit of ${maxDepth}`, { maxDepth });
  }
  // The common well-formed body is recognised by plain checks; anything else (including every
  // invalid body, so the errors stay ajv's) goes through ajv.
  if (!plainValidRequest(body) && !validate(body)) {
    throw new ArbiterError('invalid_request', describe(validate.errors), { errors: simplify(validate.errors) });
  }
  return body as DecideRequest;
}

/**
 * True only for bodies decideRequestSchema certainly accepts, checked without ajv (whose generic
 * code costs ~1-2 us per request): the request's usual shape, with no `session.history` (left to
 * ajv). False means "not sure", never "invalid". Lengths: ajv counts code points, which for a
 * string of n UTF-16 units lie between n/2 and n, so `1 <= n <= max` implies the range holds;
 * other lengths go to ajv.
 */
export function plainValidRequest(body: unknown): boolean {
  if (!isObject(body)) return false;
  let hasTool = false;
  for (const key in body) {
    const v = (body as Record<string, unknown>)[key];
    switch (key) {
      case 'tool':
        if (!plainTool(v)) return false;
        hasTool = true;
        break;
      case 'token':
        if (!shortString(v, 16384)) return false;
        break;
      case 'resource':
        if (!shortString(v, 2048)) return false;
        break;
      case 'claims':
      case 'context':
        if (!isObject(v)) return false;
        break;
      case 'session':
        if (!plainSession(v)) return false;
        break;
      default:
        return false;
    }
  }
  return hasTool;
}

function plainTool(tool: unknown): boolean {
  if (!isObject(tool)) return false;
  let hasName = false;
  for (const key in tool) {
    const v = (tool as Record<string, unknown>)[key];
    switch (key) {
      case 'name':
        if (!shortString(v, 256)) return false;
        hasName = true;
        break;
      case 'server':
        // minLength 0 in the schema: the empty string is valid too.
        if (typeof v !== 'string' || v.length > 2048) return false;
        break;
      case 'arguments':
      case 'annotations':
        if (!isObject(v)) return false;
        break;
      default:
        return false;
    }
  }
  return hasName;
}

/** `{ id }` with a printable-ASCII id of 1..256 characters (the schema's pattern); no history. */
function plainSession(session: unknown): boolean {
  if (!isObject(session)) return false;
  let hasId = false;
  for (const key in session) {
    if (key !== 'id') return false;
    const id = (session as Record<string, unknown>).id;
    if (typeof id !== 'string' || id.length < 1 || id.length > 256) return false;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      if (c < 0x21 || c > 0x7e) return false;
    }
    hasId = true;
  }
  return hasId;
}

/** A string of 1..max UTF-16 units (then also 1..max code points). */
function shortString(v: unknown, max: number): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= max;
}

/** JSON Schema `type: object` as ajv tests it. */
function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'request body is invalid';
  const where = e.instancePath || '(body)';
  if (e.keyword === 'additionalProperties') {
    return `${where}: unknown property ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
  }
  return `${where}: ${e.message ?? 'is invalid'}`;
}

function simplify(errors: ErrorObject[] | null | undefined) {
  return (errors ?? []).map((e) => ({ path: e.instancePath, keyword: e.keyword, message: e.message, params: e.params }));
}
