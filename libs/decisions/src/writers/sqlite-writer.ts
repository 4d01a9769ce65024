// SQLite batch writer: the whole transaction — BEGIN, multi-row INSERT of the decisions, one
// multi-row session upsert, COMMIT — is ONE sqlite3_exec call on the TypeORM-managed writer
// connection: one trip through the libuv thread pool per batch instead of one per statement
// (each trip also waits for a turn of a busy event loop). exec() takes no bound parameters, so
// every value is written as an SQL literal: numbers are checked finite integers, text is
// single-quoted with quotes doubled (SQLite literals have no other escapes).
import type { PreparedAppend } from '../record-validation';
import type { SqliteCheckpointer } from './sqlite-checkpointer';
import { DECISION_COLUMNS, SESSION_COLUMNS, decisionCells, sessionCells, sqliteTime, type Cell } from './rows';

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
    if (this.drain) {
      const d = this.drain;
      this.drain = undefined;
      await d;
    }
    const sql = batchSql(items, new Date());
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
// Creation time and seeded history are fixed by the first insert; the owner too, except that an
// unowned session (no verified subject yet) takes the first verified owner, once.
const SESSIONS_ON_CONFLICT =
  ` ON CONFLICT ("id") DO UPDATE SET "last_step" = CASE WHEN excluded."last_step" > "sessions"."last_step" ` +
  `THEN excluded."last_step" ELSE "sessions"."last_step" END, "updated_at" = excluded."updated_at", ` +
  `"owner_client_id" = CASE WHEN "sessions"."owner_subject" IS NULL AND excluded."owner_subject" IS NOT NULL ` +
  `THEN excluded."owner_client_id" ELSE "sessions"."owner_client_id" END, ` +
  `"owner_subject" = COALESCE("sessions"."owner_subject", excluded."owner_subject")`;

/** The batch's transaction as one SQL text (pieces collected, joined once). */
export function batchSql(items: PreparedAppend[], now: Date): string {
  const out: string[] = ['BEGIN;'];
  for (let i = 0; i < items.length; i++) {
    out.push(i % ROWS_PER_STATEMENT === 0 ? `${i > 0 ? ';' : ''}${DECISIONS_INSERT}` : ',');
    pushTuple(out, decisionCells(items[i].record, sqliteTime));
  }
  out.push(';');
  const sessions = sessionCells(items, now, sqliteTime);
  for (let i = 0; i < sessions.length; i++) {
    out.push(i % ROWS_PER_STATEMENT === 0 ? `${i > 0 ? `${SESSIONS_ON_CONFLICT};` : ''}${SESSIONS_UPSERT}` : ',');
    pushTuple(out, sessions[i]);
  }
  if (sessions.length > 0) out.push(SESSIONS_ON_CONFLICT, ';');
  out.push('COMMIT;');
  return out.join('');
}

// Cells go into `out` as pieces (quote, text, quote): the values are copied once, by the final join.
function pushTuple(out: string[], cells: Cell[]): void {
  out.push('(');
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out.push(',');
    const v = cells[i];
    if (typeof v === 'string') out.push("'", quotedText(v), "'");
    else out.push(literal(v));
  }
  out.push(')');
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
