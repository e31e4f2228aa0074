import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite's migration 0049 on PostgreSQL: the Enquiry's search box finds documents by reference and counterparty and
 * serial units by serial, each a prefix with ASCII letter case folded (as SQLite's LIKE folds it): indexes on
 * lower(x COLLATE "C"), so `lower(x COLLATE "C") LIKE lower($1 COLLATE "C")` is a range scan whatever the database's
 * collation (as pg 0004's batch code prefix). The serial index replaces pg 0019's case-exact one.
 */
export class PgEnquirySearchReferences1764700002400 implements MigrationInterface {
  name = 'PgEnquirySearchReferences1764700002400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_documents_reference_lower" ON "documents" (lower("reference" COLLATE "C"))`);
    await q.query(`CREATE INDEX "IDX_operation_documents_counterparty_lower" ON "operation_documents" (lower("counterparty" COLLATE "C"))`);
    await q.query(`DROP INDEX "IDX_serial_units_serial"`);
    await q.query(`CREATE INDEX "IDX_serial_units_serial_lower" ON "serial_units" (lower("serial" COLLATE "C"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_serial_units_serial_lower"`);
    await q.query(`CREATE INDEX "IDX_serial_units_serial" ON "serial_units" (("serial" COLLATE "C"))`);
    await q.query(`DROP INDEX "IDX_operation_documents_counterparty_lower"`);
    await q.query(`DROP INDEX "IDX_documents_reference_lower"`);
  }
}
