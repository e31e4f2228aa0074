import type { MigrationInterface, QueryRunner } from 'typeorm';
import { fillUnposted, UNPOSTED_QUEUES, type UnpostedQueue } from '../0045-unposted-queues';

/** The trigger functions of one queue, by the name each trigger and its function take, with the statement each runs. */
export function queueTriggers(u: UnpostedQueue): { name: string; table: string; op: 'INSERT' | 'DELETE' | 'UPDATE'; body: string }[] {
  // Each row found by its key (= ANY of the statement's keys): never a join the planner could make a scan of the queue or of every movement.
  const add = `INSERT INTO "${u.queue}" ("occurred_at", "${u.key}") SELECT "occurred_at", "${u.sourceKey}" FROM "${u.source}" WHERE "${u.sourceKey}" = ANY (ARRAY (SELECT "${u.postingKey}" FROM rows_out));`;
  // The queue's key is (occurred_at, key): each source row found by its key, then its queue row by the whole key.
  const remove = `DELETE FROM "${u.queue}" q USING "${u.source}" s WHERE s."${u.sourceKey}" = ANY (ARRAY (SELECT "${u.postingKey}" FROM rows_in))
    AND q."occurred_at" = s."occurred_at" AND q."${u.key}" = s."${u.sourceKey}";`;
  return [
    { name: `${u.source}_unposted`, table: u.source, op: 'INSERT', body: `INSERT INTO "${u.queue}" ("occurred_at", "${u.key}") SELECT "occurred_at", "${u.sourceKey}" FROM rows_in;` },
    { name: `${u.postings}_posted`, table: u.postings, op: 'INSERT', body: remove },
    { name: `${u.postings}_released`, table: u.postings, op: 'DELETE', body: add },
    { name: `${u.postings}_moved`, table: u.postings, op: 'UPDATE', body: `${add}\n${remove}` },
  ];
}

/** One queue trigger and its function: a statement trigger over the statement's rows (transition tables). */
export async function createQueueTrigger(q: QueryRunner, t: ReturnType<typeof queueTriggers>[number]): Promise<void> {
  await q.query(`CREATE FUNCTION "${t.name}"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      ${t.body}
      RETURN NULL;
    END $$`);
  const tables = t.op === 'INSERT' ? 'NEW TABLE AS rows_in' : t.op === 'DELETE' ? 'OLD TABLE AS rows_out' : 'OLD TABLE AS rows_out NEW TABLE AS rows_in';
  await q.query(`CREATE TRIGGER "${t.name}" AFTER ${t.op} ON "${t.table}" REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION "${t.name}"()`);
}

/**
 * SQLite's migration 0045 on PostgreSQL (issue 15): the unposted queues, keyed (occurred_at, key), filled from the
 * postings that exist, kept by triggers whoever writes (the ledger's INSERT … unnest, COPY, the operations' credits).
 * Statement triggers over the statement's rows (transition tables): one set-based INSERT or DELETE per statement (a
 * posting set's movements and a chunk's postings are one statement each), not one per row, so unlike SQLite's per-row
 * trigger (reverted 3ff505d) the insert path pays one more statement per set (measured: pg-bulk-posting A/B).
 */
export class PgUnpostedQueues1764700001700 implements MigrationInterface {
  name = 'PgUnpostedQueues1764700001700';

  async up(q: QueryRunner): Promise<void> {
    for (const u of UNPOSTED_QUEUES) {
      // Another server may still be writing: no row may land between the fill's snapshot and its trigger, so the fill and
      // the triggers hold back writes to the source and its postings until this migration commits (it runs in its own transaction).
      await q.query(`LOCK TABLE "${u.source}", "${u.postings}" IN SHARE ROW EXCLUSIVE MODE`);
      await q.query(`CREATE TABLE "${u.queue}" ("occurred_at" bigint NOT NULL, "${u.key}" integer NOT NULL, PRIMARY KEY ("occurred_at", "${u.key}"))`);
      await q.query(fillUnposted(u));
      for (const t of queueTriggers(u)) await createQueueTrigger(q, t);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const u of [...UNPOSTED_QUEUES].reverse()) {
      for (const t of queueTriggers(u)) {
        await q.query(`DROP TRIGGER "${t.name}" ON "${t.table}"`);
        await q.query(`DROP FUNCTION "${t.name}"()`);
      }
      await q.query(`DROP TABLE "${u.queue}"`);
    }
  }
}
