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
  if (!validate(body)) {
    throw new ArbiterError('invalid_request', describe(validate.errors), { errors: simplify(validate.errors) });
  }
  return body;
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
