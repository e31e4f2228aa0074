import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveSchema } from '../../shared/contract/operations.schemas';
import { supplierCreateSchema, supplierUpdateSchema } from '../../shared/contract/suppliers.schemas';
import { COUNTRIES } from '../../shared/countries';
import type { SupplierRecord } from '../../shared/suppliers';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { operationsOps, type OperationsOps } from '../operations/operations.ops';
import { SupplierStore } from './supplier-store';
import { Suppliers } from './suppliers';
import { suppliersOps, type SuppliersOps } from './suppliers.ops';
import { asUser } from '../../test/fixtures/caller';
import { expectFieldRefusal } from '../../test/fixtures/refusal';

let f: Fixture;
let sup: SuppliersOps;
let ops: OperationsOps;
let n = 0;
const key = () => `sup-test-${process.pid}-${++n}`;
const TABLES = ['suppliers', 'product_supplier_codes', 'document_suppliers', 'document_customs', 'documents', 'movements', 'audit_log'];

beforeEach(async () => {
  f = await openFixture();
  const ctx = createWorkerContext(f.ledger, () => undefined);
  sup = suppliersOps(ctx);
  ops = operationsOps(ctx);
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

const count = (table: string) => (f.ledger.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const all = () => JSON.stringify([sup['suppliers.list']({ search: '', includeInactive: true }), f.ledger.db.prepare('SELECT * FROM product_supplier_codes ORDER BY id').all()]);

/** A refusal: an AppError with the code, a message naming the record, the field to mark, and nothing written. */
const expectRefused = (fn: () => unknown, code: string, field: string, pattern: RegExp) => expectFieldRefusal(() => [TABLES.map(count), all()], fn, code, field, pattern);

const supplier = (over: Record<string, unknown> = {}) => supplierCreateSchema.parse({ code: 'ACME', name: 'Acme Foods', country: 'fr', ...over });
const asUpdate = (s: SupplierRecord, over: Record<string, unknown> = {}) =>
  supplierUpdateSchema.parse({
    id: s.id, code: s.code, name: s.name, country: s.country, inEc: s.inEc, contactName: s.contactName, email: s.email, phone: s.phone,
    address: s.address, notes: s.notes, active: s.active, ...over,
  });
const receive = (supplierId: number | undefined, over: Record<string, unknown> = {}) =>
  ops['operations.receive'](receiveSchema.parse({
      idempotencyKey: key(),
      kind: 'supplier_order',
      siteId: f.ids.wh,
      ...(supplierId === undefined ? {} : { supplierId }),
      lines: [{ productId: f.ids.bulk, qty: 2000, binId: f.ids.binA, unitCost: 15_000 }],
      ...over,
    }), asUser(f.ids.admin));

describe('countries', () => {
  it('holds the 249 ISO 3166-1 alpha-2 codes once each, and the 27 EU member states are in the EC (GB, CH, NO are not)', () => {
    expect(COUNTRIES).toHaveLength(249);
    expect(new Set(COUNTRIES.map((c) => c.code)).size).toBe(249);
    expect(COUNTRIES.filter((c) => c.ec)).toHaveLength(27);
    const ec = (code: string) => COUNTRIES.find((c) => c.code === code)?.ec;
    expect([ec('FR'), ec('DE'), ec('IE'), ec('HR'), ec('GB'), ec('CH'), ec('NO'), ec('US')]).toEqual([true, true, true, true, false, false, false, false]);
    expect(COUNTRIES.find((c) => c.code === 'UK')).toBeUndefined();
  });
});

describe('suppliers', () => {
  it('creates a supplier with its contact fields; "in the EC" comes from the country unless it is set; the change is audited', () => {
    const fr = sup['suppliers.create'](supplier({ contactName: ' Marie Dupont ', email: 'orders@acme.fr', phone: '+33 1 23 45 67 89', notes: 'Delivers Tuesdays' }), asUser(f.ids.admin));
    expect(fr).toMatchObject({ code: 'ACME', name: 'Acme Foods', country: 'FR', inEc: true, contactName: 'Marie Dupont', email: 'orders@acme.fr', active: true, receiptCount: 0, codeCount: 0 });
    const gb = sup['suppliers.create'](supplier({ code: 'BRIT', name: 'British Produce', country: 'GB' }), asUser(f.ids.admin));
    expect(gb.inEc).toBe(false);
    // Overridden: a French supplier invoicing from outside the EC.
    const over = sup['suppliers.create'](supplier({ code: 'ACME-CH', name: 'Acme Suisse', country: 'FR', inEc: false }), asUser(f.ids.admin));
    expect(over.inEc).toBe(false);
    const entry = f.ledger.db.prepare("SELECT username, detail FROM audit_log WHERE action = 'master-data-changed' ORDER BY id LIMIT 1").get() as { username: string; detail: string };
    expect(entry.username).toBe('admin');
    expect(JSON.parse(entry.detail)).toMatchObject({ record: 'supplier', label: 'ACME', before: null, after: { code: 'ACME', country: 'FR', inEc: true } });
    expect(sup['suppliers.list']({ search: 'brit', includeInactive: true }).map((s) => s.code)).toEqual(['BRIT']);
  });

  it('changes a supplier with before and after in the audit log; changing the country moves "in the EC" unless it is set', () => {
    const s = sup['suppliers.create'](supplier(), asUser(f.ids.admin));
    const moved = sup['suppliers.update']({ ...asUpdate(s, { country: 'US' }), inEc: undefined }, asUser(f.ids.admin));
    expect(moved).toMatchObject({ country: 'US', inEc: false });
    const kept = sup['suppliers.update'](asUpdate(moved, { country: 'DE', inEc: false }), asUser(f.ids.admin));
    expect(kept).toMatchObject({ country: 'DE', inEc: false });
    const last = f.ledger.db.prepare("SELECT detail FROM audit_log WHERE action = 'master-data-changed' ORDER BY id DESC LIMIT 1").get() as { detail: string };
    expect(JSON.parse(last.detail)).toMatchObject({ record: 'supplier', label: 'ACME', before: { country: 'US' }, after: { country: 'DE', inEc: false } });
  });

  it('refuses a duplicate code or name in any case, naming the field, and writes nothing', () => {
    const s = sup['suppliers.create'](supplier(), asUser(f.ids.admin));
    expectRefused(() => sup['suppliers.create'](supplier({ code: 'acme', name: 'Other' }), asUser(f.ids.admin)), 'CONFLICT', 'code', /Another supplier already has the code acme/);
    expectRefused(() => sup['suppliers.create'](supplier({ code: 'OTHER', name: 'ACME FOODS' }), asUser(f.ids.admin)), 'CONFLICT', 'name', /Another supplier is already called ACME FOODS/);
    const other = sup['suppliers.create'](supplier({ code: 'B', name: 'Bravo' }), asUser(f.ids.admin));
    expectRefused(() => sup['suppliers.update'](asUpdate(other, { code: 'Acme' }), asUser(f.ids.admin)), 'CONFLICT', 'code', /Another supplier already has the code Acme/);
    // A supplier keeps its own code and name when saved again.
    expect(sup['suppliers.update'](asUpdate(s, { name: 'acme foods' }), asUser(f.ids.admin)).name).toBe('acme foods');
  });

  it('refuses a country that is not an ISO 3166 code, naming the supplier and the field, and writes nothing', () => {
    expectRefused(() => sup['suppliers.create'](supplier({ country: 'UK' }), asUser(f.ids.admin)), 'VALIDATION', 'country', /Supplier ACME: UK is not an ISO 3166 country code\. The United Kingdom is GB\./);
    const s = sup['suppliers.create'](supplier(), asUser(f.ids.admin));
    expectRefused(() => sup['suppliers.update'](asUpdate(s, { country: 'XX' }), asUser(f.ids.admin)), 'VALIDATION', 'country', /Supplier ACME: XX is not an ISO 3166 country code/);
    // The contract refuses what is not two letters before the rules see it.
    expect(supplierCreateSchema.safeParse({ code: 'A', name: 'A', country: 'France' }).error?.issues[0]).toMatchObject({ path: ['country'] });
    expect(supplierCreateSchema.safeParse({ code: 'A', name: 'A', country: 'FR', email: 'not-an-email' }).error?.issues[0]).toMatchObject({ path: ['email'] });
  });

  it('refuses to change a supplier that does not exist', () => {
    const s = sup['suppliers.create'](supplier(), asUser(f.ids.admin));
    expectRefused(() => sup['suppliers.update']({ ...asUpdate(s), id: 999 }, asUser(f.ids.admin)), 'NOT_FOUND', 'id', /That supplier no longer exists/);
  });

  it('deactivates a supplier (it stays listed, but not among the active ones the Receive form offers)', () => {
    const s = sup['suppliers.create'](supplier(), asUser(f.ids.admin));
    sup['suppliers.create'](supplier({ code: 'B', name: 'Bravo', country: 'IT' }), asUser(f.ids.admin));
    expect(sup['suppliers.update'](asUpdate(s, { active: false }), asUser(f.ids.admin)).active).toBe(false);
    expect(sup['suppliers.list']({ search: '', includeInactive: true }).map((x) => x.code)).toEqual(['ACME', 'B']);
    expect(sup['suppliers.list']({ search: '', includeInactive: false }).map((x) => x.code)).toEqual(['B']);
  });

  it('creates or updates by code inside a caller-owned transaction (catalog import), all or nothing', () => {
    const rules = new Suppliers(new SupplierStore(f.ledger.db));
    const run = f.ledger.db.transaction((rows: { code: string; name: string; country: string }[]) => rows.map((r) => rules.saveByCode(r, f.ids.admin)));
    const first = run([{ code: 'ACME', name: 'Acme', country: 'FR' }, { code: 'BRIT', name: 'Brit', country: 'GB' }]);
    expect(first.map((r) => [r.supplier.code, r.created, r.supplier.inEc])).toEqual([['ACME', true, true], ['BRIT', true, false]]);
    const again = run([{ code: 'acme', name: 'Acme SA', country: 'BE' }]);
    expect(again.map((r) => [r.supplier.code, r.created, r.supplier.name])).toEqual([['acme', false, 'Acme SA']]);
    // A bad row refuses the whole import: the first row's change is rolled back too.
    const before = all();
    expect(() => run([{ code: 'ACME', name: 'Renamed', country: 'FR' }, { code: 'C', name: 'Brit', country: 'GB' }])).toThrow(/Another supplier is already called Brit/);
    expect(all()).toEqual(before);
  });
});

describe('supplier codes', () => {
  it("adds a product's code at a supplier, lists it by supplier and by product, and removes it, each audited", () => {
    const a = sup['suppliers.create'](supplier(), asUser(f.ids.admin));
    const b = sup['suppliers.create'](supplier({ code: 'B', name: 'Bravo', country: 'IT' }), asUser(f.ids.admin));
    const c1 = sup['suppliers.codeAdd']({ supplierId: a.id, productId: f.ids.bulk, code: ' RIZ-1 ' }, asUser(f.ids.admin));
    expect(c1).toMatchObject({ code: 'RIZ-1', supplierCode: 'ACME', sku: 'RICE-1KG' });
    // The same code at another supplier is another catalogue: allowed.
    sup['suppliers.codeAdd']({ supplierId: b.id, productId: f.ids.lot, code: 'RIZ-1' }, asUser(f.ids.admin));
    sup['suppliers.codeAdd']({ supplierId: b.id, productId: f.ids.bulk, code: 'R1000' }, asUser(f.ids.admin));
    expect(sup['suppliers.codes']({ supplierId: b.id }).map((c) => `${c.code}:${c.sku}`)).toEqual(['R1000:RICE-1KG', 'RIZ-1:CLARET-75']);
    expect(sup['suppliers.codes']({ productId: f.ids.bulk }).map((c) => `${c.supplierName}:${c.code}`)).toEqual(['Acme Foods:RIZ-1', 'Bravo:R1000']);
    expect(sup['suppliers.list']({ search: 'Bravo', includeInactive: true })[0]!.codeCount).toBe(2);
    expect(sup['suppliers.codeRemove']({ id: c1.id }, asUser(f.ids.admin))).toEqual({ removed: true });
    expect(sup['suppliers.codes']({ productId: f.ids.bulk }).map((c) => c.code)).toEqual(['R1000']);
    const details = (f.ledger.db.prepare("SELECT detail FROM audit_log WHERE detail LIKE '%supplier-code%' ORDER BY id").all() as { detail: string }[]).map((r) => JSON.parse(r.detail));
    expect(details.map((d) => [d.label, d.before === null, d.after === null])).toEqual([
      ['ACME RIZ-1', true, false],
      ['B RIZ-1', true, false],
      ['B R1000', true, false],
      ['ACME RIZ-1', false, true],
    ]);
  });

  it('refuses a supplier code that already belongs to another product of the same supplier (any case), and writes nothing', () => {
    const a = sup['suppliers.create'](supplier(), asUser(f.ids.admin));
    sup['suppliers.codeAdd']({ supplierId: a.id, productId: f.ids.bulk, code: 'RIZ-1' }, asUser(f.ids.admin));
    expectRefused(
      () => sup['suppliers.codeAdd']({ supplierId: a.id, productId: f.ids.lot, code: 'riz-1' }, asUser(f.ids.admin)),
      'CONFLICT',
      'code',
      /Acme Foods's code RIZ-1 already belongs to RICE-1KG\. A supplier code belongs to one product per supplier/,
    );
    expectRefused(() => sup['suppliers.codeAdd']({ supplierId: a.id, productId: f.ids.bulk, code: 'RIZ-1' }, asUser(f.ids.admin)), 'CONFLICT', 'code', /already recorded for RICE-1KG/);
  });

  it('refuses a code for an unknown supplier or product, and removing a code that is gone', () => {
    const a = sup['suppliers.create'](supplier(), asUser(f.ids.admin));
    expectRefused(() => sup['suppliers.codeAdd']({ supplierId: 999, productId: f.ids.bulk, code: 'X' }, asUser(f.ids.admin)), 'NOT_FOUND', 'supplierId', /That supplier no longer exists/);
    expectRefused(() => sup['suppliers.codeAdd']({ supplierId: a.id, productId: 999, code: 'X' }, asUser(f.ids.admin)), 'NOT_FOUND', 'productId', /That product no longer exists/);
    expectRefused(() => sup['suppliers.codeRemove']({ id: 999 }, asUser(f.ids.admin)), 'NOT_FOUND', 'id', /That supplier code no longer exists/);
  });
});

describe('receiving from a supplier (the real Receive operation)', () => {
  it('records the supplier on the document, shows it on the document and in recent documents, and marks a non-EC supplier for customs', () => {
    const us = sup['suppliers.create'](supplier({ code: 'NAPA', name: 'Napa Imports', country: 'US' }), asUser(f.ids.admin));
    const fr = sup['suppliers.create'](supplier(), asUser(f.ids.admin));
    const r1 = receive(us.id);
    expect(r1.movementCount).toBe(1);
    const r2 = receive(fr.id);
    const r3 = receive(undefined);
    expect(ops['operations.document']({ documentId: r1.documentId! })).toMatchObject({ supplierName: 'Napa Imports', lines: [{ sku: 'RICE-1KG', qty: 2000 }] });
    expect(ops['operations.document']({ documentId: r3.documentId! }).supplierName).toBeNull();
    expect(ops['operations.recentDocuments']({ types: ['receipt'], limit: 10 }).map((d) => d.supplierName)).toEqual([null, 'Acme Foods', 'Napa Imports']);
    const customs = f.ledger.db.prepare('SELECT document_id AS d, non_ec AS nonEc, customs_duty_paid AS paid FROM document_customs ORDER BY document_id').all();
    expect(customs).toEqual([
      { d: r1.documentId, nonEc: 1, paid: 0 },
      { d: r2.documentId, nonEc: 0, paid: 0 },
    ]);
    expect(f.ledger.db.prepare('SELECT counterparty FROM operation_documents WHERE document_id = ?').get(r1.documentId)).toEqual({ counterparty: 'Napa Imports' });
    expect(sup['suppliers.list']({ search: 'NAPA', includeInactive: true })[0]!.receiptCount).toBe(1);
    // The review step checks the supplier too and writes nothing.
    const reviewed = ops['operations.review']({ operation: 'receive', input: receiveSchema.parse({ idempotencyKey: key(), kind: 'supplier_order', siteId: f.ids.wh, supplierId: us.id, lines: [{ productId: f.ids.bulk, qty: 1000, unitCost: 1 }] }) }, asUser(f.ids.admin));
    expect(reviewed.movements).toHaveLength(1);
    expect(count('document_suppliers')).toBe(2);
  });

  it('refuses an inactive or unknown supplier naming the supplier field, and posts nothing', () => {
    const s = sup['suppliers.create'](supplier(), asUser(f.ids.admin));
    sup['suppliers.update'](asUpdate(s, { active: false }), asUser(f.ids.admin));
    expectRefused(() => receive(s.id), 'CONFLICT', 'supplierId', /Supplier Acme Foods is inactive, so it cannot be picked on a new receipt/);
    expectRefused(() => receive(999), 'NOT_FOUND', 'supplierId', /The supplier picked for this receipt does not exist/);
    // Reactivated, it can be picked again; its past receipts stay whatever its state.
    sup['suppliers.update'](asUpdate(s, { active: true }), asUser(f.ids.admin));
    const r = receive(s.id);
    sup['suppliers.update'](asUpdate(s, { active: false }), asUser(f.ids.admin));
    expect(ops['operations.document']({ documentId: r.documentId! }).supplierName).toBe('Acme Foods');
  });
});
