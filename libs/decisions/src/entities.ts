// Table mappings. Built per driver (EntitySchema, not decorators) because the portable column
// types differ: JSON is `jsonb` on PostgreSQL and TEXT (`simple-json`) on SQLite; time is
// `timestamptz` vs SQLite `datetime` (UTC text "YYYY-MM-DD HH:MM:SS.mmm", sortable).
import { EntitySchema, type ColumnType } from 'typeorm';
import type { DecisionRecord, SessionRow } from './types';

export type DriverKind = 'sqlite' | 'postgres';

export interface ColumnTypes {
  json: ColumnType;
  time: ColumnType;
}

export function columnTypes(kind: DriverKind): ColumnTypes {
  return kind === 'postgres' ? { json: 'jsonb', time: 'timestamptz' } : { json: 'simple-json', time: 'datetime' };
}

export const DECISION_ENTITY = 'Decision';
export const SESSION_ENTITY = 'Session';

export interface Entities {
  decision: EntitySchema<DecisionRecord>;
  session: EntitySchema<SessionRow>;
}

export function buildEntities(kind: DriverKind): Entities {
  const t = columnTypes(kind);
  const decision = new EntitySchema<DecisionRecord>({
    name: DECISION_ENTITY,
    tableName: 'decisions',
    columns: {
      id: { type: 'varchar', primary: true },
      time: { type: t.time },
      sessionId: { type: 'varchar', name: 'session_id' },
      step: { type: 'integer' },
      caller: { type: 'varchar', nullable: true },
      subject: { type: 'varchar', nullable: true },
      clientId: { type: 'varchar', name: 'client_id', nullable: true },
      toolName: { type: 'varchar', name: 'tool_name' },
      toolServer: { type: 'varchar', name: 'tool_server', nullable: true },
      decision: { type: 'varchar' },
      reasons: { type: t.json },
      obligations: { type: t.json, nullable: true },
      input: { type: t.json, nullable: true },
      result: { type: t.json, nullable: true },
      policyRevision: { type: 'varchar', name: 'policy_revision' },
      entrypoint: { type: 'varchar' },
      pinned: { type: t.json },
      evalMicros: { type: 'integer', name: 'eval_micros' },
      error: { type: 'text', nullable: true },
      history: { type: t.json, name: 'history_ref', nullable: true },
    },
  });
  const session = new EntitySchema<SessionRow>({
    name: SESSION_ENTITY,
    tableName: 'sessions',
    columns: {
      id: { type: 'varchar', primary: true },
      ownerSubject: { type: 'varchar', name: 'owner_subject', nullable: true },
      ownerClientId: { type: 'varchar', name: 'owner_client_id', nullable: true },
      createdAt: { type: t.time, name: 'created_at' },
      // Stored as the row was created (the row is written at creation and at a claim only);
      // DecisionLog.getSession returns the live values, derived from `decisions`.
      updatedAt: { type: t.time, name: 'updated_at' },
      lastStep: { type: 'integer', name: 'last_step' },
      historySource: { type: 'varchar', name: 'history_source' },
      seededHistory: { type: t.json, name: 'seeded_history', nullable: true },
    },
  });
  return { decision, session };
}
