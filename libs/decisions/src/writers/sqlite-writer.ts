// SQLite batch writer: the whole transaction — BEGIN, multi-row INSERT of the decisions, one
// multi-row upsert of the sessions the batch creates or claims (if any), COMMIT — is ONE
// sqlite3_exec call on the writer connection
// (TypeORM's, on the main thread; or the writer thread's own when enabled, sqlite-thread.ts):
// one trip through the libuv thread pool per batch instead of one per statement
// (each trip also waits for a turn of a busy event loop). exec() takes no bound parameters, so
// every value is written as an SQL literal: numbers are checked finite integers, text is
// single-quoted with quotes doubled (SQLite literals have no other escapes).
// (Prepared single-row statements with bound values were measured on the writer thread: one
// thread-pool trip per row cost about twice the CPU of this.)
import { JsonText } from '../json-text';
import type { PreparedAppend } from '../record-validation';
import type { DecisionRecord, HistoryRef } from '../types';
import type { SqliteCheckpointer } from './sqlite-checkpointer';
import { DECISION_COLUMNS, SESSION_COLUMNS, sessionCells, sqliteTime, type Cell } from './rows';

/** The part of node-sqlite3's Database the writer uses. */
export interface SqliteHandle {
  exec(sql: string, cb: (err: Error | null) => void): unknown;
}

/** Rows per INSERT statement (all statements still go in the same exec call). */
const ROWS_PER_STATEMENT = 500;

export class SqliteBatchWriter {
  /** Set when the WAL is over its cap: the next batch waits for a complete checkpoint first. */
  private drain: Promise<void> | undefined;

  constructor(
    private readonly db: SqliteHandle,
    private readonly checkpointer?: SqliteCheckpointer,
  ) {}

  async write(items: PreparedAppend[]): Promise<void> {
    await this.writeSql(() => batchSql(items, new Date()));
  }

  /** Rows as built by rows.ts with SQLite time text (the writer thread's path). */
  async writeRows(decisions: Cell[][], sessions: Cell[][]): Promise<void> {
    await this.writeSql(() => rowsSql(decisions, sessions));
  }

  /** The SQL is built after a pending WAL drain, as late as possible. */
  private async writeSql(build: () => string): Promise<void> {
    if (this.drain) {
      const d = this.drain;
      this.drain = undefined;
      await d;
    }
    const sql = build();
    try {
      await this.exec(sql);
    } catch (err) {
      // exec stops at the failing statement and leaves the transaction open.
      await this.exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
    this.drain = this.checkpointer?.afterCommit();
  }

  private exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.exec(sql, (err) => (err ? reject(err) : resolve()));
    });
  }
}

const DECISIONS_INSERT = `INSERT INTO "decisions" (${DECISION_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES `;
const SESSIONS_UPSERT = `INSERT INTO "sessions" (${SESSION_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES `;
// The first insert fixes the row; the one later change is an unowned session (no verified
// subject yet) taking its first verified owner. Any other conflict (a replica created the row
// first, a claim of a row already owned) leaves the row untouched and fails nothing.
const SESSIONS_ON_CONFLICT =
  ` ON CONFLICT ("id") DO UPDATE SET "owner_subject" = excluded."owner_subject", "owner_client_id" = excluded."owner_client_id" ` +
  `WHERE "sessions"."owner_subject" IS NULL AND excluded."owner_subject" IS NOT NULL`;

/**
 * The batch's transaction as one SQL text: the same text as rowsSql(decisionCells(…, sqliteTime),
 * sessionCells(…)), but each decision row is written straight from its prepared record
 * (decisionTuple) instead of going through a row of cells.
 */
export function batchSql(items: PreparedAppend[], now: Date): string {
  let sql = 'BEGIN;';
  for (let i = 0; i < items.length; i++) {
    sql += i % ROWS_PER_STATEMENT === 0 ? `${i > 0 ? ';' : ''}${DECISIONS_INSERT}` : ',';
    sql += decisionTuple(items[i].record);
  }
  return sessionsSql(sql, sessionCells(items, now, sqliteTime));
}

/**
 * The transaction for decision rows and session upsert rows (rows.ts column order; no session
 * statement when there are none). Built by
 * concatenation: V8 keeps `+=` results as a rope and copies the text once, when the driver
 * converts it to UTF-8 (an array join measured ~2x the instructions).
 */
