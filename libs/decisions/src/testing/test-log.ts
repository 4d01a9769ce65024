// A DecisionLog on a throw-away database: the setup shared by the store specs here and in
// libs/sessions (open in before(), close in after()).
import { DecisionLog } from '../decision-log';
import { createTestDatabase, type TestDatabase, type TestDbKind } from './test-databases';

export interface TestLog {
  db: TestDatabase;
  log: DecisionLog;
}

export async function openTestLog(kind: TestDbKind): Promise<TestLog> {
  const db = await createTestDatabase(kind);
  return { db, log: await DecisionLog.open(db.options) };
}

/** Closes the log first, then drops its database. */
export async function closeTestLog({ db, log }: TestLog): Promise<void> {
  await log.close();
  await db.cleanup();
}
