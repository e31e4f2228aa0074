import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The movement enquiry's batch sets on PostgreSQL (an expiry range, a batch code prefix in the search box: thousands of
 * batches; enquiry/pg/pg-movement-store.ts): the movements that have a batch (about a quarter of them on the
 * 5,000,000-movement bench ledger), in (occurred_at, seq) order, each with its batch. A page whose only predicate is
 * the batch set walks this index newest (or oldest) first and checks each entry's batch against the set, from the index
 * alone (about 300 entries a page), instead of a descent of IDX_movements_batch_occurred per batch of the set (2,144
 * for an expiry month, 3,742 for a broad prefix). A plain btree (no extension: pg_trgm is not needed for a prefix, and a
 * managed server may not allow it). The cost: a posting of a batch's movement writes one more index entry.
 */
export class PgBatchedMovementsIndex1764700001600 implements MigrationInterface {
  name = 'PgBatchedMovementsIndex1764700001600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_movements_batched_occurred" ON "movements" ("occurred_at", "seq") INCLUDE ("batch_id") WHERE "batch_id" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_movements_batched_occurred"`);
  }
}
