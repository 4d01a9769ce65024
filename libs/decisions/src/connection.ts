// Opens the TypeORM DataSources for a target and brings the schema up to date.
// SQLite: a writer connection (WAL, synchronous=NORMAL|FULL, busy timeout) used only by the
// group committer and migrations, plus a separate reader connection — TypeORM shares ONE sqlite
// connection per DataSource, so reads on the writer would see a batch before its COMMIT.
// PostgreSQL: one pooled DataSource; each batch is one statement on a pooled connection.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { StoreConfigError } from './errors';
import type { Target } from './config';
import type { SqliteHandle } from './writers/sqlite-writer';
import type { SqliteGetHandle } from './writers/sqlite-session-reader';
import { SqliteCheckpointer, type SqliteQueryHandle } from './writers/sqlite-checkpointer';
import { buildEntities, type DriverKind, type Entities } from './entities';
import { MIGRATIONS } from './migrations';

export const SQLITE_BUSY_TIMEOUT_MS = 5000;
export const MIGRATIONS_TABLE = 'arbiter_migrations';

/** SQLite `synchronous` settings accepted (see sqliteSynchronous). */
export const SQLITE_SYNCHRONOUS_VALUES = ['NORMAL', 'FULL', 'EXTRA'] as const;
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS_VALUES)[number];
/**
 * NORMAL by default. In WAL mode a NORMAL commit has written its frames to the WAL file (the OS
 * page cache) before COMMIT returns, so an acknowledged decision survives the process being
 * killed (kill -9, OOM, crash) — the guarantee the service promises (see test/crash-restart). It
 * does not survive a power cut or kernel crash before the OS flushes (the database stays
 * consistent; the last commits may be missing). FULL adds an fsync of the WAL to every commit:
 * measured on this machine's disk (fsync ~4 ms median, ~11 ms max) it costs ~1 ms average and
 * ~15 ms p99 per commit and 10-20% throughput. Deployments that must survive power loss set
 * ARBITER_SQLITE_SYNCHRONOUS=FULL (or EXTRA), or use PostgreSQL (fsync per commit by default).
 */
export const DEFAULT_SQLITE_SYNCHRONOUS: SqliteSynchronous = 'NORMAL';

/** Option, else env ARBITER_SQLITE_SYNCHRONOUS, else the default. */
export function sqliteSynchronous(value: string | undefined, env: string | undefined = process.env.ARBITER_SQLITE_SYNCHRONOUS): SqliteSynchronous {
  const v = (value ?? env ?? '').trim().toUpperCase() || DEFAULT_SQLITE_SYNCHRONOUS;
  if (!(SQLITE_SYNCHRONOUS_VALUES as readonly string[]).includes(v)) {
    throw new StoreConfigError(`ARBITER_SQLITE_SYNCHRONOUS must be one of ${SQLITE_SYNCHRONOUS_VALUES.join(', ')}, got ${JSON.stringify(value ?? env)}`);
  }
  return v as SqliteSynchronous;
}

export interface Connections {
  kind: DriverKind;
  /** PostgreSQL schema of the tables (undefined: the server's search_path). */
  schema?: string;
  /** SQLite only: the writer DataSource's own sqlite3 connection (batches are exec'd on it). */
  sqliteWriter?: SqliteHandle;
  /** SQLite only: the reader DataSource's own sqlite3 connection (hot-path point reads). */
  sqliteReader?: SqliteGetHandle;
  /** SQLite file databases: runs WAL checkpoints on a third connection, off the commit path. */
  checkpointer?: SqliteCheckpointer;
  synchronous?: SqliteSynchronous;
  writer: DataSource;
  reader: DataSource;
  entities: Entities;
  close(): Promise<void>;
}

/**
 * node-sqlite3 as TypeORM's driver module, minus `verbose()`: TypeORM calls it, and verbose
 * mode wraps every call to capture a stack and util.inspect() its arguments — the whole SQL
 * text of a batch — only to decorate error stacks.
 */
function quietSqlite3(): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sqlite3 = require('sqlite3') as object;
  return Object.create(sqlite3, { verbose: { value: () => sqlite3 } });
}

export async function openConnections(
  target: Target,
  opts: { logging?: boolean; poolSize?: number; sqliteSynchronous?: string },
): Promise<Connections> {
  const entities = buildEntities(target.kind);
  const common: Pick<DataSourceOptions, 'entities' | 'synchronize' | 'logging'> = {
    entities: [entities.decision, entities.session],
    synchronize: false,
    logging: opts.logging ?? false,
  };
  if (target.kind === 'postgres') {
    const ds = new DataSource({
      ...common,
      type: 'postgres',
      url: target.url,
      schema: target.schema,
      migrations: MIGRATIONS,
      migrationsTableName: MIGRATIONS_TABLE,
      // Fail appends instead of hanging forever when the server is unreachable or a lock never frees.
      extra: { max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000, statement_timeout: 15_000 },
    });
    await ds.initialize();
    try {
      if (target.schema) await ds.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
      await ds.runMigrations({ transaction: 'all' });
    } catch (err) {
      await ds.destroy();
      throw err;
    }
    return { kind: 'postgres', schema: target.schema, writer: ds, reader: ds, entities, close: () => ds.destroy() };
  }

  const synchronous = sqliteSynchronous(opts.sqliteSynchronous);
  const memory = target.file === ':memory:';
  if (!memory) fs.mkdirSync(path.dirname(target.file), { recursive: true });
  const sqlite = (extra: Partial<DataSourceOptions>): DataSource =>
    new DataSource({
      ...common,
      type: 'sqlite',
      database: target.file,
      enableWAL: !memory,
      busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
      driver: quietSqlite3(),
      ...extra,
    } as DataSourceOptions);
  const writer = sqlite({ migrations: MIGRATIONS, migrationsTableName: MIGRATIONS_TABLE });
  await writer.initialize();
  let reader: DataSource | undefined;
  let checkpoints: DataSource | undefined;
  try {
    // WAL + NORMAL: a commit is in the OS page cache when it returns (survives kill -9, not a
    // power cut); FULL also fsyncs the WAL at every commit (survives a power cut).
    await writer.query(`PRAGMA synchronous = ${synchronous}`);
    await writer.runMigrations({ transaction: 'all' });
    if (memory) {
      reader = writer;
    } else {
      reader = sqlite({});
      await reader.initialize();
      // Checkpoints are SqliteCheckpointer's job (see there), never a commit's.
      await writer.query('PRAGMA wal_autocheckpoint = 0');
      checkpoints = sqlite({});
      await checkpoints.initialize();
    }
  } catch (err) {
    if (reader && reader !== writer) await reader.destroy().catch(() => undefined);
    await writer.destroy();
    throw err;
  }
  const r = reader;
  const c = checkpoints;
  const checkpointer = c
    ? new SqliteCheckpointer((c.driver as unknown as { databaseConnection: SqliteQueryHandle }).databaseConnection)
    : undefined;
  return {
    kind: 'sqlite',
    sqliteWriter: (writer.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection,
    sqliteReader: (r.driver as unknown as { databaseConnection: SqliteGetHandle }).databaseConnection,
    checkpointer,
    synchronous,
    writer,
    reader: r,
    entities,
    close: async () => {
      await checkpointer?.idle();
      if (c) await c.destroy();
      if (r !== writer) await r.destroy();
      await writer.destroy();
    },
  };
}
