import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, seed 004's duty-paid stock: an adjustment draft carries the Stock Adjustment window's "Duty Paid" box.
 * Existing drafts were not duty paid (0). Posted drafts keep their documents as they were.
 */
export class DutyPaidAdjustments1732400002700 implements MigrationInterface {
  name = 'DutyPaidAdjustments1732400002700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "adjustment_drafts" ADD COLUMN "duty_paid" boolean NOT NULL DEFAULT (0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "adjustment_drafts" DROP COLUMN "duty_paid"`);
  }
}
