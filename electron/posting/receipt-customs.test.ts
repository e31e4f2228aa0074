import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveSchema } from '../../shared/contract/operations.schemas';
import { documentCustomsSchema } from '../../shared/contract/posting.schemas';
import { supplierCreateSchema, supplierUpdateSchema } from '../../shared/contract/suppliers.schemas';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { operationsOps, type OperationsOps } from '../operations/operations.ops';
import { suppliersOps, type SuppliersOps } from '../suppliers/suppliers.ops';
import { runPosting } from './batch-runner';
import { postingOps, type PostingOps } from './posting.ops';
import { PostingStore } from './posting-store';
import { BuiltinLedgerTarget } from './targets/builtin-ledger';
import { asUser } from '../../test/fixtures/caller';
import { expectFieldRefusal } from '../../test/fixtures/refusal';

/**
 * Seed 004: "Customs Duty posted when Supplier … is not in EC and 'Customs Duty Paid' is ticked on the Purchase Order".
 * The two facts come from their own sources — non-EC from the supplier record, "customs duty paid" from the Receive
 * form — and a later correction changes only the second, audited, and never under a posted journal.
 */
let f: Fixture;
let o: OperationsOps;
let sup: SuppliersOps;
let posting: PostingOps;
let store: PostingStore;
let n = 0;
const key = () => `customs-test-${process.pid}-${++n}`;
const ACC = { stock: '1200', grn: '2100', customsRec: '2200' };

