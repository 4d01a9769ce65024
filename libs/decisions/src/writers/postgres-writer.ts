// PostgreSQL batch writer: ONE statement per batch — a data-modifying CTE inserting every
// decision, then the multi-row upsert of the sessions the batch creates or claims (a plain
// INSERT of the decisions when there are none) — so the batch is atomic without BEGIN/COMMIT
// round trips. Columns travel as one array parameter each (unnest), so the statement text and
// its parameter count are the same for every batch size (no bind-parameter limit).
import type { DataSource } from 'typeorm';
import type { PreparedAppend } from '../record-validation';
import { DECISION_COLUMNS, SESSION_COLUMNS, decisionCells, isoTime, sessionCells, type Cell } from './rows';

const DECISION_TYPES: Record<(typeof DECISION_COLUMNS)[number], string> = {
  id: 'varchar', time: 'timestamptz', session_id: 'varchar', step: 'integer', caller: 'varchar', subject: 'varchar',
  client_id: 'varchar', tool_name: 'varchar', tool_server: 'varchar', decision: 'varchar', reasons: 'jsonb',
  obligations: 'jsonb', input: 'jsonb', result: 'jsonb', policy_revision: 'varchar', entrypoint: 'varchar',
  pinned: 'jsonb', eval_micros: 'integer', error: 'text', history_ref: 'jsonb',
};

const SESSION_TYPES: Record<(typeof SESSION_COLUMNS)[number], string> = {
  id: 'varchar', owner_subject: 'varchar', owner_client_id: 'varchar', created_at: 'timestamptz',
  updated_at: 'timestamptz', last_step: 'integer', history_source: 'varchar', seeded_history: 'jsonb',
};

export class PostgresBatchWriter {
  private readonly sql: string;
  private readonly decisionsOnly: string;

  constructor(private readonly ds: DataSource, schema: string | undefined) {
    const table = (name: string) => (schema ? `"${schema}"."${name}"` : `"${name}"`);
    const cols = (names: readonly string[]) => names.map((c) => `"${c}"`).join(', ');
    let n = 0;
    const unnest = (types: string[]) => `unnest(${types.map((t) => `$${++n}::${t}[]`).join(', ')})`;
    const decisions = `INSERT INTO ${table('decisions')} (${cols(DECISION_COLUMNS)}) SELECT * FROM ${unnest(DECISION_COLUMNS.map((c) => DECISION_TYPES[c]))}`;
    this.decisionsOnly = decisions;
    this.sql =
      `WITH d AS (${decisions}) ` +
      `INSERT INTO ${table('sessions')} AS s (${cols(SESSION_COLUMNS)}) SELECT * FROM ${unnest(SESSION_COLUMNS.map((c) => SESSION_TYPES[c]))} ` +
      // The first insert fixes the row; the one later change is an unowned session (no verified
      // subject yet) taking its first verified owner. Any other conflict (a replica created the
      // row first, a claim of a row already owned) leaves the row as it is and fails nothing.
      `ON CONFLICT ("id") DO UPDATE SET "owner_subject" = EXCLUDED."owner_subject", "owner_client_id" = EXCLUDED."owner_client_id" ` +
      `WHERE s."owner_subject" IS NULL AND EXCLUDED."owner_subject" IS NOT NULL`;
  }

  async write(items: PreparedAppend[]): Promise<void> {
    const decisions = columns(items.map((p) => decisionCells(p.record, isoTime)), DECISION_COLUMNS.length);
    const rows = sessionCells(items, new Date(), isoTime);
    if (rows.length === 0) {
      await this.ds.query(this.decisionsOnly, decisions);
      return;
    }
    await this.ds.query(this.sql, [...decisions, ...columns(rows, SESSION_COLUMNS.length)]);
  }
}

/** Rows → one array per column. */
function columns(rows: Cell[][], width: number): Cell[][] {
  const out: Cell[][] = Array.from({ length: width }, () => new Array<Cell>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < width; c++) out[c][r] = row[c];
  }
  return out;
}
