import type { MigrationInterface, QueryRunner } from 'typeorm';
import { UNPOSTED_QUEUES, unqueue } from './0045-unposted-queues';

const MOVEMENTS = UNPOSTED_QUEUES[0]!;

/**
 * Issue 15: a finance posting chunk takes its movements off the unposted queue (migration 0045) in one statement of its
 * own (PostingStore.commitChunk: the queue rows of the chunk's seqs, found by the chunk's occurred_at range), in the
 * transaction that inserts their postings, instead of the per-row AFTER INSERT trigger on movement_postings, which looked
 * each posted movement's occurred_at up in movements and deleted its queue row one at a time (about 590 ms of a
 * 200,000-movement posting). The chunk commit is the only code that inserts movement postings (sql-placement and
 * unposted-insert-sites tests); it refuses the chunk when it finds fewer queue rows than movements. The triggers that put
 * a row back (a posting deleted by a reversal, a posting moved) stay, as do the value credits' (a handful per batch).
 * The same change on PostgreSQL (pg 0023).
 */
export class ChunkUnqueuesMovements1732400004800 implements MigrationInterface {
  name = 'ChunkUnqueuesMovements1732400004800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "TRG_${MOVEMENTS.postings}_posted"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TRIGGER "TRG_${MOVEMENTS.postings}_posted" AFTER INSERT ON "${MOVEMENTS.postings}" BEGIN ${unqueue(MOVEMENTS, `NEW."${MOVEMENTS.postingKey}"`)}; END`);
  }
}