beforeEach(async () => {
  f = await openFixture();
  const ctx = createWorkerContext(f.ledger, () => {});
  o = operationsOps(ctx);
  sup = suppliersOps(ctx);
  posting = postingOps(ctx);
  store = new PostingStore(f.ledger.db);
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

const supplier = (code: string, country: string) => sup['suppliers.create'](supplierCreateSchema.parse({ code, name: `${code} Ltd`, country }), asUser(f.ids.admin)).id;
/** 2 kg of rice at £1.50/kg with £0.25/kg customs duty among its on-costs. */
const receive = (over: Record<string, unknown>) =>
  o['operations.receive'](receiveSchema.parse({
      idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, reference: `PO-${n}`,
      lines: [{ productId: f.ids.bulk, qty: 2_000, binId: f.ids.binA, unitCost: 15_000, onCosts: { customs: 2_500, freight: 1_000 } }],
      ...over,
    }), asUser(f.ids.admin)).documentId!;
const customs = (documentId: number) =>
  f.ledger.db.prepare('SELECT non_ec AS nonEc, customs_duty_paid AS paid FROM document_customs WHERE document_id = ?').get(documentId);
/** account → net of the journal lines of one receipt */
const journalOf = (documentId: number) =>
  Object.fromEntries(
    (f.ledger.db
      .prepare('SELECT account, SUM(amount) AS a FROM journal_lines j JOIN movements m ON m.seq = j.movement_seq WHERE m.document_id = ? GROUP BY account ORDER BY account')
      .all(documentId) as { account: string; a: number }[]).map((r) => [r.account, r.a]),
  );
const post = () => runPosting(store, new BuiltinLedgerTarget(store), { to: Date.now() + 60_000, summarised: false, userId: f.ids.admin });
const audits = () => f.ledger.db.prepare("SELECT detail FROM audit_log WHERE action = 'master-data-changed' AND detail LIKE '%receipt-customs%' ORDER BY id").all() as { detail: string }[];
const snapshot = () => JSON.stringify([f.ledger.db.prepare('SELECT * FROM document_customs ORDER BY document_id').all(), f.ledger.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get(), f.ledger.db.prepare('SELECT COUNT(*) AS n FROM documents').get()]);

const expectRefused = (fn: () => unknown, code: string, field: string, pattern: RegExp) => expectFieldRefusal(snapshot, fn, code, field, pattern);

describe('the Receive form records both customs facts, each from its source', () => {
  it('non-EC from the supplier, duty paid from the form: customs posts only for a non-EC supplier with customs duty paid ticked', async () => {
    const us = supplier('NAPA', 'US');
    const fr = supplier('VINS', 'FR');
    const paidUs = receive({ supplierId: us, customsDutyPaid: true });
    const unpaidUs = receive({ supplierId: us });
    const paidFr = receive({ supplierId: fr, customsDutyPaid: true });
    expect([customs(paidUs), customs(unpaidUs), customs(paidFr)]).toEqual([{ nonEc: 1, paid: 1 }, { nonEc: 1, paid: 0 }, { nonEc: 0, paid: 1 }]);

    await post();
    // 2 kg × £1.50 = £3.00 to GRN; 2 kg × £0.25 = £0.50 customs duty, Dr Stock / Cr Customs Duty Recovery; never freight on a receipt
    expect(journalOf(paidUs)).toEqual({ [ACC.stock]: 35_000, [ACC.grn]: -30_000, [ACC.customsRec]: -5_000 });
    expect(journalOf(unpaidUs)).toEqual({ [ACC.stock]: 30_000, [ACC.grn]: -30_000 });
    expect(journalOf(paidFr)).toEqual({ [ACC.stock]: 30_000, [ACC.grn]: -30_000 });
  });

  it('a later change to the supplier record leaves the facts of its past receipts as they were received', () => {
    const us = supplier('NAPA', 'US');
    const doc = receive({ supplierId: us, customsDutyPaid: true });
    const s = sup['suppliers.list']({ search: 'NAPA', includeInactive: true })[0]!;
    sup['suppliers.update'](supplierUpdateSchema.parse({ id: s.id, code: s.code, name: s.name, country: 'FR', contactName: '', email: '', phone: '', address: '', notes: '', active: true }), asUser(f.ids.admin));
    expect(customs(doc)).toEqual({ nonEc: 1, paid: 1 });
  });

  it('refuses "customs duty paid" without a supplier, naming the field, and writes nothing', () => {
    expectRefused(() => receive({ customsDutyPaid: true }), 'VALIDATION', 'customsDutyPaid', /Customs duty paid is ticked but no supplier is picked.*Pick the supplier, or untick Customs duty paid/);
    expect(customs(receive({ customsDutyPaid: false }))).toBeUndefined();
  });
});

describe('a later correction of "customs duty paid"', () => {
  it('changes only customs duty paid (non-EC stays the supplier’s), is audited before → after, and posting reads it', async () => {
    const us = supplier('NAPA', 'US');
    const doc = receive({ supplierId: us, reference: 'PO-77' });
    expect(posting['posting.setDocumentCustoms']({ documentId: doc, customsDutyPaid: true }, asUser(f.ids.admin))).toEqual({ documentId: doc, supplierName: 'NAPA Ltd', nonEc: true, customsDutyPaid: true });
    expect(customs(doc)).toEqual({ nonEc: 1, paid: 1 });
    expect(audits().map((a) => JSON.parse(a.detail))).toEqual([
      {
        record: 'receipt-customs', id: doc, label: 'Receipt PO-77',
        before: { documentId: doc, supplierName: 'NAPA Ltd', nonEc: true, customsDutyPaid: false },
        after: { documentId: doc, supplierName: 'NAPA Ltd', nonEc: true, customsDutyPaid: true },
      },
    ]);
    // the same value again changes nothing and audits nothing
    posting['posting.setDocumentCustoms']({ documentId: doc, customsDutyPaid: true }, asUser(f.ids.admin));
    expect(audits()).toHaveLength(1);
    await post();
    expect(journalOf(doc)[ACC.customsRec]).toBe(-5_000);
  });

  it('the receipt shows its customs facts in words for its document view, and whether it is posted; other documents have none', async () => {
    const doc = receive({ supplierId: supplier('NAPA', 'US'), reference: 'PO-79' });
    expect(posting['posting.documentCustoms']({ documentId: doc })).toEqual({ documentId: doc, document: 'Receipt PO-79', supplierName: 'NAPA Ltd', nonEc: true, customsDutyPaid: false, postedBatch: null });
    const r = await post();
    expect(posting['posting.documentCustoms']({ documentId: doc })).toMatchObject({ customsDutyPaid: false, postedBatch: r.batchId });
    expect(posting['posting.documentCustoms']({ documentId: receive({ reference: 'CASH-2' }) })).toBeNull();
    expect(posting['posting.documentCustoms']({ documentId: 999_999 })).toBeNull();
  });

  it('the contract no longer takes non-EC: it is the supplier’s', () => {
    expect(documentCustomsSchema.safeParse({ documentId: 1, nonEc: true, customsDutyPaid: true }).success).toBe(false);
    expect(documentCustomsSchema.safeParse({ documentId: 1, customsDutyPaid: true }).success).toBe(true);
  });

  it('is refused, writing nothing, for a receipt already posted to finance, naming the batch to reverse first', async () => {
    const doc = receive({ supplierId: supplier('NAPA', 'US'), reference: 'PO-78' });
    const r = await post();
    expectRefused(
      () => posting['posting.setDocumentCustoms']({ documentId: doc, customsDutyPaid: true }, asUser(f.ids.admin)),
      'CONFLICT',
      'customsDutyPaid',
      new RegExp(`Receipt PO-78 is already posted to finance \\(batch ${r.batchId}\\).*Reverse batch ${r.batchId} in the Posting window first`),
    );
  });

  it('is refused, writing nothing, for a receipt without a supplier and for a document that is not a receipt', () => {
    const doc = receive({ reference: 'CASH-1' });
    expectRefused(() => posting['posting.setDocumentCustoms']({ documentId: doc, customsDutyPaid: true }, asUser(f.ids.admin)), 'VALIDATION', 'customsDutyPaid', /Receipt CASH-1 has no supplier, so customs duty is never posted for it/);
    const sale = o['operations.despatch']({ idempotencyKey: key(), kind: 'stock_despatch', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 500 }] }, asUser(f.ids.admin)).documentId!;
    expectRefused(() => posting['posting.setDocumentCustoms']({ documentId: sale, customsDutyPaid: true }, asUser(f.ids.admin)), 'NOT_FOUND', 'documentId', /^Despatch .* is not a receipt/);
    expectRefused(() => posting['posting.setDocumentCustoms']({ documentId: 999_999, customsDutyPaid: true }, asUser(f.ids.admin)), 'NOT_FOUND', 'documentId', /^The document picked is not a receipt/);
  });
});
