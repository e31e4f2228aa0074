import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A serial number's history in the movement enquiry (the search box matches serials: enquiry/movement-filter.ts):
 * - IDX_serial_units_serial: the serial units whose serial starts with the search, whatever their product (the unique
 *   key leads with product_id, so it cannot serve that); a range of BINARY text, serials being matched exactly,
 *   letter case included, as the operations match them.
 * - IDX_movements_serial_occurred: a serial unit's movements in time order, the enquiry's driver for those units. Only
 *   movements of a serial unit have an entry (most have none), as 0037 made the batch index; every reader asks for a
 *   value (`serial_id IN (...)`), which implies NOT NULL.
 */
export class EnquirySerialIndex1732400004700 implements MigrationInterface {
  name = 'EnquirySerialIndex1732400004700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_serial_units_serial" ON "serial_units" ("serial")`);
    await q.query(`CREATE INDEX "IDX_movements_serial_occurred" ON "movements" ("serial_id", "occurred_at") WHERE "serial_id" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_movements_serial_occurred"`);
    await q.query(`DROP INDEX "IDX_serial_units_serial"`);
  }
}
