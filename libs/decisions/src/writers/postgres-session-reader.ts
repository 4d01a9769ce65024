// Reads one session on PostgreSQL: the stored row (written when the session is created or
// claimed) with `last_step` and `updated_at` taken from its latest decision (highest step, then
// latest time) — a backward scan of the (session_id, step) index stopped after one row. The
// row's own values (as created) stand in only should the session have no decision at all.
// The node-postgres driver already hydrates the types: timestamptz → Date, jsonb → value.
import type { DataSource } from 'typeorm';
import type { HistorySource, SessionRow } from '../types';

export class PostgresSessionReader {
  private readonly sql: string;

  constructor(private readonly ds: DataSource, schema: string | undefined) {
    const table = (name: string) => (schema ? `"${schema}"."${name}"` : `"${name}"`);
    this.sql =
      `SELECT s."id", s."owner_subject", s."owner_client_id", s."created_at", s."history_source", s."seeded_history", ` +
      `COALESCE(d."step", s."last_step") AS "last_step", COALESCE(d."time", s."updated_at") AS "updated_at" ` +
      `FROM ${table('sessions')} s LEFT JOIN LATERAL ` +
      `(SELECT "step", "time" FROM ${table('decisions')} WHERE "session_id" = s."id" ORDER BY "step" DESC, "time" DESC LIMIT 1) d ON true ` +
      `WHERE s."id" = $1`;
  }

  async read(id: string): Promise<SessionRow | null> {
    const rows = (await this.ds.query(this.sql, [id])) as Array<Record<string, unknown>>;
    const row = rows[0];
    if (!row) return null;
    return {
      id: String(row.id),
      ownerSubject: (row.owner_subject as string | null) ?? null,
      ownerClientId: (row.owner_client_id as string | null) ?? null,
      createdAt: toDate(row.created_at),
      updatedAt: toDate(row.updated_at),
      lastStep: Number(row.last_step),
      historySource: row.history_source as HistorySource,
      seededHistory: (row.seeded_history as unknown[] | null) ?? null,
    };
  }
}

function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}