export function rowsSql(decisions: Cell[][], sessions: Cell[][]): string {
  let sql = 'BEGIN;';
  for (let i = 0; i < decisions.length; i++) {
    sql += i % ROWS_PER_STATEMENT === 0 ? `${i > 0 ? ';' : ''}${DECISIONS_INSERT}` : ',';
    sql += tuple(decisions[i]);
  }
  return sessionsSql(sql, sessions);
}

/** Ends the decisions statement, adds the sessions upsert (if any rows) and COMMIT. */
function sessionsSql(decisionsSql: string, sessions: Cell[][]): string {
  let sql = `${decisionsSql};`;
  for (let i = 0; i < sessions.length; i++) {
    sql += i % ROWS_PER_STATEMENT === 0 ? `${i > 0 ? `${SESSIONS_ON_CONFLICT};` : ''}${SESSIONS_UPSERT}` : ',';
    sql += tuple(sessions[i]);
  }
  if (sessions.length > 0) sql += `${SESSIONS_ON_CONFLICT};`;
  return `${sql}COMMIT;`;
}

/**
 * One decision row as rowsSql writes tuple(decisionCells(r, sqliteTime)), for a record that
 * went through prepareAppend: its strings are free of NULs (safeString), JSON.stringify output
 * has none either, so those only get their quotes doubled; JsonText is checked in full. Values
 * that cannot hold a quote (time text, the decision enum, integers, the history reference of
 * validated fields) are written as they are. One template per row: half the string additions
 * of a cell-by-cell build.
 */
function decisionTuple(r: DecisionRecord): string {
  return (
    `('${quoted(r.id)}','${sqliteTime(r.time)}','${quoted(r.sessionId)}',${int(r.step)},${optText(r.caller)},` +
    `${optText(r.subject)},${optText(r.clientId)},'${quoted(r.toolName)}',${optText(r.toolServer)},'${r.decision}',` +
    `'${r.reasons.length === 0 ? '[]' : quoted(JSON.stringify(r.reasons))}',${jsonLiteral(r.obligations)},${jsonLiteral(r.input)},` +
    `${jsonLiteral(r.result)},'${quoted(r.policyRevision)}','${quoted(r.entrypoint)}',${jsonLiteral(r.pinned)},${int(r.evalMicros)},` +
    `${optText(r.error)},${historyLiteral(r.history)})`
  );
}

function optText(s: string | null): string {
  return s === null ? 'NULL' : `'${quoted(s)}'`;
}

/** jsonCell's text as a literal. */
function jsonLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  return v instanceof JsonText ? `'${quotedText(v.text)}'` : `'${quoted(JSON.stringify(v))}'`;
}

/** JSON.stringify of the reference prepareAppend built (historyRef: keys in this order, validated values). */
function historyLiteral(h: HistoryRef | null | undefined): string {
  if (h === null || h === undefined) return 'NULL';
  return `'{"source":"${h.source}","through_step":${int(h.through_step)},"count":${int(h.count)}}'`;
}

function int(v: number): string {
  if (!Number.isSafeInteger(v)) throw new TypeError(`not an integer column value: ${v}`);
  return `${v}`;
}

/** Text known to hold no NUL: quotes doubled. */
function quoted(s: string): string {
  return s.includes("'") ? s.replace(/'/g, "''") : s;
}

function tuple(cells: Cell[]): string {
  let t = '(';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) t += ',';
    const v = cells[i];
    t += typeof v === 'string' ? `'${quotedText(v)}'` : literal(v);
  }
  return `${t})`;
}

export function literal(v: Cell): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new TypeError(`not an integer column value: ${v}`);
    return String(v);
  }
  return `'${quotedText(v)}'`;
}

/** The inside of a string literal: quotes doubled (SQLite literals have no other escapes). */
function quotedText(s: string): string {
  // exec() reads the SQL as a C string: a NUL would end it. Stored strings are already free of
  // them (json-safe.ts / json-text.ts); this is the last line of defence.
  if (s.includes('\0')) s = s.replace(/\0/g, '\uFFFD');
  if (s.includes("'")) s = s.replace(/'/g, "''");
  return s;
}
