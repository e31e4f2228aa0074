import { beforeAll, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../../shared/contract/transport';
import type { CountLine, CountSessionInfo, CountSheet } from '../../../shared/counts';
import type { ProductRecord, SiteRecord } from '../../../shared/masterdata';
import type { DraftDetail, DraftLine } from '../../../shared/operations';
import type { StaleRecordDetails } from '../../../shared/record-version';
import type { CallContext } from '../../app/dispatcher';
import type { Stockbook } from '../../app/compose';
import { appForFile } from '../../../test/fixtures/configured-app';
import { STORE_UNDER_TEST } from '../../../test/fixtures/store-under-test';

/** The app on the configured store: a SQLite file, or PostgreSQL (where two servers may save the same record) in `npm run test:unit:pg`. */
const opened = appForFile('versions');
let app: Stockbook;
/** Two people at two desktops: Ann (the administrator) and Ben. */
let ann: CallContext;
let ben: CallContext;

const call = async <T>(ctx: CallContext, method: string, input: unknown): Promise<T> => {
  const o: CallOutcome = await app.dispatch(method, input, ctx);
  if (!o.ok) throw Object.assign(new Error(o.error.message), o.error);
  return o.result as T;
};
const refusal = async (ctx: CallContext, method: string, input: unknown) => {
  const o = await app.dispatch(method, input, ctx);
  if (o.ok) throw new Error(`${method} was not refused`);
  return o.error as { code: string; message: string; details: StaleRecordDetails };
};
/** The company's format (this machine's until the company is saved: en-GB or en-US here), to the minute, never an ISO timestamp. */
const COMPANY_TIME = /^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}( [AP]M)?$/;

beforeAll(async () => {
  app = opened().app;
  ann = app.session;
  await call(ann, 'users.create', { username: 'ben', displayName: 'Ben Baker', permissions: ['read:stock', 'post:movements', 'manage:products', 'manage:sites', 'create:stock-count'] });
  const bens = await call<{ id: number; permissions: string[] }[]>(ann, 'users.list', {});
  const b = bens.find((u) => (u as unknown as { username: string }).username === 'ben')!;
  ben = { userId: b.id, username: 'ben', permissions: [...b.permissions, 'sign:in'] };
}, 120_000);

