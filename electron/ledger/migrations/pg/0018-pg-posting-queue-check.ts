import { PostingQueueCheck1732400004600 } from '../0046-posting-queue-check';

/**
 * SQLite migration 0046 on PostgreSQL, the same text: the posting batch's start check's "checked through" mark
 * (posting_queue_check), set for an existing ledger from its newest posting batch's chain seq. PgPostingStore reads and
 * writes it under the chain lock its batch start takes, so two servers starting batches at once never both skip a range.
 */
export class PgPostingQueueCheck1764700001800 extends PostingQueueCheck1732400004600 {
  override name = 'PgPostingQueueCheck1764700001800';
}
