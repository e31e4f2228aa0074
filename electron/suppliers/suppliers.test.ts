import { beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../shared/contract/methods';
import { supplierCreateSchema } from '../../shared/contract/suppliers.schemas';
import { COUNTRIES } from '../../shared/countries';
import type { SupplierRecord } from '../../shared/suppliers';
import { expectFieldRefusalOf } from '../../test/fixtures/refusal';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/** On the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`. */
let s: StoreUnderTest;
let n = 0;
const key = () => `sup-test-${process.pid}-${++n}`;
const TABLES = ['suppliers', 'product_supplier_codes', 'document_suppliers', 'document_customs', 'documents', 'movements', 'audit_log'];

storePerTest((opened) => (s = opened));
/** The fixture's master data is audited too: a test reads only the audit entries after it. */
let auditedBefore = 0;
beforeEach(async () => {
  auditedBefore = (await s.rows<{ id: number }>('SELECT COALESCE(MAX(id), 0) AS id FROM audit_log'))[0]!.id;
});

const all = async () => JSON.stringify([await s.call('suppliers.list', { search: '', includeInactive: true }), await s.rows('SELECT * FROM product_supplier_codes ORDER BY id')]);

/** A refusal: an AppError with the code, a message naming the record, the field to mark, and nothing written. */
const expectRefused = (fn: () => Promise<unknown>, code: string, field: string, pattern: RegExp) =>
  expectFieldRefusalOf(async () => [await Promise.all(TABLES.map((t) => s.count(t))), await all()], fn, code, field, pattern);

const supplier = (over: Record<string, unknown> = {}) => ({ code: 'ACME', name: 'Acme Foods', country: 'fr', ...over }) as MethodInput<'suppliers.create'>;
const asUpdate = (x: SupplierRecord, over: Record<string, unknown> = {}) =>
  ({
    id: x.id, code: x.code, name: x.name, country: x.country, inEc: x.inEc, contactName: x.contactName, email: x.email, phone: x.phone,
    address: x.address, notes: x.notes, active: x.active, ...over,
  }) as MethodInput<'suppliers.update'>;
const receive = (supplierId: number | undefined, over: Record<string, unknown> = {}) =>
  s.call('operations.receive', {
    idempotencyKey: key(),
    kind: 'supplier_order',
    siteId: s.ids.wh,
    ...(supplierId === undefined ? {} : { supplierId }),
    lines: [{ productId: s.ids.bulk, qty: 2000, binId: s.ids.binA, unitCost: 15_000 }],
    ...over,
  } as MethodInput<'operations.receive'>);

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
  it('creates a supplier with its contact fields; "in the EC" comes from the country unless it is set; the change is audited', async () => {
    const fr = await s.call('suppliers.create', supplier({ contactName: ' Marie Dupont ', email: 'orders@acme.fr', phone: '+33 1 23 45 67 89', notes: 'Delivers Tuesdays' }));
    expect(fr).toMatchObject({ code: 'ACME', name: 'Acme Foods', country: 'FR', inEc: true, contactName: 'Marie Dupont', email: 'orders@acme.fr', active: true, receiptCount: 0, codeCount: 0 });
    const gb = await s.call('suppliers.create', supplier({ code: 'BRIT', name: 'British Produce', country: 'GB' }));
    expect(gb.inEc).toBe(false);
    // Overridden: a French supplier invoicing from outside the EC.
    const over = await s.call('suppliers.create', supplier({ code: 'ACME-CH', name: 'Acme Suisse', country: 'FR', inEc: false }));
    expect(over.inEc).toBe(false);
    const [entry] = await s.rows<{ username: string; detail: string }>("SELECT username, detail FROM audit_log WHERE action = 'master-data-changed' AND id > ? ORDER BY id LIMIT 1", [auditedBefore]);
    expect(entry!.username).toBe('admin');
    expect(JSON.parse(entry!.detail)).toMatchObject({ record: 'supplier', label: 'ACME', before: null, after: { code: 'ACME', country: 'FR', inEc: true } });
    expect((await s.call('suppliers.list', { search: 'brit', includeInactive: true })).map((x) => x.code)).toEqual(['BRIT']);
  });

  it('changes a supplier with before and after in the audit log; changing the country moves "in the EC" unless it is set', async () => {
    const acme = await s.call('suppliers.create', supplier());
    const moved = await s.call('suppliers.update', { ...asUpdate(acme, { country: 'US' }), inEc: undefined });
    expect(moved).toMatchObject({ country: 'US', inEc: false });
    const kept = await s.call('suppliers.update', asUpdate(moved, { country: 'DE', inEc: false }));
    expect(kept).toMatchObject({ country: 'DE', inEc: false });
    const [last] = await s.rows<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'master-data-changed' ORDER BY id DESC LIMIT 1");
    expect(JSON.parse(last!.detail)).toMatchObject({ record: 'supplier', label: 'ACME', before: { country: 'US' }, after: { country: 'DE', inEc: false } });
  });

  it('refuses a duplicate code or name in any case, naming the field, and writes nothing', async () => {
    const acme = await s.call('suppliers.create', supplier());
    await expectRefused(() => s.call('suppliers.create', supplier({ code: 'acme', name: 'Other' })), 'CONFLICT', 'code', /Another supplier already has the code acme/);
    await expectRefused(() => s.call('suppliers.create', supplier({ code: 'OTHER', name: 'ACME FOODS' })), 'CONFLICT', 'name', /Another supplier is already called ACME FOODS/);
    const other = await s.call('suppliers.create', supplier({ code: 'B', name: 'Bravo' }));
    await expectRefused(() => s.call('suppliers.update', asUpdate(other, { code: 'Acme' })), 'CONFLICT', 'code', /Another supplier already has the code Acme/);
    // A supplier keeps its own code and name when saved again.
    expect((await s.call('suppliers.update', asUpdate(acme, { name: 'acme foods' }))).name).toBe('acme foods');
  });

  it('refuses a country that is not an ISO 3166 code, naming the supplier and the field, and writes nothing', async () => {
    await expectRefused(() => s.call('suppliers.create', supplier({ country: 'UK' })), 'VALIDATION', 'country', /Supplier ACME: UK is not an ISO 3166 country code\. The United Kingdom is GB\./);
    const acme = await s.call('suppliers.create', supplier());
    await expectRefused(() => s.call('suppliers.update', asUpdate(acme, { country: 'XX' })), 'VALIDATION', 'country', /Supplier ACME: XX is not an ISO 3166 country code/);
    // The contract refuses what is not two letters before the rules see it.
    expect(supplierCreateSchema.safeParse({ code: 'A', name: 'A', country: 'France' }).error?.issues[0]).toMatchObject({ path: ['country'] });
    expect(supplierCreateSchema.safeParse({ code: 'A', name: 'A', country: 'FR', email: 'not-an-email' }).error?.issues[0]).toMatchObject({ path: ['email'] });
  });

  it('refuses to change a supplier that does not exist', async () => {
    const acme = await s.call('suppliers.create', supplier());
    await expectRefused(() => s.call('suppliers.update', { ...asUpdate(acme), id: 999 }), 'NOT_FOUND', 'id', /That supplier no longer exists/);
  });

  it('deactivates a supplier (it stays listed, but not among the active ones the Receive form offers)', async () => {
    const acme = await s.call('suppliers.create', supplier());
    await s.call('suppliers.create', supplier({ code: 'B', name: 'Bravo', country: 'IT' }));
    expect((await s.call('suppliers.update', asUpdate(acme, { active: false }))).active).toBe(false);
    expect((await s.call('suppliers.list', { search: '', includeInactive: true })).map((x) => x.code)).toEqual(['ACME', 'B']);
    expect((await s.call('suppliers.list', { search: '', includeInactive: false })).map((x) => x.code)).toEqual(['B']);
  });
});

