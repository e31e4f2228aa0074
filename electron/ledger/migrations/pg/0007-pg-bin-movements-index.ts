import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A bin's movements on PostgreSQL (issue 17): the Enquiry's bin filter (alone, or with a site or product) read from an
 * index in the enquiry's order (occurred_at, seq) for the one bin, stopping when the page is full. Without it
 * PostgreSQL walks IDX_movements_occurred (or the site's or product's index) and checks bin_id row by row, which reads
 * nearly the whole ledger for a bin seldom used or used long ago (pg-enquiry-plans.test.ts). Partial: movements
 * without a bin (most, at sites without bins) are not in it, so it costs postings nothing for them.
 */
export class PgBinMovementsIndex1764700000700 implements MigrationInterface {
  name = 'PgBinMovementsIndex1764700000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_movements_bin_occurred" ON "movements" ("bin_id", "occurred_at", "seq") WHERE "bin_id" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_movements_bin_occurred"`);
  }
}
