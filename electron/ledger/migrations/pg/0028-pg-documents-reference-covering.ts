import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Enquiry's search by a broad reference prefix resolves its documents from the index alone: pg 0024's index on
 * lower(reference COLLATE "C") gave the range, but PostgreSQL read each document's row for its id and to recheck the
 * LIKE (an expression index serves an index-only scan only when it also holds the columns the expression reads). On
 * the 5,000,000-movement bench ledger "PO-" names 53,890 documents: 140 ms warm (21,704 heap pages) then, 10 ms from
 * the index alone with `reference` and `id` included.
 */
export class PgDocumentsReferenceCovering1764700002800 implements MigrationInterface {
  name = 'PgDocumentsReferenceCovering1764700002800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_documents_reference_lower"`);
    await q.query(`CREATE INDEX "IDX_documents_reference_lower" ON "documents" (lower("reference" COLLATE "C")) INCLUDE ("reference", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_documents_reference_lower"`);
    await q.query(`CREATE INDEX "IDX_documents_reference_lower" ON "documents" (lower("reference" COLLATE "C"))`);
  }
}
