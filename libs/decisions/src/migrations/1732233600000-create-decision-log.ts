// Initial schema: `decisions` and `sessions`. Column types are chosen per driver at run time so
// one migration serves SQLite and PostgreSQL (same names, same indexes).
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

export class CreateDecisionLog1732233600000 implements MigrationInterface {
  name = 'CreateDecisionLog1732233600000';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.driver.options.type === 'postgres';
    const json = pg ? 'jsonb' : 'text';
    const time = pg ? 'timestamptz' : 'datetime';
    const str = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', isNullable: nullable });
    await qr.createTable(
      new Table({
        name: 'decisions',
        columns: [
          { ...str('id'), isPrimary: true },
          { name: 'time', type: time, isNullable: false },
          str('session_id'),
          { name: 'step', type: 'integer', isNullable: false },
          str('caller', true),
          str('subject', true),
          str('client_id', true),
          str('tool_name'),
          str('tool_server', true),
          str('decision'),
          { name: 'reasons', type: json, isNullable: false },
          { name: 'obligations', type: json, isNullable: true },
          { name: 'input', type: json, isNullable: true },
          { name: 'result', type: json, isNullable: true },
          str('policy_revision'),
          str('entrypoint'),
          { name: 'pinned', type: json, isNullable: false },
          { name: 'eval_micros', type: 'integer', isNullable: false },
          { name: 'error', type: 'text', isNullable: true },
        ],
        indices: [
          // Not unique: a duplicate step (two replicas racing on one session) must not fail a whole batch.
          { name: 'IDX_decisions_session_step', columnNames: ['session_id', 'step'] },
          { name: 'IDX_decisions_time_id', columnNames: ['time', 'id'] },
          { name: 'IDX_decisions_decision_time', columnNames: ['decision', 'time'] },
        ],
      }),
      true,
    );
    await qr.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { ...str('id'), isPrimary: true },
          str('owner_subject', true),
          str('owner_client_id', true),
          { name: 'created_at', type: time, isNullable: false },
          { name: 'updated_at', type: time, isNullable: false },
          { name: 'last_step', type: 'integer', isNullable: false },
          str('history_source'),
          { name: 'seeded_history', type: json, isNullable: true },
        ],
        indices: [{ name: 'IDX_sessions_updated_at', columnNames: ['updated_at'] }],
      }),
      true,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('sessions', true);
    await qr.dropTable('decisions', true);
  }
}
