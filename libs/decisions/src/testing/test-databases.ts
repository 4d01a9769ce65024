// Throw-away databases for tests: a temp-dir SQLite file, or a fresh PostgreSQL schema
// (dropped by cleanup) in TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OpenOptions } from '../config';
import type { DecisionRecord, SessionUpsert } from '../types';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDbKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  kind: TestDbKind;
  /** Options that open a DecisionLog on this database (add maxQueue etc. as needed). */
  options: OpenOptions;
  /** Run raw SQL against the database from outside the log (fault injection). */
  sql(text: string): Promise<unknown>;
  /** Table name qualified for raw SQL. */
  table(name: string): string;
  cleanup(): Promise<void>;
}

export async function createTestDatabase(kind: TestDbKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbiter-log-'));
    return {
      kind,
      options: { dataDir: dir, databaseUrl: '' },
      sql: (text) => sqliteExec(path.join(dir, 'arbiter.sqlite'), text),
      table: (name) => `"${name}"`,
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `arbiter_test_${randomBytes(6).toString('hex')}`;
  await pgExec(`CREATE SCHEMA "${schema}"`);
  return {
    kind,
    options: { databaseUrl: TEST_DATABASE_URL, schema },
    sql: (text) => pgExec(text),
    table: (name) => `"${schema}"."${name}"`,
    cleanup: () => pgExec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).then(() => undefined),
  };
}

async function pgExec(text: string): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

function sqliteExec(file: string, text: string): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sqlite3 = require('sqlite3') as typeof import('sqlite3');
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (err) => {
      if (err) return reject(err);
      db.configure('busyTimeout', 5000);
      db.all(text, (e, rows) => db.close(() => (e ? reject(e) : resolve(rows))));
    });
  });
}

let seq = 0;

/** A complete, valid record (fields overridable) and its session upsert. */
export function sampleRecord(over: Partial<DecisionRecord> = {}): { record: DecisionRecord; session: SessionUpsert } {
  seq++;
  const record: DecisionRecord = {
    id: randomUUID(),
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, 0) + seq),
    sessionId: 'sess-1',
    step: seq,
    caller: 'gateway-a',
    subject: 'alice',
    clientId: 'client-1',
    toolName: 'read_file',
    toolServer: 'files',
    decision: 'allow',
    reasons: [{ code: 'allowed', message: 'read-only tool' }],
    obligations: { redact: ['path'] },
    input: { tool: { name: 'read_file', arguments: { path: '/tmp/x' } }, now_ns: 1_735_689_600_000_000_000 },
    result: { allow: true, decision: 'allow', reasons: [], obligations: {} },
    policyRevision: 'rev-1',
    entrypoint: 'mcp/decision',
    pinned: { now_ns: 1_735_689_600_000_000_000 },
    evalMicros: 42,
    error: null,
    history: null,
    ...over,
  };
  const session: SessionUpsert = {
    id: record.sessionId,
    ownerSubject: record.subject,
    ownerClientId: record.clientId,
    step: record.step,
    historySource: 'none',
  };
  return { record, session };
}
