import type Database from 'better-sqlite3';
import { SupplierStore } from './supplier-store';
import { Suppliers, type ReceiptSupplier } from './suppliers';

/** What the Receive operation asks of suppliers: check the one picked, and record it on the posted document. */
export interface ReceiptSuppliers {
  /** Refuses (field supplierId) an unknown or inactive supplier. */
  forReceipt(supplierId: number): ReceiptSupplier;
  /**
   * Inside the posting transaction: the document's supplier, and the two facts of seed 004's customs rule, each from its
   * source: "non-EC" from the supplier's record, "customs duty paid" from the Receive form.
   */
  record(documentId: number, supplier: ReceiptSupplier, customsDutyPaid: boolean): void;
}

export function receiptSuppliers(db: Database.Database): ReceiptSuppliers {
  const store = new SupplierStore(db);
  const rules = new Suppliers(store);
  return {
    forReceipt: (id) => rules.forReceipt(id),
    record: (documentId, s, customsDutyPaid) => store.recordReceiptSupplier(documentId, s.id, !s.inEc, customsDutyPaid),
  };
}
