// One batch as column values, shared by the SQLite and PostgreSQL writers: the decision rows in
// the `decisions` column order and one merged upsert row per session that the batch creates or
// claims (none for steps of sessions whose row stays as it is: SessionUpsert.unchanged).
import { JsonText } from '../json-text';
import type { PreparedAppend } from '../record-validation';
import type { DecisionRecord } from '../types';

export type Cell = string | number | null;

export const DECISION_COLUMNS = [
  'id', 'time', 'session_id', 'step', 'caller', 'subject', 'client_id', 'tool_name', 'tool_server', 'decision',
  'reasons', 'obligations', 'input', 'result', 'policy_revision', 'entrypoint', 'pinned', 'eval_micros', 'error', 'history_ref',
] as const;

export const SESSION_COLUMNS = [
  'id', 'owner_subject', 'owner_client_id', 'created_at', 'updated_at', 'last_step', 'history_source', 'seeded_history',
] as const;

/**
 * How a driver writes a timestamp (SQLite: TypeORM's UTC text; PostgreSQL: ISO 8601; the SQLite
 * writer thread's messages: epoch milliseconds, formatted in the thread — see epochMs).
 */
export type TimeFormat = (d: Date) => string | number;

export function jsonCell(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof JsonText ? v.text : JSON.stringify(v);
}

export function decisionCells(r: DecisionRecord, time: TimeFormat): Cell[] {
  return [
    r.id, time(r.time), r.sessionId, r.step, r.caller, r.subject, r.clientId, r.toolName, r.toolServer, r.decision,
    jsonCell(r.reasons), jsonCell(r.obligations), jsonCell(r.input), jsonCell(r.result), r.policyRevision, r.entrypoint,
    jsonCell(r.pinned), r.evalMicros, r.error, jsonCell(r.history ?? null),
  ];
}

/**
 * One upsert row per session the batch creates or claims: creation values from its earliest
 * step, the owner from its earliest verified one. `last_step`/`updated_at` get the batch's
 * highest step and the write time: the row's values as created, never updated afterwards (a
 * claim changes only the owner; reads derive the live ones from `decisions`, see
 * DecisionLog.getSession).
 */
export function sessionCells(items: PreparedAppend[], now: Date, time: TimeFormat): Cell[][] {
  type Merged = { first: PreparedAppend['session']; firstStep: number; lastStep: number; owner: PreparedAppend['session'] | null; ownerStep: number };
  const byId = new Map<string, Merged>();
  for (const { session } of items) {
    if (session.unchanged) continue;
    const cur = byId.get(session.id);
    const owned = session.ownerSubject !== null;
    if (!cur) {
      byId.set(session.id, { first: session, firstStep: session.step, lastStep: session.step, owner: owned ? session : null, ownerStep: session.step });
      continue;
    }
    cur.lastStep = Math.max(cur.lastStep, session.step);
    if (session.step < cur.firstStep) {
      cur.first = session;
      cur.firstStep = session.step;
    }
    // The owner is the earliest step's verified owner (an unowned session is claimed once).
    if (owned && (cur.owner === null || session.step < cur.ownerStep)) {
      cur.owner = session;
      cur.ownerStep = session.step;
    }
  }
  const at = time(now);
  const rows: Cell[][] = [];
  for (const [id, { first, lastStep, owner }] of byId) {
    const o = owner ?? first;
    rows.push([id, o.ownerSubject, o.ownerClientId, at, at, lastStep, first.historySource, jsonCell(first.seededHistory ?? null)]);
  }
  return rows;
}

/** The last second sqliteTime formatted (years 1000-9999 only) and its text up to the milliseconds' dot. */
let lastSecond = NaN;
let lastSecondText = '';
/** '000' … '999'. */
const MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * TypeORM's SQLite `datetime` text (UTC "YYYY-MM-DD HH:MM:SS.mmm"), so entity reads and ordering
 * stay as before. Computed arithmetically for years 1000-9999: toISOString() formats through
 * printf inside V8 (~0.6 us per timestamp, against ~0.25).
 */
export function sqliteTime(d: Date): string {
  const ms = d.getTime();
  // The records of a batch mostly share their second: its text is kept, only the milliseconds
  // change (one string addition instead of a dozen).
  const second = Math.floor(ms / 1000);
  if (second === lastSecond) return `${lastSecondText}${MILLIS[ms - second * 1000]}`;
  const day = Math.floor(ms / 86_400_000);
  const y = d.getUTCFullYear();
  if (y < 1000 || y > 9999 || !Number.isFinite(day)) return slowSqliteTime(d);
  const inDay = ms - day * 86_400_000;
  const h = Math.floor(inDay / 3_600_000);
  const mi = Math.floor(inDay / 60_000) % 60;
  const s = Math.floor(inDay / 1000) % 60;
  const milli = inDay % 1000;
  const secondText = `${y}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(h)}:${two(mi)}:${two(s)}.`;
  lastSecond = second;
  lastSecondText = secondText;
  return `${secondText}${MILLIS[milli]}`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** Every other year, and invalid dates (toISOString throws RangeError). */
function slowSqliteTime(d: Date): string {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ for years 0000-9999
  if (iso.length === 24) return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`
  );
}

export function isoTime(d: Date): string {
  return d.toISOString();
}

/** Epoch milliseconds: how rows travel to the SQLite writer thread (cheaper to send than text). */
export function epochMs(d: Date): number {
  return d.getTime();
}
