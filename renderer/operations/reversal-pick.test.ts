import { describe, expect, it } from 'vitest';
import { RECEIPT_REVERSAL_KINDS, REFUND_KINDS, REFUND_OF_SALE, REVERSAL_OF_RECEIPT, type DocumentSummary } from '../../shared/operations';
import { documentToOpen, findDocuments, reversalKindFor, reversibleDocuments, typeChosenText } from './reversal-pick';

const doc = (documentId: number, kind: string | null, reference: string | null): DocumentSummary => ({
  documentId,
  type: 'receipt',
  kind,
  reference,
  occurredAt: '2026-12-01T10:00:00',
  recordedAt: '2026-12-01T10:00:00',
  userName: 'admin',
  movementCount: 1,
  siteName: 'Cellar',
  supplierName: null,
});
const receipts = [doc(12, 'stock_receipt', 'PO-0042'), doc(11, 'supplier_order', 'DEL-7'), doc(10, 'inbound', null), doc(9, null, 'MIXED-1'), doc(8, 'ep_stock_receipt', 'EP-PO-0042')];

describe('finding the document to reverse', () => {
  it('lists every receipt some reversal type reverses, a Stock Receipt included, whatever type is chosen', () => {
    expect(reversibleDocuments(receipts, REVERSAL_OF_RECEIPT).map((d) => d.documentId)).toEqual([12, 11, 10, 9, 8]);
    expect(reversibleDocuments([doc(5, 'transfer', null), ...receipts], REVERSAL_OF_RECEIPT).map((d) => d.documentId)).not.toContain(5);
  });
  it('finds by the start of the number or part of the reference, any case', () => {
    expect(findDocuments(receipts, ' po-0042 ').map((d) => d.documentId)).toEqual([12, 8]);
    expect(findDocuments(receipts, '1').map((d) => d.documentId)).toEqual([12, 11, 10, 9]);
    expect(findDocuments(receipts, '').length).toBe(5);
    expect(findDocuments(receipts, 'nothing')).toEqual([]);
  });
  it('opens on Enter the exact number, the exact reference, or the only one found; never a guess among several', () => {
    expect(documentToOpen(receipts, '12')).toBe(12);
    expect(documentToOpen(receipts, '4711')).toBe(4711);
    expect(documentToOpen(receipts, 'po-0042')).toBe(12);
    expect(documentToOpen(receipts, 'del')).toBe(11);
    expect(documentToOpen(receipts, '0042')).toBeNull();
    // A reference of digits only: that receipt, before a document number not listed.
    expect(documentToOpen([doc(7, 'stock_receipt', '5550'), ...receipts], '5550')).toBe(7);
    expect(documentToOpen(receipts, ' ')).toBeNull();
  });
  it('chooses the reversal type that reverses the document: PO Stock Return for a Stock Receipt, the chosen one when it fits', () => {
    const kinds = RECEIPT_REVERSAL_KINDS;
    expect(reversalKindFor(['stock_receipt'], kinds, REVERSAL_OF_RECEIPT, 'supplier_credit')).toBe('po_stock_return');
    expect(reversalKindFor(['supplier_order'], kinds, REVERSAL_OF_RECEIPT, 'po_stock_return')).toBe('po_stock_return');
    expect(reversalKindFor(['inbound'], kinds, REVERSAL_OF_RECEIPT, 'supplier_credit')).toBe('inbound_reversal');
    expect(reversalKindFor(['ep_stock_receipt'], kinds, REVERSAL_OF_RECEIPT, 'supplier_credit')).toBe('ep_po_stock_return');
    expect(reversalKindFor(['transfer_out'], kinds, REVERSAL_OF_RECEIPT, 'supplier_credit')).toBe('supplier_credit');
    expect(reversalKindFor(['excellar_so_despatch'], REFUND_KINDS, REFUND_OF_SALE, 'sale_refund')).toBe('excellar_so_credit_note');
  });
  it('says which type opening a document chose and why, in the names Type lists (walk: Inbound Reversal became Supplier Credit unsaid)', () => {
    expect(typeChosenText({ documentId: 3, from: 'Inbound Reversal', to: 'Supplier Credit', documentKinds: ['Supplier Order'], fromUndoes: ['Inbound'] })).toBe(
      'Type changed from Inbound Reversal to Supplier Credit: document 3 is a Supplier Order, which a Supplier Credit undoes; an Inbound Reversal undoes only an Inbound.',
    );
    expect(typeChosenText({ documentId: 12, from: 'Supplier Credit', to: 'PO Stock Return', documentKinds: ['Stock Receipt'], fromUndoes: ['Supplier Order', 'Cash Purchase'] })).toBe(
      'Type changed from Supplier Credit to PO Stock Return: document 12 is a Stock Receipt, which a PO Stock Return undoes; a Supplier Credit undoes only a Supplier Order or a Cash Purchase.',
    );
  });
});
