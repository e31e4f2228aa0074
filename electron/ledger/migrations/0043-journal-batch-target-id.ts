import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, file targets with several Stockbook servers: each batch records the id of the file or folder it began in
 * (an hledger journal's `; stockbook journal id=` line or its `.stockbook-id` file, a CSV folder's stockbook-folder.id),
 * so a batch interrupted there is continued only in a target holding that id — never in another server's journal or
 * folder at the same path. `target_start` keeps where in the journal the batch began (a byte offset). Batches from
 * before have none (a CSV folder's batch recorded its folder id in target_start).
 */
export class JournalBatchTargetId1732400004300 implements MigrationInterface {
  name = 'JournalBatchTargetId1732400004300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "journal_batches" ADD COLUMN "target_id" bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "journal_batches" DROP COLUMN "target_id"`);
  }
}
