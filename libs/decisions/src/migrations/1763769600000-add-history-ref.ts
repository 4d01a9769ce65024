// Records stop storing session.history inside `input`; `history_ref` says which steps a replay
// puts back (NULL for older records, whose input is complete).
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

export class AddHistoryRef1763769600000 implements MigrationInterface {
  name = 'AddHistoryRef1763769600000';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.driver.options.type === 'postgres';
    await qr.addColumn('decisions', new TableColumn({ name: 'history_ref', type: pg ? 'jsonb' : 'text', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('decisions', 'history_ref');
  }
}
