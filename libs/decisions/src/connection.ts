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
import { SqliteThreadWriter } from './writers/sqlite-thread';
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

/**
 * Writer connection settings besides durability. temp_store=MEMORY: a multi-row INSERT inside
 * a transaction keeps a statement journal (a copy of every page it changes, so the statement
 * alone can be undone); past 64 KB SQLite spills it to a temporary file, i.e. a pwrite() per
 * page. In memory it is only a copy: in the append bench (2 KB records) ~4 us less CPU per
 * record on the thread-pool side with time-ordered ids (~10 us with random ids, which touch
 * more existing pages). Nothing else uses temporary storage on the writer (no sorts, no temp
 * tables).
 */
export const SQLITE_WRITER_PRAGMAS = 'PRAGMA temp_store = MEMORY';

export interface Connections {
  kind: DriverKind;
  /** PostgreSQL schema of the tables (undefined: the server's search_path). */
  schema?: string;
  /** SQLite only: the writer DataSource's own sqlite3 connection (batches are exec'd on it). */
  sqliteWriter?: SqliteHandle;
  /** SQLite only: the reader DataSource's own sqlite3 connection (hot-path point reads). */
  sqliteReader?: SqliteGetHandle;
  /** SQLite file databases, in-thread writer: runs WAL checkpoints on a third connection, off the commit path. */
  checkpointer?: SqliteCheckpointer;
  /** SQLite file databases with ARBITER_SQLITE_WRITER_THREAD: the writer thread (its own writer and checkpointer connections). */
  sqliteThread?: SqliteThreadWriter;
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

/**
 * Whether SQLite file databases commit on the writer thread (writers/sqlite-thread.ts): the
 * option, else env ARBITER_SQLITE_WRITER_THREAD (1/true/on), else off — measured, the thread
 * takes ~12% of the log's main-thread instructions per record off the main thread but adds
 * ~40% to the other threads' (see sqlite-thread.ts), a loss while both cores are busy.
 */
export function sqliteWriterThread(value: boolean | undefined, env: string | undefined = process.env.ARBITER_SQLITE_WRITER_THREAD): boolean {
  if (value !== undefined) return value;
  const v = (env ?? '').trim().toLowerCase();
  if (['1', 'true', 'on'].includes(v)) return true;
  if (v === '' || ['0', 'false', 'off'].includes(v)) return false;
  throw new StoreConfigError(`ARBITER_SQLITE_WRITER_THREAD must be 1/true/on or 0/false/off, got ${JSON.stringify(env)}`);
}

export async function openConnections(
  target: Target,
  opts: { logging?: boolean; poolSize?: number; sqliteSynchronous?: string; sqliteWriterThread?: boolean },
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
  // An in-memory database exists only on its one connection: no thread can share it.
  const threaded = !memory && sqliteWriterThread(opts.sqliteWriterThread);
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
  let thread: SqliteThreadWriter | undefined;
  try {
    // WAL + NORMAL: a commit is in the OS page cache when it returns (survives kill -9, not a
    // power cut); FULL also fsyncs the WAL at every commit (survives a power cut).
    await writer.query(`PRAGMA synchronous = ${synchronous}`);
    await writer.query(SQLITE_WRITER_PRAGMAS);
    await writer.runMigrations({ transaction: 'all' });
    if (memory) {
      reader = writer;
    } else {
      reader = sqlite({});
      await reader.initialize();
      // Checkpoints are SqliteCheckpointer's job (see there), never a commit's.
      await writer.query('PRAGMA wal_autocheckpoint = 0');
      if (threaded) {
        // The thread commits every batch and checkpoints; the TypeORM writer above only ran the
        // migrations (and stays open, idle, with the same settings).
        thread = await SqliteThreadWriter.start({
          file: target.file,
          synchronous,
          busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
          pragmas: SQLITE_WRITER_PRAGMAS,
        });
      } else {
        checkpoints = sqlite({});
        await checkpoints.initialize();
      }
    }
  } catch (err) {
    if (checkpoints) await checkpoints.destroy().catch(() => undefined);
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
    sqliteThread: thread,
    synchronous,
    writer,
    reader: r,
    entities,
    close: async () => {
      await thread?.close();
      await checkpointer?.idle();
      if (c) await c.destroy();
      if (r !== writer) await r.destroy();
      await writer.destroy();
    },
  };
}
