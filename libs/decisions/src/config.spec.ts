import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { positiveInt, redact, resolveTarget } from './config';
import { DecisionLog } from './decision-log';
import { StoreConfigError } from './errors';

describe('resolveTarget', () => {
  it('defaults to ./data/arbiter.sqlite, honouring ARBITER_DATA_DIR and dataDir', () => {
    assert.deepEqual(resolveTarget({}, {}), { kind: 'sqlite', file: path.resolve('data', 'arbiter.sqlite') });
    assert.deepEqual(resolveTarget({}, { ARBITER_DATA_DIR: '/var/lib/arbiter' }), { kind: 'sqlite', file: '/var/lib/arbiter/arbiter.sqlite' });
    assert.deepEqual(resolveTarget({ dataDir: '/x' }, { ARBITER_DATA_DIR: '/y' }), { kind: 'sqlite', file: '/x/arbiter.sqlite' });
  });

  it('selects PostgreSQL for postgres:// URLs, with an optional schema', () => {
    assert.deepEqual(resolveTarget({}, { DATABASE_URL: 'postgres://u@h/db', ARBITER_DB_SCHEMA: 'arb' }), {
      kind: 'postgres',
      url: 'postgres://u@h/db',
      schema: 'arb',
    });
    assert.equal(resolveTarget({ databaseUrl: 'postgresql://h/db' }, {}).kind, 'postgres');
    // An explicit empty databaseUrl means "no URL" even when the environment has one.
    assert.equal(resolveTarget({ databaseUrl: '', dataDir: '/d' }, { DATABASE_URL: 'postgres://h/db' }).kind, 'sqlite');
    assert.deepEqual(resolveTarget({ databaseUrl: 'sqlite:///tmp/a.db' }, {}), { kind: 'sqlite', file: '/tmp/a.db' });
  });

  it('refuses unsupported URLs and bad schema names without echoing passwords', () => {
    assert.throws(() => resolveTarget({ databaseUrl: 'mysql://root:hunter2@h/db' }, {}), (err: unknown) => {
      assert.ok(err instanceof StoreConfigError);
      assert.doesNotMatch(err.message, /hunter2/);
      return true;
    });
    assert.throws(() => resolveTarget({ databaseUrl: 'postgres://h/db', schema: 'x; drop table' }, {}), StoreConfigError);
    assert.equal(redact('postgres://me:secret@h:5432/db'), 'postgres://me:***@h:5432/db');
  });

  it('validates numeric limits', () => {
    assert.equal(positiveInt(undefined, '250', 10, 'maxBatch'), 250);
    assert.equal(positiveInt(undefined, undefined, 10, 'maxBatch'), 10);
    assert.throws(() => positiveInt(undefined, 'many', 10, 'maxBatch'), StoreConfigError);
    assert.throws(() => positiveInt(0, undefined, 10, 'maxQueue'), StoreConfigError);
  });
});

describe('DecisionLog.open', () => {
  it('fails (does not hang) when PostgreSQL is unreachable', async () => {
    await assert.rejects(DecisionLog.open({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none' }), /ECONNREFUSED|connect/);
  });
});
