import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A queue of what is left to post: the rows of `source` that have no row in `postings`, keyed (occurred_at, key). */
export interface UnpostedQueue {
  queue: 'unposted_movements' | 'unposted_value_credits';
  /** the queue's key after occurred_at: the source row's key */
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
  `INSERT INTO "${u.queue}" ("occurred_at", "${u.key}")
   SELECT s."occurred_at", s."${u.sourceKey}" FROM "${u.source}" s
   WHERE NOT EXISTS (SELECT 1 FROM "${u.postings}" p WHERE p."${u.postingKey}" = s."${u.sourceKey}") ORDER BY s."occurred_at", s."${u.sourceKey}"`;

/** The posted trigger's statement: the queue row of the source row `key` (an expression), found by its whole key. */
export const unqueue = (u: UnpostedQueue, key: string): string =>
  `DELETE FROM "${u.queue}" WHERE "occurred_at" = (SELECT "occurred_at" FROM "${u.source}" WHERE "${u.sourceKey}" = ${key}) AND "${u.key}" = ${key}`;

/**
 * Issue 15, an end-of-day posting on a big ledger: what is left to post is read from a queue (`unposted_movements`,
 * `unposted_value_credits`) keyed (occurred_at, key), the order a batch posts in, instead of a NOT EXISTS probe of
 * movement_postings for every movement up to the posting date (about 4 s before the first chunk on a 1,000,000-movement
 * ledger with 1,000 left to post). Each queue is one WITHOUT ROWID b-tree and nothing else.
 *
 * The code that inserts a movement or a value credit writes its queue row, in the same transaction: DocumentPoster.postMany
 * one INSERT … SELECT for the whole set it posted, ValueCreditStore beside each credit (insert-sites.test.ts fails if a
 * movement or credit insert appears anywhere else). No trigger on movements: a per-row AFTER INSERT trigger there made
 * every movement insert several times dearer (reverted 3ff505d). The posting side is kept by triggers on the postings:
 * a posting's insert removes the row, in the chunk's transaction; a posting's delete (a batch reversed) puts it back, in
 * the reversal's transaction; a posting moved to another movement does both. The upgrade fills each queue from the
 * postings that exist.
 */
export class UnpostedQueues1732400004500 implements MigrationInterface {
  name = 'UnpostedQueues1732400004500';

  async up(q: QueryRunner): Promise<void> {
    for (const u of UNPOSTED_QUEUES) {
      await q.query(`CREATE TABLE "${u.queue}" ("occurred_at" bigint NOT NULL, "${u.key}" integer NOT NULL, PRIMARY KEY ("occurred_at", "${u.key}")) WITHOUT ROWID`);
      await q.query(fillUnposted(u));
      const add = (row: 'NEW' | 'OLD', from: string) =>
        `INSERT INTO "${u.queue}" ("occurred_at", "${u.key}") SELECT "occurred_at", "${u.sourceKey}" FROM "${u.source}" WHERE "${u.sourceKey}" = ${row}."${from}";`;
      const remove = (row: 'NEW' | 'OLD') => `${unqueue(u, `${row}."${u.postingKey}"`)};`;
      await q.query(`CREATE TRIGGER "TRG_${u.postings}_posted" AFTER INSERT ON "${u.postings}" BEGIN ${remove('NEW')} END`);
      await q.query(`CREATE TRIGGER "TRG_${u.postings}_released" AFTER DELETE ON "${u.postings}" BEGIN ${add('OLD', u.postingKey)} END`);
      await q.query(`CREATE TRIGGER "TRG_${u.postings}_moved" AFTER UPDATE OF "${u.postingKey}" ON "${u.postings}" BEGIN ${add('OLD', u.postingKey)} ${remove('NEW')} END`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const u of [...UNPOSTED_QUEUES].reverse()) {
      for (const t of [`${u.postings}_moved`, `${u.postings}_released`, `${u.postings}_posted`]) await q.query(`DROP TRIGGER "TRG_${t}"`);
      await q.query(`DROP TABLE "${u.queue}"`);
    }
  }
}
