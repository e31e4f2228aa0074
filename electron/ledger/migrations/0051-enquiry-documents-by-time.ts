import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * IDX_documents_occurred_reference: documents in effective-time order with their references, so the Enquiry's search by
 * a broad reference prefix (`PO-`: 10,607 of the 170,779 documents of the 1,000,006-movement demo ledger) walks the
 * documents nearest the page in time, a few index entries per document taken (enquiry/movement-store.ts
 * documentsByReference), instead of listing every document the prefix names (0049's index gives them in reference order).
 * One entry per document, not per movement.
 */
export class EnquiryDocumentsByTime1732400005100 implements MigrationInterface {
  name = 'EnquiryDocumentsByTime1732400005100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_documents_occurred_reference" ON "documents" ("occurred_at", "reference")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_documents_occurred_reference"`);
  }
}