describe(`optimistic versioning: the second of two saves from the same version is refused, names who and when, and writes nothing (${STORE_UNDER_TEST})`, () => {
  let site: SiteRecord;
  let product: ProductRecord;

  it('a site', async () => {
    site = await call<SiteRecord>(ann, 'masterdata.siteCreate', { code: 'WH', name: 'Warehouse', kind: 'warehouse', allowNegative: false });
    expect(site.version).toBe(1);
    // Both open version 1; Ben saves first.
    const bens = await call<SiteRecord>(ben, 'masterdata.siteUpdate', { id: site.id, version: 1, code: 'WH', name: 'Main warehouse', kind: 'warehouse', allowNegative: false, active: true });
    expect(bens.version).toBe(2);
    const refused = await refusal(ann, 'masterdata.siteUpdate', { id: site.id, version: 1, code: 'WH', name: 'Back store', kind: 'shop', allowNegative: true, active: true });
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(/^Site Main warehouse was changed by Ben Baker at \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}( [AP]M)? after you opened it, so your change was not saved\. Reload/);
    expect(refused.details).toMatchObject({ field: 'version', stale: true, record: 'site', id: site.id, version: 2, changedBy: 'Ben Baker', current: { name: 'Main warehouse', kind: 'warehouse', version: 2 } });
    expect(refused.details.changedAt).toMatch(COMPANY_TIME);
    // Nothing of Ann's save was written.
    const now = (await call<SiteRecord[]>(ann, 'masterdata.sites', {})).find((s) => s.id === site.id)!;
    expect(now).toMatchObject({ name: 'Main warehouse', kind: 'warehouse', allowNegative: false, version: 2 });
    // After reloading (version 2) Ann's save goes through.
    expect(await call<SiteRecord>(ann, 'masterdata.siteUpdate', { id: site.id, version: 2, code: 'WH', name: 'Back store', kind: 'shop', allowNegative: false, active: true })).toMatchObject({ version: 3, name: 'Back store' });
    site = { ...site, version: 3 };
  });

  it('a product (its barcodes and per-site settings not written either)', async () => {
    const fields = { sku: 'OIL', name: 'Olive oil', unit: 'l', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, active: true };
    product = await call<ProductRecord>(ann, 'masterdata.productCreate', fields);
    await call<ProductRecord>(ben, 'masterdata.productUpdate', { ...fields, id: product.id, version: 1, name: 'Extra virgin olive oil' });
    const refused = await refusal(ann, 'masterdata.productUpdate', { ...fields, id: product.id, version: 1, name: 'Cooking oil', barcodes: ['4006381333931'], lowStockLevel: 5 });
    expect(refused.message).toMatch(/^Product OIL was changed by Ben Baker at .+ after you opened it/);
    expect(refused.details).toMatchObject({ record: 'product', id: product.id, version: 2, changedBy: 'Ben Baker', current: { name: 'Extra virgin olive oil', barcodes: [] } });
    expect(await call<ProductRecord>(ann, 'masterdata.product', { id: product.id })).toMatchObject({ name: 'Extra virgin olive oil', barcodes: [], lowStockLevel: null, version: 2 });
  });

  it('a save without a version (the CLI, a catalog import) still saves over whatever is there', async () => {
    const fields = { sku: 'OIL', name: 'Olive oil', unit: 'l', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, active: true };
    expect(await call<ProductRecord>(ann, 'masterdata.productUpdate', { ...fields, id: product.id })).toMatchObject({ name: 'Olive oil', version: 3 });
  });

  it('an adjustment draft, and a line of it', async () => {
    const draft = await call<DraftDetail>(ann, 'operations.draftCreate', { name: 'Breakage', siteId: site.id, effectiveAt: new Date().toISOString() });
    expect(draft.version).toBe(1);
    await call(ben, 'operations.draftUpdate', { draftId: draft.id, version: 1, note: 'Dropped pallet' });
    const refused = await refusal(ann, 'operations.draftUpdate', { draftId: draft.id, version: 1, name: 'Spillage', note: 'Leaking tin' });
    expect(refused.message).toMatch(/^Adjustment "Breakage" was changed by Ben Baker at .+ after you opened it/);
    expect(refused.details).toMatchObject({ record: 'adjustment draft', id: draft.id, version: 2, current: { name: 'Breakage', note: 'Dropped pallet' } });
    expect(await call<DraftDetail>(ann, 'operations.draftGet', { draftId: draft.id })).toMatchObject({ name: 'Breakage', note: 'Dropped pallet', version: 2 });

    const line = await call<DraftLine>(ann, 'operations.draftSaveLine', { draftId: draft.id, productId: product.id, qty: -2, reason: 'damage' });
    expect(line.version).toBe(1);
    expect(await call<DraftLine>(ben, 'operations.draftSaveLine', { draftId: draft.id, lineNo: line.lineNo, version: 1, productId: product.id, qty: -3, reason: 'damage' })).toMatchObject({ qty: -3, version: 2 });
    const lineRefused = await refusal(ann, 'operations.draftSaveLine', { draftId: draft.id, lineNo: line.lineNo, version: 1, productId: product.id, qty: -9, reason: 'damage' });
    expect(lineRefused.message).toMatch(/^Line 1 of adjustment "Breakage" was changed by Ben Baker at .+ after you opened it/);
    expect(lineRefused.details).toMatchObject({ record: 'adjustment draft line', version: 2, changedBy: 'Ben Baker', current: { lineNo: 1, qty: -3 } });
    expect((await call<DraftDetail>(ann, 'operations.draftGet', { draftId: draft.id })).lines).toMatchObject([{ lineNo: 1, qty: -3, version: 2 }]);
  });

  it('a count line', async () => {
    await call(ann, 'operations.receive', { idempotencyKey: 'versions-receipt-1', kind: 'stock_receipt', siteId: site.id, lines: [{ productId: product.id, qty: 10, unitCost: 10_000 }] });
    const count = await call<CountSessionInfo>(ann, 'counts.create', { siteId: site.id });
    const sheet = await call<CountSheet>(ann, 'counts.get', { sessionId: count.id });
    const line = sheet.lines[0]!;
    expect(line.version).toBe(1);
    expect(await call<CountLine>(ben, 'counts.setCounted', { sessionId: count.id, lineId: line.id, countedQty: 8, version: 1 })).toMatchObject({ countedQty: 8, version: 2 });
    const refused = await refusal(ann, 'counts.setCounted', { sessionId: count.id, lineId: line.id, countedQty: 12, version: 1 });
    expect(refused.message).toMatch(/^The count of OIL on .+ was changed by Ben Baker at .+ after you opened it/);
    expect(refused.details).toMatchObject({ record: 'count line', id: line.id, version: 2, changedBy: 'Ben Baker', current: { countedQty: 8 } });
    expect((await call<CountSheet>(ann, 'counts.get', { sessionId: count.id })).lines[0]).toMatchObject({ countedQty: 8, version: 2 });
  });
});
