import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite's migration 0047 on PostgreSQL: a serial number's history in the movement enquiry.
 * - IDX_serial_units_serial: serial units by serial in the "C" collation (bytewise), so a prefix is a range scan
 *   whatever the database's collation; serials are matched exactly, letter case included (enquiry/pg/pg-movement-store.ts).
 * - IDX_movements_serial_occurred: a serial unit's movements in (occurred_at, seq) order, only the movements that have a
 *   serial unit (partial), as the enquiry's other drivers (pg 0004) are walked.
 */
export class PgEnquirySerialIndex1764700001900 implements MigrationInterface {
  name = 'PgEnquirySerialIndex1764700001900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_serial_units_serial" ON "serial_units" (("serial" COLLATE "C"))`);
    await q.query(`CREATE INDEX "IDX_movements_serial_occurred" ON "movements" ("serial_id", "occurred_at", "seq") WHERE "serial_id" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_movements_serial_occurred"`);
    await q.query(`DROP INDEX "IDX_serial_units_serial"`);
  }
}
