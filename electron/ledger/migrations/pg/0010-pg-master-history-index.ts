import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A record's History tab on PostgreSQL (masterdata/pg-history-store.ts): the master-data audit entries of one record,
 * found by an index on the record kind and id inside the entry's detail (JSON text, read as jsonb), as SQLite's 0023
 * IDX_audit_log_master_record finds them with json_extract. Partial: only master-data entries are indexed.
 */
export class PgMasterHistoryIndex1764700001000 implements MigrationInterface {
  name = 'PgMasterHistoryIndex1764700001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_audit_log_master_record" ON "audit_log" ((("detail"::jsonb) ->> 'record'), (("detail"::jsonb) -> 'id'))
      WHERE "action" = 'master-data-changed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_audit_log_master_record"`);
  }
}
