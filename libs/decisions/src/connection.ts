// Opens the TypeORM DataSources for a target and brings the schema up to date.
// SQLite: a writer connection (WAL, synchronous=FULL, busy timeout) used only by the group
// committer and migrations, plus a separate reader connection — TypeORM shares ONE sqlite
// connection per DataSource, so reads on the writer would see a batch before its COMMIT.
// PostgreSQL: one pooled DataSource; each batch takes its own pooled transaction.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Target } from './config';
import { buildEntities, type DriverKind, type Entities } from './entities';
import { MIGRATIONS } from './migrations';

export const SQLITE_BUSY_TIMEOUT_MS = 5000;
export const MIGRATIONS_TABLE = 'arbiter_migrations';

export interface Connections {
  kind: DriverKind;
  writer: DataSource;
  reader: DataSource;
  entities: Entities;
  close(): Promise<void>;
}

export async function openConnections(target: Target, opts: { logging?: boolean; poolSize?: number }): Promise<Connections> {
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
    return { kind: 'postgres', writer: ds, reader: ds, entities, close: () => ds.destroy() };
  }

  const memory = target.file === ':memory:';
  if (!memory) fs.mkdirSync(path.dirname(target.file), { recursive: true });
  const sqlite = (extra: Partial<DataSourceOptions>): DataSource =>
    new DataSource({
      ...common,
      type: 'sqlite',
      database: target.file,
      enableWAL: !memory,
      busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
      ...extra,
    } as DataSourceOptions);
  const writer = sqlite({ migrations: MIGRATIONS, migrationsTableName: MIGRATIONS_TABLE });
  await writer.initialize();
  let reader: DataSource | undefined;
  try {
    // An acknowledged commit must be on disk: fsync the WAL at every commit.
    await writer.query('PRAGMA synchronous = FULL');
    await writer.runMigrations({ transaction: 'all' });
    if (memory) {
      reader = writer;
    } else {
      reader = sqlite({});
      await reader.initialize();
    }
  } catch (err) {
    await writer.destroy();
    throw err;
  }
  const r = reader;
  return {
    kind: 'sqlite',
    writer,
    reader: r,
    entities,
    close: async () => {
      if (r !== writer) await r.destroy();
      await writer.destroy();
    },
  };
}
