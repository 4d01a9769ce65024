// Checks and normalizes an append()'s record and session upsert before they are queued, so a
// malformed record rejects alone and never poisons the batch it would have been committed with.
import { DECISIONS } from '@arbiter/contracts';
import { InvalidRecordError } from './errors';
import { JsonSafetyError, safeOneByteString, safeString, toJsonSafe } from './json-safe';
import { JsonText } from './json-text';
import type { DecisionRecord, HistoryRef, HistorySource, Reason, SessionUpsert } from './types';

const MAX_ID = 256;
const HISTORY_SOURCES: readonly HistorySource[] = ['server', 'client', 'none'];

export interface PreparedAppend {
  record: DecisionRecord;
  session: SessionUpsert;
}

export function prepareAppend(record: DecisionRecord, session: SessionUpsert): PreparedAppend {
  if (record === null || typeof record !== 'object') throw new InvalidRecordError('record', 'must be an object');
  if (session === null || typeof session !== 'object') throw new InvalidRecordError('session', 'must be an object');
  if (!(record.time instanceof Date) || !Number.isFinite(record.time.getTime())) {
    throw new InvalidRecordError('time', 'must be a valid Date');
  }
  const prepared: DecisionRecord = {
    id: ident(record.id, 'id'),
    time: new Date(record.time.getTime()),
    sessionId: ident(record.sessionId, 'sessionId'),
    step: stepNumber(record.step, 'step'),
    caller: optRepeated(record.caller, 'caller', CALLER),
    subject: optString(record.subject, 'subject'),
    clientId: optString(record.clientId, 'clientId'),
    toolName: repeated(record.toolName, 'toolName', TOOL_NAME),
    toolServer: optRepeated(record.toolServer, 'toolServer', TOOL_SERVER),
    decision: decision(record.decision),
    reasons: reasons(record.reasons),
    obligations: jsonObjectOrNull(record.obligations, 'obligations'),
    // Pre-serialized input and result (the hot path) were sanitized when their JsonText was made.
    input: record.input instanceof JsonText ? record.input : (json(record.input, 'input') ?? null),
    result: record.result instanceof JsonText ? record.result : (json(record.result, 'result') ?? null),
    policyRevision: repeated(record.policyRevision, 'policyRevision', REVISION),
    entrypoint: repeated(record.entrypoint, 'entrypoint', ENTRYPOINT),
    pinned: jsonObjectOrNull(record.pinned, 'pinned') ?? {},
    evalMicros: micros(record.evalMicros),
    error: optString(record.error, 'error'),
    history: historyRef(record.history),
  };
  if (session.id !== record.sessionId) throw new InvalidRecordError('session.id', 'must equal record.sessionId');
  if (session.step !== record.step) throw new InvalidRecordError('session.step', 'must equal record.step');
  if (!HISTORY_SOURCES.includes(session.historySource)) {
    throw new InvalidRecordError('session.historySource', `must be one of ${HISTORY_SOURCES.join(', ')}`);
  }
  const seeded = session.seededHistory == null ? null : json(session.seededHistory, 'session.seededHistory');
  if (seeded !== null && !Array.isArray(seeded)) throw new InvalidRecordError('session.seededHistory', 'must be an array');
  if (session.unchanged !== undefined && typeof session.unchanged !== 'boolean') throw new InvalidRecordError('session.unchanged', 'must be a boolean');
  return {
    record: prepared,
    session: {
      id: prepared.sessionId,
      // Usually the record's own subject and client: the same text gives the same safe string.
      ownerSubject: session.ownerSubject === record.subject ? prepared.subject : optString(session.ownerSubject, 'session.ownerSubject'),
      ownerClientId: session.ownerClientId === record.clientId ? prepared.clientId : optString(session.ownerClientId, 'session.ownerClientId'),
      step: prepared.step,
      historySource: session.historySource,
      seededHistory: seeded as unknown[] | null,
      unchanged: session.unchanged === true,
    },
  };
}