describe('supplier codes', () => {
  it("adds a product's code at a supplier, lists it by supplier and by product, and removes it, each audited", async () => {
    const a = await s.call('suppliers.create', supplier());
    const b = await s.call('suppliers.create', supplier({ code: 'B', name: 'Bravo', country: 'IT' }));
    const c1 = await s.call('suppliers.codeAdd', { supplierId: a.id, productId: s.ids.bulk, code: ' RIZ-1 ' });
    expect(c1).toMatchObject({ code: 'RIZ-1', supplierCode: 'ACME', sku: 'RICE-1KG' });
    // The same code at another supplier is another catalogue: allowed.
    await s.call('suppliers.codeAdd', { supplierId: b.id, productId: s.ids.lot, code: 'RIZ-1' });
    await s.call('suppliers.codeAdd', { supplierId: b.id, productId: s.ids.bulk, code: 'R1000' });
    expect((await s.call('suppliers.codes', { supplierId: b.id })).map((c) => `${c.code}:${c.sku}`)).toEqual(['R1000:RICE-1KG', 'RIZ-1:CLARET-75']);
    expect((await s.call('suppliers.codes', { productId: s.ids.bulk })).map((c) => `${c.supplierName}:${c.code}`)).toEqual(['Acme Foods:RIZ-1', 'Bravo:R1000']);
    expect((await s.call('suppliers.list', { search: 'Bravo', includeInactive: true }))[0]!.codeCount).toBe(2);
    expect(await s.call('suppliers.codeRemove', { id: c1.id })).toEqual({ removed: true });
    expect((await s.call('suppliers.codes', { productId: s.ids.bulk })).map((c) => c.code)).toEqual(['R1000']);
    const details = (await s.rows<{ detail: string }>("SELECT detail FROM audit_log WHERE detail LIKE '%supplier-code%' ORDER BY id")).map((r) => JSON.parse(r.detail));
    expect(details.map((d) => [d.label, d.before === null, d.after === null])).toEqual([
      ['ACME RIZ-1', true, false],
      ['B RIZ-1', true, false],
      ['B R1000', true, false],
      ['ACME RIZ-1', false, true],
    ]);
  });

  it('refuses a supplier code that already belongs to another product of the same supplier (any case), and writes nothing', async () => {
    const a = await s.call('suppliers.create', supplier());
    await s.call('suppliers.codeAdd', { supplierId: a.id, productId: s.ids.bulk, code: 'RIZ-1' });
    await expectRefused(
      () => s.call('suppliers.codeAdd', { supplierId: a.id, productId: s.ids.lot, code: 'riz-1' }),
      'CONFLICT',
      'code',
      /Acme Foods's code RIZ-1 already belongs to RICE-1KG\. A supplier code belongs to one product per supplier/,
    );
    await expectRefused(() => s.call('suppliers.codeAdd', { supplierId: a.id, productId: s.ids.bulk, code: 'RIZ-1' }), 'CONFLICT', 'code', /already recorded for RICE-1KG/);
  });

  it('refuses a code for an unknown supplier or product, and removing a code that is gone', async () => {
    const a = await s.call('suppliers.create', supplier());
    await expectRefused(() => s.call('suppliers.codeAdd', { supplierId: 999, productId: s.ids.bulk, code: 'X' }), 'NOT_FOUND', 'supplierId', /That supplier no longer exists/);
    await expectRefused(() => s.call('suppliers.codeAdd', { supplierId: a.id, productId: 999, code: 'X' }), 'NOT_FOUND', 'productId', /That product no longer exists/);
    await expectRefused(() => s.call('suppliers.codeRemove', { id: 999 }), 'NOT_FOUND', 'id', /That supplier code no longer exists/);
  });
});

