// Validates and normalizes client-supplied history (accepted only for sessions Arbiter does not
// know). Only the most recent `max` entries are kept (and checked). Missing fields get neutral
// values: step = position (1-based, counted over everything sent), decision = 'allow' (the call
// happened), reasons = [], arguments = {}, server = null, time = the epoch (unknown) — so a
// policy can tell "unknown time" (time_ns 0) from a real one.
import { ArbiterError, DECISIONS, type Decision, type HistoryStep } from '@arbiter/contracts';

/**
 * Highest step number accepted from a client: far below the store's int32 limit (2^31-1), so a
 * seeded session always has room to keep counting server-side (2^31-2 made the next call
 * unrecordable).
 */
export const MAX_CLIENT_STEP = 1_000_000;
/** Highest step re-read from stored seeded history (rows accepted before MAX_CLIENT_STEP existed). */
export const MAX_STORED_STEP = 2_147_483_646;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const MAX_TEXT = 1024;

export class InvalidClientHistoryError extends ArbiterError {
  readonly reason = 'invalid_session_history';
  constructor(readonly field: string, detail: string) {
    super('invalid_request', `${field}: ${detail}`, { field, reason: 'invalid_session_history' });
    this.name = 'InvalidClientHistoryError';
  }
}

export function normalizeClientHistory(raw: unknown, max: number, field = 'session.history', maxStep = MAX_CLIENT_STEP): HistoryStep[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new InvalidClientHistoryError(field, 'must be an array');
  if (raw.length > maxStep) throw new InvalidClientHistoryError(field, `at most ${maxStep} entries`);
  const start = Math.max(0, raw.length - max);
  const out: HistoryStep[] = [];
  let prevStep = start; // steps of dropped entries are 1..start
  for (let i = start; i < raw.length; i++) {
    const step = normalizeEntry(raw[i], `${field}[${i}]`, prevStep, i + 1, maxStep);
    prevStep = step.step;
    out.push(step);
  }
  return out;
}

function normalizeEntry(raw: unknown, at: string, prevStep: number, position: number, maxStep: number): HistoryStep {
  const e = obj(raw, at);
  const tool = obj(e.tool, `${at}.tool`);
  if (typeof tool.name !== 'string' || tool.name === '' || tool.name.length > MAX_TEXT) {
    throw new InvalidClientHistoryError(`${at}.tool.name`, `must be a non-empty string of at most ${MAX_TEXT} characters`);
  }
  if (tool.server !== undefined && tool.server !== null && typeof tool.server !== 'string') {
    throw new InvalidClientHistoryError(`${at}.tool.server`, 'must be a string or null');
  }
  const args = tool.arguments === undefined || tool.arguments === null ? {} : obj(tool.arguments, `${at}.tool.arguments`);
  let step = Math.max(position, prevStep + 1);
  if (e.step !== undefined) {
    if (typeof e.step !== 'number' || !Number.isInteger(e.step) || e.step < 1 || e.step > maxStep) {
      throw new InvalidClientHistoryError(`${at}.step`, `must be an integer in 1..${maxStep}`);
    }
    if (e.step <= prevStep) throw new InvalidClientHistoryError(`${at}.step`, 'steps must increase (oldest first)');
    step = e.step;
  } else if (step > maxStep) {
    throw new InvalidClientHistoryError(`${at}.step`, 'too many steps');
  }
  return {
    step,
    ...times(e, at),
    tool: { name: tool.name, server: typeof tool.server === 'string' ? tool.server : null, arguments: jsonCopy(args, `${at}.tool.arguments`) },
    decision: decision(e.decision, `${at}.decision`),
    reasons: reasons(e.reasons, `${at}.reasons`),
  };
}

function times(e: Record<string, unknown>, at: string): { time: string; time_ns: number } {
  let ms: number | undefined;
  if (e.time !== undefined && e.time !== null) {
    if (typeof e.time !== 'string' || !RFC3339.test(e.time) || !Number.isFinite(Date.parse(e.time))) {
      throw new InvalidClientHistoryError(`${at}.time`, 'must be an RFC 3339 date-time');
    }
    ms = Date.parse(e.time);
  }
  let ns: number | undefined;
  if (e.time_ns !== undefined && e.time_ns !== null) {
    if (typeof e.time_ns !== 'number' || !Number.isInteger(e.time_ns) || e.time_ns < 0) {
      throw new InvalidClientHistoryError(`${at}.time_ns`, 'must be a non-negative integer');
    }
    ns = e.time_ns;
  }
  if (ms === undefined && ns !== undefined) ms = Math.floor(ns / 1e6);
  if (ms === undefined) return { time: new Date(0).toISOString(), time_ns: 0 };
  const date = new Date(ms);
  if (!Number.isFinite(date.getTime())) throw new InvalidClientHistoryError(`${at}.time_ns`, 'out of range');
  return { time: date.toISOString(), time_ns: ns ?? ms * 1e6 };
}

function decision(v: unknown, at: string): Decision {
  if (v === undefined || v === null) return 'allow';
  if (!DECISIONS.includes(v as Decision)) throw new InvalidClientHistoryError(at, `must be one of ${DECISIONS.join(', ')}`);
  return v as Decision;
}

function reasons(v: unknown, at: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InvalidClientHistoryError(at, 'must be an array of strings');
  return v.map((r, i) => {
    // Accept the { code, message } shape of a decision's reasons too: history keeps codes.
    const code = typeof r === 'string' ? r : r !== null && typeof r === 'object' ? (r as { code?: unknown }).code : undefined;
    if (typeof code !== 'string' || code.length > MAX_TEXT) {
      throw new InvalidClientHistoryError(`${at}[${i}]`, `must be a string of at most ${MAX_TEXT} characters`);
    }
    return code;
  });
}

function obj(v: unknown, at: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InvalidClientHistoryError(at, 'must be an object');
  return v as Record<string, unknown>;
}

/** A detached plain-JSON copy (the caller's object must not alias what we cache and store). */
function jsonCopy(v: Record<string, unknown>, at: string): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
  } catch {
    throw new InvalidClientHistoryError(at, 'must be plain JSON');
  }
}