function historyRef(v: unknown): HistoryRef | null {
  if (v === null || v === undefined) return null;
  const r = v as Partial<HistoryRef>;
  if (typeof r !== 'object' || !HISTORY_SOURCES.includes(r.source as HistorySource)) {
    throw new InvalidRecordError('history.source', `must be one of ${HISTORY_SOURCES.join(', ')}`);
  }
  const through = r.through_step;
  if (typeof through !== 'number' || !Number.isInteger(through) || through < 0 || through > 2_147_483_647) {
    throw new InvalidRecordError('history.through_step', 'must be an integer in 0..2^31-1');
  }
  if (typeof r.count !== 'number' || !Number.isInteger(r.count) || r.count < 0 || r.count > through) {
    throw new InvalidRecordError('history.count', 'must be an integer in 0..through_step');
  }
  return { source: r.source as HistorySource, through_step: through, count: r.count };
}

function ident(v: unknown, field: string): string {
  const s = reqString(v, field);
  if (s.length === 0 || s.length > MAX_ID) throw new InvalidRecordError(field, `must be 1..${MAX_ID} characters`);
  return s;
}

function reqString(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new InvalidRecordError(field, 'must be a string');
  return safeString(v);
}

function optString(v: unknown, field: string): string | null {
  if (v === null || v === undefined) return null;
  return reqString(v, field);
}

// Fields whose value mostly repeats from one record to the next (the policy's revision and
// entrypoint, the caller, the tool): the last value found safe is kept per field, and an equal
// value skips safeString's scan.
const CALLER = 0;
const TOOL_NAME = 1;
const TOOL_SERVER = 2;
const REVISION = 3;
const ENTRYPOINT = 4;
const lastSafe: string[] = ['', '', '', '', ''];

function repeated(v: unknown, field: string, slot: number): string {
  if (v === lastSafe[slot]) return v as string; // '' (the initial value) is safe as well
  const s = reqString(v, field);
  if (s === v) lastSafe[slot] = s;
  return s;
}

function optRepeated(v: unknown, field: string, slot: number): string | null {
  if (v === null || v === undefined) return null;
  return repeated(v, field, slot);
}

function stepNumber(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 2_147_483_647) {
    throw new InvalidRecordError(field, 'must be an integer in 1..2^31-1');
  }
  return v;
}

function decision(v: unknown): DecisionRecord['decision'] {
  if (!DECISIONS.includes(v as DecisionRecord['decision'])) {
    throw new InvalidRecordError('decision', `must be one of ${DECISIONS.join(', ')}`);
  }
  return v as DecisionRecord['decision'];
}

function reasons(v: unknown): Reason[] {
  if (!Array.isArray(v)) throw new InvalidRecordError('reasons', 'must be an array');
  return v.map((r, i) => {
    const o = r as Partial<Reason> | null;
    if (o === null || typeof o !== 'object' || typeof o.code !== 'string') {
      throw new InvalidRecordError(`reasons[${i}]`, 'must be { code: string, message: string }');
    }
    // One-byte copies: a two-byte string anywhere makes the batch's whole SQL text two-byte.
    return { code: safeOneByteString(o.code), message: typeof o.message === 'string' ? safeOneByteString(o.message) : '' };
  });
}

function micros(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidRecordError('evalMicros', 'must be a finite number >= 0');
  return Math.min(Math.round(v), 2_147_483_647);
}

function json(v: unknown, field: string): unknown {
  try {
    return toJsonSafe(v, field);
  } catch (err) {
    if (err instanceof JsonSafetyError) throw new InvalidRecordError(err.path, err.detail);
    throw err;
  }
}

function jsonObjectOrNull(v: unknown, field: string): Record<string, unknown> | null {
  const j = json(v, field);
  if (j === undefined || j === null) return null;
  if (typeof j !== 'object' || Array.isArray(j)) throw new InvalidRecordError(field, 'must be an object or null');
  return j as Record<string, unknown>;
}