describe('receiving from a supplier (the real Receive operation)', () => {
  it('records the supplier on the document, shows it on the document and in recent documents, and marks a non-EC supplier for customs', async () => {
    const us = await s.call('suppliers.create', supplier({ code: 'NAPA', name: 'Napa Imports', country: 'US' }));
    const fr = await s.call('suppliers.create', supplier());
    const r1 = await receive(us.id);
    expect(r1.movementCount).toBe(1);
    const r2 = await receive(fr.id);
    const r3 = await receive(undefined);
    expect(await s.call('operations.document', { documentId: r1.documentId! })).toMatchObject({ supplierName: 'Napa Imports', lines: [{ sku: 'RICE-1KG', qty: 2000 }] });
    expect((await s.call('operations.document', { documentId: r3.documentId! })).supplierName).toBeNull();
    expect((await s.call('operations.recentDocuments', { types: ['receipt'], limit: 10 })).map((d) => d.supplierName)).toEqual([null, 'Acme Foods', 'Napa Imports']);
    const customs = await s.rows('SELECT document_id AS d, non_ec AS "nonEc", customs_duty_paid AS paid FROM document_customs ORDER BY document_id');
    expect(customs).toEqual([
      { d: r1.documentId, nonEc: 1, paid: 0 },
      { d: r2.documentId, nonEc: 0, paid: 0 },
    ]);
    expect(await s.rows('SELECT counterparty FROM operation_documents WHERE document_id = ?', [r1.documentId])).toEqual([{ counterparty: 'Napa Imports' }]);
    expect((await s.call('suppliers.list', { search: 'NAPA', includeInactive: true }))[0]!.receiptCount).toBe(1);
    // The review step checks the supplier too and writes nothing.
    const reviewed = await s.call('operations.review', { operation: 'receive', input: { idempotencyKey: key(), kind: 'supplier_order', siteId: s.ids.wh, supplierId: us.id, lines: [{ productId: s.ids.bulk, qty: 1000, unitCost: 1 }] } });
    expect(reviewed.movements).toHaveLength(1);
    expect(await s.count('document_suppliers')).toBe(2);
  });

  it('refuses an inactive or unknown supplier naming the supplier field, and posts nothing', async () => {
    const acme = await s.call('suppliers.create', supplier());
    await s.call('suppliers.update', asUpdate(acme, { active: false }));
    await expectRefused(() => receive(acme.id), 'CONFLICT', 'supplierId', /Supplier Acme Foods is inactive, so it cannot be picked on a new receipt/);
    await expectRefused(() => receive(999), 'NOT_FOUND', 'supplierId', /The supplier picked for this receipt does not exist/);
    // Reactivated, it can be picked again; its past receipts stay whatever its state.
    await s.call('suppliers.update', asUpdate(acme, { active: true }));
    const r = await receive(acme.id);
    await s.call('suppliers.update', asUpdate(acme, { active: false }));
    expect((await s.call('operations.document', { documentId: r.documentId! })).supplierName).toBe('Acme Foods');
  });
});
