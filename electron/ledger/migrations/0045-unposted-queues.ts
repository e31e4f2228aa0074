import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A queue of what is left to post: the rows of `source` that have no row in `postings`, with their occurred_at. */
export interface UnpostedQueue {
  queue: 'unposted_movements' | 'unposted_value_credits';
  /** the queue's key: the source row's key */
  key: string;
  source: 'movements' | 'operation_value_credits';
  sourceKey: string;
  postings: 'movement_postings' | 'value_credit_postings';
  /** the postings' column naming the source row */
  postingKey: string;
}

export const UNPOSTED_QUEUES: readonly UnpostedQueue[] = [
  { queue: 'unposted_movements', key: 'seq', source: 'movements', sourceKey: 'seq', postings: 'movement_postings', postingKey: 'movement_seq' },
  { queue: 'unposted_value_credits', key: 'credit_id', source: 'operation_value_credits', sourceKey: 'id', postings: 'value_credit_postings', postingKey: 'credit_id' },
];

/** The queue's rows as they must be: every source row without a posting (an upgrade's fill; the same on PostgreSQL). */
export const fillUnposted = (u: UnpostedQueue): string =>
  `INSERT INTO "${u.queue}" ("${u.key}", "occurred_at")
   SELECT s."${u.sourceKey}", s."occurred_at" FROM "${u.source}" s
   WHERE NOT EXISTS (SELECT 1 FROM "${u.postings}" p WHERE p."${u.postingKey}" = s."${u.sourceKey}") ORDER BY s."${u.sourceKey}"`;

/**
 * Issue 15, an end-of-day posting on a big ledger: what is left to post is read from a queue (`unposted_movements`,
 * `unposted_value_credits`), in (occurred_at, key) order, instead of a NOT EXISTS probe of movement_postings for every
 * movement up to the posting date (about 4 s before the first chunk on a 1,000,000-movement ledger with 1,000 left to
 * post). The database keeps each queue, by triggers, whoever writes: a movement's (value credit's) insert adds its row;
 * its posting's insert removes it, in the chunk's transaction; a posting's delete (a batch reversed) puts it back, in
 * the reversal's transaction; a posting moved to another movement does both. So a backdated movement is in the next
 * batch, a reversal makes its movements postable again, and kill -9 at any instant leaves queue and postings agreeing
 * (one transaction). The upgrade fills each queue from the postings that exist.
 */
export class UnpostedQueues1732400004500 implements MigrationInterface {
  name = 'UnpostedQueues1732400004500';

  async up(q: QueryRunner): Promise<void> {
    for (const u of UNPOSTED_QUEUES) {
      await q.query(`CREATE TABLE "${u.queue}" ("${u.key}" integer PRIMARY KEY NOT NULL, "occurred_at" bigint NOT NULL)`);
      await q.query(fillUnposted(u));
      await q.query(`CREATE INDEX "IDX_${u.queue}_occurred" ON "${u.queue}" ("occurred_at", "${u.key}")`);
      const add = (row: 'NEW' | 'OLD', from: string) =>
        `INSERT INTO "${u.queue}" ("${u.key}", "occurred_at") SELECT "${u.sourceKey}", "occurred_at" FROM "${u.source}" WHERE "${u.sourceKey}" = ${row}."${from}";`;
      const remove = `DELETE FROM "${u.queue}" WHERE "${u.key}" = NEW."${u.postingKey}";`;
      await q.query(`CREATE TRIGGER "TRG_${u.source}_unposted" AFTER INSERT ON "${u.source}" BEGIN
        INSERT INTO "${u.queue}" ("${u.key}", "occurred_at") VALUES (NEW."${u.sourceKey}", NEW."occurred_at"); END`);
      await q.query(`CREATE TRIGGER "TRG_${u.postings}_posted" AFTER INSERT ON "${u.postings}" BEGIN ${remove} END`);
      await q.query(`CREATE TRIGGER "TRG_${u.postings}_released" AFTER DELETE ON "${u.postings}" BEGIN ${add('OLD', u.postingKey)} END`);
      await q.query(`CREATE TRIGGER "TRG_${u.postings}_moved" AFTER UPDATE OF "${u.postingKey}" ON "${u.postings}" BEGIN ${add('OLD', u.postingKey)} ${remove} END`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const u of [...UNPOSTED_QUEUES].reverse()) {
      for (const t of [`${u.postings}_moved`, `${u.postings}_released`, `${u.postings}_posted`, `${u.source}_unposted`]) await q.query(`DROP TRIGGER "TRG_${t}"`);
      await q.query(`DROP INDEX "IDX_${u.queue}_occurred"`);
      await q.query(`DROP TABLE "${u.queue}"`);
    }
  }
}
