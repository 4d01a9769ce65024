// Resolves open() options and the environment into one connection target.
import * as path from 'node:path';
import { StoreConfigError } from './errors';

export interface OpenOptions {
  /** `postgres://…` / `postgresql://…` selects PostgreSQL; `sqlite:<path>` a SQLite file. Default env DATABASE_URL. */
  databaseUrl?: string;
  /** Directory of `arbiter.sqlite` when no databaseUrl is set. Default env ARBITER_DATA_DIR or `./data`. */
  dataDir?: string;
  /** PostgreSQL schema for the tables (created if missing). Default env ARBITER_DB_SCHEMA, else the server default. */
  schema?: string;
  /** Appends allowed to wait for the writer before append() rejects with StoreOverloadedError. */
  maxQueue?: number;
  /** Most records committed in one transaction. */
  maxBatch?: number;
  logging?: boolean;
  /** Called after every commit attempt (metrics hook). */
  onCommit?: (info: import('./types').CommitInfo) => void;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** SQLite `PRAGMA synchronous`: NORMAL, FULL or EXTRA. Default env ARBITER_SQLITE_SYNCHRONOUS, else the built-in default. */
  sqliteSynchronous?: string;
  /** SQLite file: commit on a worker thread (default off; env ARBITER_SQLITE_WRITER_THREAD=1). */
  sqliteWriterThread?: boolean;
}

export type Target =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema: string | undefined };

export const DEFAULT_MAX_QUEUE = 10_000;
export const DEFAULT_MAX_BATCH = 500;
export const SQLITE_FILE = 'arbiter.sqlite';

export function resolveTarget(opts: OpenOptions, env: NodeJS.ProcessEnv = process.env): Target {
  // An explicit databaseUrl (even '') wins over the environment.
  const url = opts.databaseUrl !== undefined ? nonEmpty(opts.databaseUrl) : nonEmpty(env.DATABASE_URL);
  if (url !== undefined) {
    if (/^postgres(ql)?:\/\//i.test(url)) {
      const schema = nonEmpty(opts.schema) ?? nonEmpty(env.ARBITER_DB_SCHEMA);
      if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
        throw new StoreConfigError(`invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
      }
      return { kind: 'postgres', url, schema };
    }
    const m = /^(?:sqlite|file):(?:\/\/)?(.+)$/i.exec(url);
    if (m) return { kind: 'sqlite', file: m[1] === ':memory:' ? ':memory:' : path.resolve(m[1]) };
    throw new StoreConfigError(`unsupported DATABASE_URL scheme (expected postgres:// or sqlite:): ${redact(url)}`);
  }
  const dir = nonEmpty(opts.dataDir) ?? nonEmpty(env.ARBITER_DATA_DIR) ?? './data';
  return { kind: 'sqlite', file: path.resolve(dir, SQLITE_FILE) };
}

export function positiveInt(value: number | undefined, envValue: string | undefined, fallback: number, name: string): number {
  const v = value ?? (nonEmpty(envValue) !== undefined ? Number(envValue) : fallback);
  if (!Number.isInteger(v) || v < 1) throw new StoreConfigError(`${name} must be a positive integer, got ${String(v)}`);
  return v;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s !== undefined && s.trim() !== '' ? s.trim() : undefined;
}

/** Never echo a password from a URL into an error message. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}
