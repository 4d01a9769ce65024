// Validation of the analyst endpoints' query strings (ajv, compiled once).
import Ajv from 'ajv';
import { ArbiterError, type Decision } from '@arbiter/contracts';
import type { ListFilter } from '@arbiter/decisions';

const ajv = new Ajv({ allErrors: false, strict: true });

const validateList = ajv.compile<Record<string, string>>({
  type: 'object',
  additionalProperties: false,
  properties: {
    session: { type: 'string', minLength: 1, maxLength: 256 },
    since: { type: 'string', minLength: 1, maxLength: 64 },
    until: { type: 'string', minLength: 1, maxLength: 64 },
    decision: { enum: ['allow', 'deny', 'ask'] },
    limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
    cursor: { type: 'string', minLength: 1, maxLength: 1024 },
    order: { enum: ['asc', 'desc'] },
  },
});

/** The parsed query is exactly the decision log's list filter. */
export type ListQuery = ListFilter;

export function parseListQuery(raw: unknown): ListQuery {
  const q = raw ?? {};
  if (!validateList(q)) {
    const e = validateList.errors?.[0];
    const field = e?.instancePath.replace(/^\//, '') || (e?.params as { additionalProperty?: string })?.additionalProperty || 'query';
    const why = e?.keyword === 'additionalProperties' ? 'unknown query parameter' : e?.keyword === 'type' ? 'must be given once' : e?.message ?? 'invalid';
    throw new ArbiterError('invalid_query', `${field}: ${why}`, { field });
  }
  const out: ListQuery = {};
  if (q.session !== undefined) out.session = q.session;
  if (q.since !== undefined) out.since = parseTime(q.since, 'since');
  if (q.until !== undefined) out.until = parseTime(q.until, 'until');
  if (out.since && out.until && out.since.getTime() > out.until.getTime()) {
    throw new ArbiterError('invalid_query', 'since must not be after until', { field: 'since' });
  }
  if (q.decision !== undefined) out.decision = q.decision as Decision;
  if (q.limit !== undefined) {
    const n = Number(q.limit);
    if (n < 1 || n > 1000) throw new ArbiterError('invalid_query', 'limit: must be between 1 and 1000', { field: 'limit' });
    out.limit = n;
  }
  if (q.cursor !== undefined) out.cursor = q.cursor;
  if (q.order !== undefined) out.order = q.order as 'asc' | 'desc';
  return out;
}

/** RFC 3339 timestamps or integer milliseconds since the epoch. */
function parseTime(s: string, field: string): Date {
  let d: Date | null = null;
  if (/^\d{1,15}$/.test(s)) d = new Date(Number(s));
  else if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(s)) d = new Date(s);
  if (!d || Number.isNaN(d.getTime())) {
    throw new ArbiterError('invalid_query', `${field}: expected an RFC 3339 time or epoch milliseconds`, { field });
  }
  return d;
}

/** Steps per GET /sessions/:id page when no limit is given, and the most a page may hold. */
export const DEFAULT_STEP_LIMIT = 100;
export const MAX_STEP_LIMIT = 1000;

const validateSteps = ajv.compile<Record<string, string>>({
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
    after_step: { type: 'string', pattern: '^[0-9]{1,10}$' },
  },
});

export interface StepsQuery {
  limit: number;
  afterStep: number;
}

/** `limit` (1..1000, default 100) and `after_step` (the previous page's next_after_step). */
export function parseStepsQuery(raw: unknown): StepsQuery {
  const q = raw ?? {};
  if (!validateSteps(q)) {
    const e = validateSteps.errors?.[0];
    const field = e?.instancePath.replace(/^\//, '') || (e?.params as { additionalProperty?: string })?.additionalProperty || 'query';
    const why = e?.keyword === 'additionalProperties' ? 'unknown query parameter' : e?.keyword === 'type' ? 'must be given once' : 'must be a non-negative integer';
    throw new ArbiterError('invalid_query', `${field}: ${why}`, { field });
  }
  const limit = q.limit === undefined ? DEFAULT_STEP_LIMIT : Number(q.limit);
  if (limit < 1 || limit > MAX_STEP_LIMIT) throw new ArbiterError('invalid_query', `limit: must be between 1 and ${MAX_STEP_LIMIT}`, { field: 'limit' });
  const afterStep = q.after_step === undefined ? 0 : Number(q.after_step);
  if (afterStep > 2_147_483_647) throw new ArbiterError('invalid_query', 'after_step: too large', { field: 'after_step' });
  return { limit, afterStep };
}
