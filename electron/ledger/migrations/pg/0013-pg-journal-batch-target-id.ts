import { JournalBatchTargetId1732400004300 } from '../0043-journal-batch-target-id';

/**
 * SQLite migration 0043 on PostgreSQL, the same text (ALTER TABLE … ADD COLUMN "target_id" bigint, both dialects): the
 * id of the journal or folder a batch began in (journal_batches.target_id).
 */
export class PgJournalBatchTargetId1764700001300 extends JournalBatchTargetId1732400004300 {
  override name = 'PgJournalBatchTargetId1764700001300';
}
