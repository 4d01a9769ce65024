// Reads one session with a single SQL statement on the SQLite reader connection. Every new
// session's first decision looks its id up (usually finding nothing); through TypeORM's
// findOneBy that lookup cost ~130 us of main-thread CPU (query builder, metadata, hydration),
// ~5 us per decision at one new session per 20 calls. Values are hydrated as TypeORM would
// (datetime text is UTC, simple-json is JSON text).
// The row is written only when the session is created or claimed; `last_step` and `updated_at`
// come from its latest decision (highest step, then latest time): one backward step on the
// (session_id, step) index and one row, found only when the session exists. The row's own
// values (as created) stand in only should the session have no decision at all.
import type { HistorySource, SessionRow } from '../types';

/** The part of node-sqlite3's Database the reader uses. */
export interface SqliteGetHandle {
  get(sql: string, params: unknown[], cb: (err: Error | null, row: Record<string, unknown> | undefined) => void): unknown;
}

const SESSION_BY_ID =
  'SELECT s."id", s."owner_subject", s."owner_client_id", s."created_at", s."history_source", s."seeded_history", ' +
  'COALESCE(d."step", s."last_step") AS "last_step", COALESCE(d."time", s."updated_at") AS "updated_at" ' +
  'FROM "sessions" s LEFT JOIN "decisions" d ON d.rowid = ' +
  '(SELECT rowid FROM "decisions" WHERE "session_id" = s."id" ORDER BY "step" DESC, "time" DESC LIMIT 1) ' +
  'WHERE s."id" = ?';

export function readSqliteSession(db: SqliteGetHandle, id: string): Promise<SessionRow | null> {
  return new Promise((resolve, reject) => {
    db.get(SESSION_BY_ID, [id], (err, row) => {
      if (err) return reject(err);
      if (!row) return resolve(null);
      try {
        resolve({
          id: String(row.id),
          ownerSubject: (row.owner_subject as string | null) ?? null,
          ownerClientId: (row.owner_client_id as string | null) ?? null,
          createdAt: sqliteDate(row.created_at),
          updatedAt: sqliteDate(row.updated_at),
          lastStep: Number(row.last_step),
          historySource: row.history_source as HistorySource,
          seededHistory: typeof row.seeded_history === 'string' ? (JSON.parse(row.seeded_history) as unknown[] | null) : null,
        });
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** TypeORM's SQLite datetime text "YYYY-MM-DD HH:MM:SS.mmm" is UTC. */
export function sqliteDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(s) ? `${s.replace(' ', 'T')}Z` : s);
}
