import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Enquiry's search box finds what a clerk types from the paper in front of them (enquiry/movement-store.ts):
 * - IDX_documents_reference_nocase: documents whose reference (the supplier's delivery note or invoice number typed on a
 *   receipt, a despatch's order number…) starts with the search, letter case folded as LIKE folds it (a range of the index),
 *   with their effective times from the index alone (the enquiry reads a long list of documents nearest the page first).
 * - IDX_operation_documents_counterparty_nocase: documents whose counterparty (a receipt's supplier as typed, a
 *   despatch's customer) starts with the search, the same way.
 * - IDX_serial_units_serial_nocase replaces 0047's BINARY IDX_serial_units_serial: a serial is found whatever the letter
 *   case it is typed in (`sn-1003` finds SN-1003); the operations still match serials exactly, by the unique key.
 */
export class EnquirySearchReferences1732400004900 implements MigrationInterface {
  name = 'EnquirySearchReferences1732400004900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_documents_reference_nocase" ON "documents" ("reference" COLLATE NOCASE, "occurred_at")`);
    await q.query(`CREATE INDEX "IDX_operation_documents_counterparty_nocase" ON "operation_documents" ("counterparty" COLLATE NOCASE)`);
    await q.query(`DROP INDEX "IDX_serial_units_serial"`);
    await q.query(`CREATE INDEX "IDX_serial_units_serial_nocase" ON "serial_units" ("serial" COLLATE NOCASE)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_serial_units_serial_nocase"`);
    await q.query(`CREATE INDEX "IDX_serial_units_serial" ON "serial_units" ("serial")`);
    await q.query(`DROP INDEX "IDX_operation_documents_counterparty_nocase"`);
    await q.query(`DROP INDEX "IDX_documents_reference_nocase"`);
  }
}
