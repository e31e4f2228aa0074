import type { MigrationInterface, QueryRunner } from 'typeorm';
import { UNPOSTED_QUEUES } from '../0045-unposted-queues';
import { createQueueTrigger, queueTriggers } from './0017-pg-unposted-queues';

/** The movements queue's trigger on a posting's insert (pg 0017), which this migration drops. */
const posted = () => queueTriggers(UNPOSTED_QUEUES[0]!).find((t) => t.op === 'INSERT' && t.table === 'movement_postings')!;

/**
 * SQLite migration 0048 on PostgreSQL: a finance posting chunk takes its movements off the unposted queue in one DELETE
 * of its own (PgPostingStore.commitChunk: the queue rows of the chunk's (occurred_at, seq) keys), in the transaction that
 * inserts their postings, instead of the statement trigger on movement_postings (pg 0017), which captured the chunk's
 * postings in a transition table and joined them to movements for each one's occurred_at. The triggers that put a row
 * back (a posting deleted by a reversal, a posting moved) stay, as do the value credits'.
 */
export class PgChunkUnqueuesMovements1764700002300 implements MigrationInterface {
  name = 'PgChunkUnqueuesMovements1764700002300';

  async up(q: QueryRunner): Promise<void> {
    const t = posted();
    await q.query(`DROP TRIGGER "${t.name}" ON "${t.table}"`);
    await q.query(`DROP FUNCTION "${t.name}"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await createQueueTrigger(q, posted());
  }
}
