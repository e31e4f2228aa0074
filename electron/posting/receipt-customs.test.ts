import { describe, expect, it } from 'vitest';
import type { MethodInput } from '../../shared/contract/methods';
import { documentCustomsSchema } from '../../shared/contract/posting.schemas';
import { expectFieldRefusalOf } from '../../test/fixtures/refusal';
import { postUpTo, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * Seed 004: "Customs Duty posted when Supplier … is not in EC and 'Customs Duty Paid' is ticked on the Purchase Order".
 * The two facts come from their own sources — non-EC from the supplier record, "customs duty paid" from the Receive
 * form — and a later correction changes only the second, audited, and never under a posted journal.
 * On the configured store (test/fixtures/store-under-test.ts).
 */
let s: StoreUnderTest;
let n = 0;
const key = () => `customs-test-${process.pid}-${++n}`;
const ACC = { stock: '1200', grn: '2100', customsRec: '2200' };

storePerTest((opened) => (s = opened));

const supplier = async (code: string, country: string) => (await s.call('suppliers.create', { code, name: `${code} Ltd`, country })).id;
/** 2 kg of rice at £1.50/kg with £0.25/kg customs duty among its on-costs. */
const receive = async (over: Record<string, unknown>) =>
  (await s.call('operations.receive', {
    idempotencyKey: key(), kind: 'supplier_order', siteId: s.ids.wh, reference: `PO-${n}`,
    lines: [{ productId: s.ids.bulk, qty: 2_000, binId: s.ids.binA, unitCost: 15_000, onCosts: { customs: 2_500, freight: 1_000 } }],
    ...over,
  } as MethodInput<'operations.receive'>)).documentId!;
const customs = async (documentId: number) =>
  (await s.rows('SELECT non_ec AS "nonEc", customs_duty_paid AS paid FROM document_customs WHERE document_id = ?', [documentId]))[0];
/** account → net of the journal lines of one receipt */
const journalOf = async (documentId: number) =>
  Object.fromEntries(
    (await s.rows<{ account: string; a: number }>('SELECT account, SUM(amount) AS a FROM journal_lines j JOIN movements m ON m.seq = j.movement_seq WHERE m.document_id = ? GROUP BY account ORDER BY account', [documentId])).map((r) => [r.account, r.a]),
  );
const post = () => postUpTo(s, new Date(Date.now() + 60_000).toISOString());
const audits = () => s.rows<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'master-data-changed' AND detail LIKE '%receipt-customs%' ORDER BY id");
const snapshot = async () => JSON.stringify([await s.rows('SELECT * FROM document_customs ORDER BY document_id'), await s.count('audit_log'), await s.count('documents')]);
const setCustoms = (documentId: number, customsDutyPaid: boolean) => s.call('posting.setDocumentCustoms', { documentId, customsDutyPaid });

const expectRefused = (fn: () => Promise<unknown>, code: string, field: string, pattern: RegExp) => expectFieldRefusalOf(snapshot, fn, code, field, pattern);

describe('the Receive form records both customs facts, each from its source', () => {
  it('non-EC from the supplier, duty paid from the form: customs posts only for a non-EC supplier with customs duty paid ticked', async () => {
    const us = await supplier('NAPA', 'US');
    const fr = await supplier('VINS', 'FR');
    const paidUs = await receive({ supplierId: us, customsDutyPaid: true });
    const unpaidUs = await receive({ supplierId: us });
    const paidFr = await receive({ supplierId: fr, customsDutyPaid: true });
    expect([await customs(paidUs), await customs(unpaidUs), await customs(paidFr)]).toEqual([{ nonEc: 1, paid: 1 }, { nonEc: 1, paid: 0 }, { nonEc: 0, paid: 1 }]);

    await post();
    // 2 kg × £1.50 = £3.00 to GRN; 2 kg × £0.25 = £0.50 customs duty, Dr Stock / Cr Customs Duty Recovery; never freight on a receipt
    expect(await journalOf(paidUs)).toEqual({ [ACC.stock]: 35_000, [ACC.grn]: -30_000, [ACC.customsRec]: -5_000 });
    expect(await journalOf(unpaidUs)).toEqual({ [ACC.stock]: 30_000, [ACC.grn]: -30_000 });
    expect(await journalOf(paidFr)).toEqual({ [ACC.stock]: 30_000, [ACC.grn]: -30_000 });
  });

  it('a later change to the supplier record leaves the facts of its past receipts as they were received', async () => {
    const us = await supplier('NAPA', 'US');
    const doc = await receive({ supplierId: us, customsDutyPaid: true });
    const napa = (await s.call('suppliers.list', { search: 'NAPA', includeInactive: true }))[0]!;
    await s.call('suppliers.update', { id: napa.id, code: napa.code, name: napa.name, country: 'FR', contactName: '', email: '', phone: '', address: '', notes: '', active: true });
    expect(await customs(doc)).toEqual({ nonEc: 1, paid: 1 });
  });

  it('refuses "customs duty paid" without a supplier, naming the field, and writes nothing', async () => {
    await expectRefused(() => receive({ customsDutyPaid: true }), 'VALIDATION', 'customsDutyPaid', /Customs duty paid is ticked but no supplier is picked.*Pick the supplier, or untick Customs duty paid/);
    expect(await customs(await receive({ customsDutyPaid: false }))).toBeUndefined();
  });
});

describe('a later correction of "customs duty paid"', () => {
  it('changes only customs duty paid (non-EC stays the supplier’s), is audited before → after, and posting reads it', async () => {
    const us = await supplier('NAPA', 'US');
    const doc = await receive({ supplierId: us, reference: 'PO-77' });
    expect(await setCustoms(doc, true)).toEqual({ documentId: doc, supplierName: 'NAPA Ltd', nonEc: true, customsDutyPaid: true });
    expect(await customs(doc)).toEqual({ nonEc: 1, paid: 1 });
    expect((await audits()).map((a) => JSON.parse(a.detail))).toEqual([
      {
        record: 'receipt-customs', id: doc, label: 'Receipt PO-77',
        before: { documentId: doc, supplierName: 'NAPA Ltd', nonEc: true, customsDutyPaid: false },
        after: { documentId: doc, supplierName: 'NAPA Ltd', nonEc: true, customsDutyPaid: true },
      },
    ]);
    // the same value again changes nothing and audits nothing
    await setCustoms(doc, true);
    expect(await audits()).toHaveLength(1);
    await post();
    expect((await journalOf(doc))[ACC.customsRec]).toBe(-5_000);
  });

  it('the receipt shows its customs facts in words for its document view, and whether it is posted; other documents have none', async () => {
    const doc = await receive({ supplierId: await supplier('NAPA', 'US'), reference: 'PO-79' });
    expect(await s.call('posting.documentCustoms', { documentId: doc })).toEqual({ documentId: doc, document: 'Receipt PO-79', supplierName: 'NAPA Ltd', nonEc: true, customsDutyPaid: false, postedBatch: null });
    const r = await post();
    expect(await s.call('posting.documentCustoms', { documentId: doc })).toMatchObject({ customsDutyPaid: false, postedBatch: r.batchId });
    expect(await s.call('posting.documentCustoms', { documentId: await receive({ reference: 'CASH-2' }) })).toBeNull();
    expect(await s.call('posting.documentCustoms', { documentId: 999_999 })).toBeNull();
  });

  it('the contract no longer takes non-EC: it is the supplier’s', () => {
    expect(documentCustomsSchema.safeParse({ documentId: 1, nonEc: true, customsDutyPaid: true }).success).toBe(false);
    expect(documentCustomsSchema.safeParse({ documentId: 1, customsDutyPaid: true }).success).toBe(true);
  });

  it('is refused, writing nothing, for a receipt already posted to finance, naming the batch to reverse first', async () => {
    const doc = await receive({ supplierId: await supplier('NAPA', 'US'), reference: 'PO-78' });
    const r = await post();
    await expectRefused(
      () => setCustoms(doc, true),
      'CONFLICT',
      'customsDutyPaid',
      new RegExp(`Receipt PO-78 is already posted to finance \\(batch ${r.batchId}\\).*Reverse batch ${r.batchId} in the Posting window first`),
    );
  });

  it('is refused, writing nothing, for a receipt without a supplier and for a document that is not a receipt', async () => {
    const doc = await receive({ reference: 'CASH-1' });
    await expectRefused(() => setCustoms(doc, true), 'VALIDATION', 'customsDutyPaid', /Receipt CASH-1 has no supplier, so customs duty is never posted for it/);
    const sale = (await s.call('operations.despatch', { idempotencyKey: key(), kind: 'stock_despatch', siteId: s.ids.wh, lines: [{ productId: s.ids.bulk, qty: 500 }] })).documentId!;
    await expectRefused(() => setCustoms(sale, true), 'NOT_FOUND', 'documentId', /^Despatch .* is not a receipt/);
    await expectRefused(() => setCustoms(999_999, true), 'NOT_FOUND', 'documentId', /^The document picked is not a receipt/);
  });
});
