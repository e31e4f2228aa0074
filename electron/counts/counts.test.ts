import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../shared/company-format';
import { countsMethods } from '../../shared/contract/counts.methods';
import { appliedResolution, countVariance, effectiveAdjustment, type CountLine } from '../../shared/counts';
import { expectRefusalOf } from '../../test/fixtures/refusal';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { createDispatcher, type Handlers } from '../app/dispatcher';

/** On the configured store (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`. */
let s: StoreUnderTest;
/** The operations' clock: the wall clock unless a test sets a time (the paper count typed in days later). */
let now: number | undefined;
storePerTest(
  (opened) => {
    s = opened;
    now = undefined;
  },
  { clock: () => now ?? Date.now() },
);

let n = 0;
const key = () => `counts-test-${process.pid}-${++n}`;

/**
 * The stock every test starts from, received through the contract: rice in A-01 and B-01, claret batches L1 and L2 in
 * A-01, beer taps S1–S3 in A-01 and S9 in B-01, rice at the shop.
 */
/** `occurredAt`: dated then (a backdated despatch takes only stock received by its effective time: stock-picker.ts). */
async function receiveCountStock(occurredAt?: string) {
  const { wh, shop, binA, binB, bulk, lot, serial } = s.ids;
  const expiry = '2031-01-31';
  await s.call('operations.receive', {
    idempotencyKey: key(),
    kind: 'stock_receipt',
    siteId: wh,
    dutyPaid: false,
    ...(occurredAt ? { occurredAt } : {}),
    lines: [
      { productId: bulk, binId: binA, qty: 10_000, unitCost: 20_000 },
      { productId: bulk, binId: binB, qty: 4_000, unitCost: 20_000 },
      { productId: lot, binId: binA, batch: { code: 'L1', expiry }, qty: 12, unitCost: 90_000 },
      { productId: lot, binId: binA, batch: { code: 'L2', expiry }, qty: 6, unitCost: 90_000 },
      { productId: serial, binId: binA, serials: ['S1', 'S2', 'S3'], qty: 3, unitCost: 500_000 },
      { productId: serial, binId: binB, serials: ['S9'], qty: 1, unitCost: 500_000 },
    ],
  });
  await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: shop, dutyPaid: false, lines: [{ productId: bulk, qty: 3_000, unitCost: 20_000 }] });
  s.events.length = 0;
}

/** A sale out of the warehouse (`qty` > 0 leaves): rice, or claret of one batch. */
const despatch = (binId: number, qty: number, extra: { occurredAt?: string; batch?: string; siteId?: number } = {}) =>
  s.call('operations.despatch', {
    idempotencyKey: key(),
    kind: 'sale',
    siteId: extra.siteId ?? s.ids.wh,
    ...(extra.occurredAt ? { occurredAt: extra.occurredAt } : {}),
    lines: [{ productId: extra.batch ? s.ids.lot : s.ids.bulk, qty, ...(binId ? { binId } : {}), ...(extra.batch ? { batch: { code: extra.batch } } : {}) }],
  });

const create = async (input: { siteId: number; binId?: number; notes?: string; occurredAt?: string }) => (await s.call('counts.create', input)).id;
const session = (sessionId: number) => s.call('counts.get', { sessionId }).then((sheet) => sheet.session);
const lines = (sessionId: number) => s.call('counts.get', { sessionId }).then((sheet) => sheet.lines);
const line = async (sessionId: number, lineId: number) => (await lines(sessionId)).find((l) => l.id === lineId)!;
const setCounted = (sessionId: number, lineId: number, countedQty: number | null, version?: number) =>
  s.call('counts.setCounted', { sessionId, lineId, countedQty, ...(version === undefined ? {} : { version }) });
const scan = (input: { sessionId: number; code: string; lineId?: number }) => s.call('counts.scan', input);
const complete = (sessionId: number) => s.call('counts.complete', { sessionId });
/** What completing posted: its document (null when nothing to adjust) and how many movements that holds. */
const completed = async (sessionId: number) => {
  const documentId = (await complete(sessionId)).documentId;
  return { documentId, movementCount: documentId === null ? 0 : await s.count(`movements WHERE document_id = ${documentId}`) };
};

const qtyAt = async (productId: number, binId: number | null, batch?: string, siteId = s.ids.wh) =>
  (
    await s.rows<{ q: number }>(
      `SELECT COALESCE(SUM(sl.qty), 0) AS q FROM stock_levels sl LEFT JOIN batches b ON b.id = sl.batch_id
       WHERE sl.product_id = ? AND sl.site_id = ? AND ${binId === null ? 'sl.bin_id IS NULL' : 'sl.bin_id = ?'}${batch === undefined ? '' : ' AND b.code = ?'}`,
      [productId, siteId, ...(binId === null ? [] : [binId]), ...(batch === undefined ? [] : [batch])],
    )
  )[0]!.q;
const lineOf = (all: CountLine[], productId: number, binId: number | null, batch?: string) =>
  all.find((l) => l.productId === productId && l.binId === binId && (batch === undefined || l.batchCode === batch))!;
const movementsOf = (documentId: number) =>
  s.rows<{ productId: number; binId: number | null; type: string; qty: number; note: string; serialId: number | null }>(
    'SELECT product_id AS "productId", bin_id AS "binId", type, qty, note, serial_id AS "serialId" FROM movements WHERE document_id = ? ORDER BY seq',
    [documentId],
  );
const companyInLondon = () => s.call('company.update', { name: 'Test Kitchen Ltd', currency: 'GBP', timeZone: 'Europe/London', locale: 'en-GB', fyStartMonth: 1 });
/** Refused with `code` and a message matching `message`, and the ledger's tables as they were. */
const expectError = (fn: () => Promise<unknown>, code: string, message: RegExp) => expectRefusalOf(() => s.counts(), fn, code, message);

describe('creating a count snapshots every quant in scope', () => {
  it('a full count: one blank line per product/bin/batch at the site, system quantity = the quant, snapshot seq = last movement', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, notes: 'Year end' });
    const lastSeq = (await s.rows<{ s: number }>('SELECT MAX(seq) AS s FROM movements'))[0]!.s;
    expect(await session(id)).toMatchObject({ status: 'DRAFT', siteId: s.ids.wh, binId: null, notes: 'Year end', snapshotSeq: lastSeq, lineCount: 6, countedCount: 0, createdBy: 'Administrator', completedAt: null, backdated: false });
    const all = await lines(id);
    expect(all).toHaveLength(6); // bulk×2 bins, lot×2 batches, serial×2 bins; the shop's stock is not in scope
    expect(all.every((l) => l.countedQty === null && l.movedQty === 0 && l.movedAfterCount === 0)).toBe(true);
    expect(lineOf(all, s.ids.bulk, s.ids.binA)).toMatchObject({ systemQty: 10_000, unitCost: 20_000, resolution: 'by_time' });
    expect(lineOf(all, s.ids.lot, s.ids.binA, 'L2').systemQty).toBe(6);
    expect(lineOf(all, s.ids.serial, s.ids.binA).systemQty).toBe(3);
  });

  it('a single-bin cycle count takes only that bin', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binB });
    expect((await lines(id)).map((l) => [l.sku, l.systemQty])).toEqual([
      ['RICE-1KG', 4_000],
      ['TAP-01', 1],
    ]);
  });

  it('refuses the External pseudo-site and a bin of another site', async () => {
    await receiveCountStock();
    await expectError(() => create({ siteId: s.ids.external }), 'VALIDATION', /not a site that holds stock/);
    await expectError(() => create({ siteId: s.ids.shop, binId: s.ids.binA }), 'VALIDATION', /not a bin of Soho Bar/);
    expect(await s.call('counts.list', {})).toEqual([]);
  });

  it('refuses a deactivated site or bin, and does not offer a deactivated bin', async () => {
    const bar = (await s.call('masterdata.sites', {})).find((x) => x.id === s.ids.shop)!;
    await s.call('masterdata.siteUpdate', { id: bar.id, code: bar.code, name: bar.name, kind: 'shop', allowNegative: false, active: false });
    await expectError(() => create({ siteId: s.ids.shop }), 'CONFLICT', /Soho Bar is inactive, so it cannot be counted/);
    await s.call('masterdata.binUpdate', { id: s.ids.binB, code: 'B-01', name: 'B-01', stockStatus: 'sellable', active: false });
    await expectError(() => create({ siteId: s.ids.wh, binId: s.ids.binB }), 'CONFLICT', /Bin B-01 at Central Warehouse is inactive/);
    expect((await s.call('counts.bins', { siteId: s.ids.wh })).map((b) => b.id)).not.toContain(s.ids.binB);
    expect(await s.call('counts.list', {})).toEqual([]);
  });
});

describe('counting lines', () => {
  it('variance = counted − system; blank again with null; edits autosave; a save from an old version is refused', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh });
    const first = lineOf(await lines(id), s.ids.bulk, s.ids.binA);
    expect(await setCounted(id, first.id, 9_500)).toMatchObject({ id: first.id, countedQty: 9_500 });
    const after = await line(id, first.id);
    expect(after.countedQty).toBe(9_500);
    expect(countVariance(after)).toBe(-500);
    expect((await session(id)).countedCount).toBe(1);
    // the refusal names when, in the company's time (London, en-GB), as the windows show times
    await companyInLondon();
    const changedAt = (await s.rows<{ t: number }>('SELECT updated_at AS t FROM count_lines WHERE id = ?', [first.id]))[0]!.t;
    const at = formatDateTime(changedAt, { timeZone: 'Europe/London', locale: 'en-GB' });
    await expectError(() => setCounted(id, first.id, 9_400, first.version), 'CONFLICT', new RegExp(`^The count of RICE-1KG on .* was changed by Administrator at ${at} after you opened it`));
    await setCounted(id, first.id, null, after.version);
    expect((await line(id, first.id)).countedQty).toBeNull();
  });

  it('serial lines are counted by codes: duplicates ignored and reported, a unit of another bin flagged, another product refused', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binA });
    const taps = lineOf(await lines(id), s.ids.serial, s.ids.binA);
    await expectError(() => setCounted(id, taps.id, 2), 'VALIDATION', /scan or type each serial number/);
    expect(await scan({ sessionId: id, code: 'S1' })).toMatchObject({ outcome: 'added', line: { id: taps.id, countedQty: 1 } });
    const dup = await scan({ sessionId: id, code: 'S1', lineId: taps.id });
    expect(dup.outcome).toBe('duplicate');
    expect(dup.message).toMatch(/already scanned on TAP-01 in A-01; this scan was ignored/);
    expect(dup.line!.countedQty).toBe(1);
    const elsewhere = await scan({ sessionId: id, code: 'S9', lineId: taps.id });
    expect(elsewhere.outcome).toBe('flagged');
    expect(elsewhere.message).toMatch(/system has it at Central Warehouse in B-01/);
    expect(elsewhere.line).toMatchObject({ countedQty: 2, codeCount: 2, flaggedCount: 1 });
    expect((await s.call('counts.lineCodes', { sessionId: id, lineId: taps.id })).map((x) => [x.code, x.flag])).toEqual([
      ['S1', null],
      ['S9', 'elsewhere'],
    ]);
    // a bulk product's SKU scanned with the serial line selected: not a serial, its own line is incremented instead
    expect(await scan({ sessionId: id, code: 'RICE-1KG' })).toMatchObject({ outcome: 'incremented', line: { sku: 'RICE-1KG', countedQty: 1_000 } });
    // removing a code recounts; removing it again is refused; removing the last leaves the line blank
    const remove = (code: string) => s.call('counts.removeCode', { sessionId: id, lineId: taps.id, code });
    expect((await remove('S9')).countedQty).toBe(1);
    await expectError(() => remove('S9'), 'NOT_FOUND', /S9 is not scanned on this line/);
    expect((await remove('S1')).countedQty).toBeNull();
  });

  it('a serial swap (S3 expected, S9 of another bin scanned) nets to 0 but shows one missing and one found, recorded elsewhere, before and after completion', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binA });
    const taps = lineOf(await lines(id), s.ids.serial, s.ids.binA);
    expect(taps).toMatchObject({ systemQty: 3, missingCount: 0, foundCount: 0, foundElsewhere: 0, missingSerials: [], foundSerials: [] });
    for (const code of ['S1', 'S2', 'S9']) await scan({ sessionId: id, code, lineId: taps.id });
    const swapped = await line(id, taps.id);
    expect(countVariance(swapped)).toBe(0);
    expect(swapped).toMatchObject({ countedQty: 3, missingCount: 1, foundCount: 1, foundElsewhere: 1, missingSerials: ['S3'], foundSerials: ['S9'] });
    // the other lines, counted or not, have none
    expect((await lines(id)).filter((l) => l.id !== taps.id).every((l) => l.missingCount === 0 && l.foundCount === 0)).toBe(true);
    await complete(id);
    expect(await line(id, taps.id)).toMatchObject({ adjustedQty: 0, missingCount: 1, foundCount: 1, foundElsewhere: 1, missingSerials: ['S3'], foundSerials: ['S9'] });
  });

  it('a serial swap with a unit the system does not know: missing 1, found 1, none elsewhere', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binA });
    const taps = lineOf(await lines(id), s.ids.serial, s.ids.binA);
    for (const code of ['S1', 'S2', 'X7']) await scan({ sessionId: id, code, lineId: taps.id });
    expect(await line(id, taps.id)).toMatchObject({ countedQty: 3, missingCount: 1, foundCount: 1, foundElsewhere: 0, missingSerials: ['S3'], foundSerials: ['X7'] });
  });

  it('a scanned product barcode without a line in a bin count adds its line (system qty 0) and counts one', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binB });
    const oil = (
      await s.call('masterdata.productCreate', { sku: 'OIL-1L', name: 'Olive oil', unit: 'each', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, groupId: null, barcodes: ['5012345678900'] })
    ).id;
    expect(await scan({ sessionId: id, code: '5012345678900' })).toMatchObject({ outcome: 'incremented', addedLine: true, line: { productId: oil, binId: s.ids.binB, systemQty: 0, countedQty: 1 } });
    expect((await scan({ sessionId: id, code: '5012345678900' })).line!.countedQty).toBe(2);
    expect((await scan({ sessionId: id, code: 'NOPE' })).outcome).toBe('not_found');
    expect(await scan({ sessionId: id, code: 'TAP-01' })).toMatchObject({ outcome: 'flagged', message: expect.stringMatching(/scan each unit's serial number/) });
  });
});

describe('completing a count', () => {
  it('posts one Stock Taking document for counted lines with a variance; blank and zero-variance lines are skipped', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh });
    const all = await lines(id);
    await setCounted(id, lineOf(all, s.ids.bulk, s.ids.binA).id, 9_250); // −750
    await setCounted(id, lineOf(all, s.ids.lot, s.ids.binA, 'L1').id, 15); // +3
    await setCounted(id, lineOf(all, s.ids.lot, s.ids.binA, 'L2').id, 6); // no variance
    // bulk in B-01 and both serial lines left blank
    const before = await s.count('movements');
    const done = await completed(id);
    expect(done.movementCount).toBe(2);
    const closed = await session(id);
    expect(closed).toMatchObject({ status: 'COMPLETED', completedBy: 'Administrator', documentId: done.documentId });
    expect(closed.completedAt).not.toBeNull();
    expect(await s.rows('SELECT type, reference, note FROM documents WHERE id = ?', [done.documentId])).toEqual([{ type: 'stock_count', reference: closed.reference, note: 'stock_count' }]);
    expect(await movementsOf(done.documentId!)).toEqual([
      { productId: s.ids.bulk, binId: s.ids.binA, type: 'system_correction', qty: -750, note: 'stock_count', serialId: null },
      { productId: s.ids.lot, binId: s.ids.binA, type: 'system_correction', qty: 3, note: 'stock_count', serialId: null },
    ]);
    // The enquiry shows the recorded reason in words, never its code.
    const shown = (await s.call('enquiry.movements', { filter: { productId: s.ids.bulk }, limit: 100 })).rows.filter((m) => m.documentId === done.documentId);
    expect(shown.map((m) => m.note)).toEqual(['Stock count difference']);
    expect(await s.count('movements')).toBe(before + 2);
    expect(await qtyAt(s.ids.bulk, s.ids.binA)).toBe(9_250);
    expect(await qtyAt(s.ids.bulk, s.ids.binB)).toBe(4_000);
    expect(await qtyAt(s.ids.lot, s.ids.binA, 'L1')).toBe(15);
    expect(await qtyAt(s.ids.serial, s.ids.binA)).toBe(3); // blank serial line: nothing detached
    expect((await line(id, lineOf(all, s.ids.bulk, s.ids.binA).id)).adjustedQty).toBe(-750);
    // read-only afterwards
    await expectError(() => setCounted(id, all[0]!.id, 1), 'CONFLICT', /is completed and can no longer be changed/);
    await expectError(() => complete(id), 'CONFLICT', /is completed/);
    await expectError(() => s.call('counts.cancel', { sessionId: id }), 'CONFLICT', /is completed/);
  });

  it('a count with nothing to adjust completes without a document', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binB });
    const before = await s.counts();
    expect(await completed(id)).toEqual({ documentId: null, movementCount: 0 });
    expect((await session(id)).status).toBe('COMPLETED');
    expect(await s.counts()).toEqual(before);
  });

  it('detaches unscanned serial units (one −1 line per serial) and brings in a unit found here from another bin', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binA });
    const taps = lineOf(await lines(id), s.ids.serial, s.ids.binA);
    await scan({ sessionId: id, code: 'S2', lineId: taps.id });
    await scan({ sessionId: id, code: 'S9', lineId: taps.id }); // recorded in B-01
    const done = await completed(id);
    const moved = await s.rows(
      'SELECT u.serial, m.bin_id AS "binId", m.qty, m.type, m.note FROM movements m JOIN serial_units u ON u.id = m.serial_id WHERE m.document_id = ? ORDER BY m.seq',
      [done.documentId],
    );
    expect(moved.map((m) => [m.serial, m.binId, m.qty, m.type, m.note])).toEqual([
      ['S1', s.ids.binA, -1, 'system_correction', 'stock_count'],
      ['S3', s.ids.binA, -1, 'system_correction', 'stock_count'],
      ['S9', s.ids.binB, -1, 'system_correction', 'stock_count'],
      ['S9', s.ids.binA, 1, 'system_correction', 'stock_count'],
    ]);
    expect(done.movementCount).toBe(4);
    expect(await s.rows('SELECT serial, bin_id AS "binId", in_stock AS "inStock" FROM serial_units ORDER BY serial')).toEqual([
      { serial: 'S1', binId: null, inStock: 0 },
      { serial: 'S2', binId: s.ids.binA, inStock: 1 },
      { serial: 'S3', binId: null, inStock: 0 },
      { serial: 'S9', binId: s.ids.binA, inStock: 1 },
    ]);
    expect(await qtyAt(s.ids.serial, s.ids.binA)).toBe(2);
    expect(await qtyAt(s.ids.serial, s.ids.binB)).toBe(0);
    expect((await line(id, taps.id)).adjustedQty).toBe(-1);
  });

  it('a serial line counted as 0 (none there) detaches every unit', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binA });
    await setCounted(id, lineOf(await lines(id), s.ids.serial, s.ids.binA).id, 0);
    const done = await completed(id);
    expect((await movementsOf(done.documentId!)).map((m) => m.qty)).toEqual([-1, -1, -1]);
    expect(await qtyAt(s.ids.serial, s.ids.binA)).toBe(0);
    expect(await s.rows("SELECT serial, in_stock AS \"inStock\" FROM serial_units WHERE serial IN ('S1', 'S2', 'S3') AND bin_id IS NULL ORDER BY serial")).toEqual([
      { serial: 'S1', inStock: 0 },
      { serial: 'S2', inStock: 0 },
      { serial: 'S3', inStock: 0 },
    ]);
  });

  it('stock moved since the snapshot: keep counted makes the count the truth, keep difference applies only the variance', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh });
    const all = await lines(id);
    const a = lineOf(all, s.ids.bulk, s.ids.binA);
    const b = lineOf(all, s.ids.bulk, s.ids.binB);
    // the warehouse keeps working: 1 kg leaves A-01, 500 g leave B-01 after the snapshot
    await s.call('operations.despatch', {
      idempotencyKey: key(),
      kind: 'sale',
      siteId: s.ids.wh,
      lines: [
        { productId: s.ids.bulk, binId: s.ids.binA, qty: 1_000 },
        { productId: s.ids.bulk, binId: s.ids.binB, qty: 500 },
      ],
    });
    expect((await line(id, a.id)).movedQty).toBe(-1_000);
    expect((await s.call('counts.lineMovements', { sessionId: id, lineId: a.id })).map((m) => [m.type, m.qty])).toEqual([['sale', -1_000]]);
    // A-01 counted before the sale (10,000 − 200 lost): keep difference. B-01 counted after it: keep counted.
    await setCounted(id, a.id, 9_800);
    await setCounted(id, b.id, 3_300);
    expect(await s.call('counts.setResolution', { sessionId: id, lineIds: [a.id], resolution: 'keep_difference' })).toEqual({ updated: 1 });
    const la = await line(id, a.id);
    const lb = await line(id, b.id);
    expect([countVariance(la), effectiveAdjustment(la)]).toEqual([-200, -200]);
    expect([countVariance(lb), effectiveAdjustment(lb)]).toEqual([-700, -200]);
    await complete(id);
    expect(await qtyAt(s.ids.bulk, s.ids.binA)).toBe(8_800); // 9,000 now − 200 variance
    expect(await qtyAt(s.ids.bulk, s.ids.binB)).toBe(3_300); // the counted quantity
    expect(await line(id, a.id)).toMatchObject({ movedQty: -1_000, adjustedQty: -200 });
    expect(await line(id, b.id)).toMatchObject({ movedQty: -500, adjustedQty: -200 });
  });

  it('cancel posts nothing and closes the session', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh });
    await setCounted(id, (await lines(id))[0]!.id, 1);
    const before = await s.counts();
    await s.call('counts.cancel', { sessionId: id });
    expect(await session(id)).toMatchObject({ status: 'CANCELLED', cancelledBy: 'Administrator', documentId: null });
    expect(await s.counts()).toEqual(before);
    await expectError(() => complete(id), 'CONFLICT', /is cancelled/);
  });

  it('is atomic: a refused adjustment posts nothing and leaves the session open', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh });
    const all = await lines(id);
    const a = lineOf(all, s.ids.bulk, s.ids.binA);
    await setCounted(id, lineOf(all, s.ids.lot, s.ids.binA, 'L1').id, 20); // fine on its own
    // everything left A-01 after the snapshot; keeping the difference (−2,000) would take it negative
    await despatch(s.ids.binA, 10_000);
    await setCounted(id, a.id, 8_000);
    await s.call('counts.setResolution', { sessionId: id, resolution: 'keep_difference' });
    await expectError(() => complete(id), 'NEGATIVE_STOCK', /not enough RICE-1KG/);
    expect((await session(id)).status).toBe('DRAFT');
    expect((await line(id, a.id)).adjustedQty).toBeNull();
    expect(await qtyAt(s.ids.lot, s.ids.binA, 'L1')).toBe(12);
    // choose keep counted instead: now it completes
    await s.call('counts.setResolution', { sessionId: id, resolution: 'keep_counted' });
    await complete(id);
    expect(await qtyAt(s.ids.bulk, s.ids.binA)).toBe(8_000);
  });

  it('is atomic: a failure after the document was posted rolls it back, and later posting is unharmed', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh });
    await setCounted(id, lineOf(await lines(id), s.ids.bulk, s.ids.binA).id, 1_000);
    // the session's close fails after the adjustment document was posted (in the same transaction)
    await s.exec(
      s.store === 'sqlite'
        ? `CREATE TRIGGER fail_close BEFORE UPDATE OF status ON count_sessions BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`
        : `CREATE FUNCTION fail_close() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk trouble'; END $$;
           CREATE TRIGGER fail_close BEFORE UPDATE OF status ON count_sessions FOR EACH ROW EXECUTE FUNCTION fail_close()`,
    );
    const before = await s.counts();
    await expect(complete(id)).rejects.toThrow(/disk trouble/);
    expect(await s.counts()).toEqual(before);
    expect(await qtyAt(s.ids.bulk, s.ids.binA)).toBe(10_000);
    expect((await session(id)).status).toBe('DRAFT');
    await s.exec(s.store === 'sqlite' ? 'DROP TRIGGER fail_close' : 'DROP TRIGGER fail_close ON count_sessions; DROP FUNCTION fail_close()');
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, lines: [{ productId: s.ids.bulk, binId: s.ids.binA, qty: 5, unitCost: 20_000 }] });
    await complete(id);
    expect(await qtyAt(s.ids.bulk, s.ids.binA)).toBe(1_005); // the 5 received after the line was counted stay on top of it (by time)
  });
});

describe('counts keep their date', () => {
  const OCT_1 = '2026-10-01T08:00:00.000Z';
  const OCT_10 = '2026-10-10T09:00:00.000Z';
  const north = async () => {
    const site = (await s.call('masterdata.siteCreate', { code: 'NTH', name: 'North Store', kind: 'shop', allowNegative: false })).id;
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: site, dutyPaid: false, occurredAt: OCT_1, lines: [{ productId: s.ids.bulk, qty: 10_000, unitCost: 20_000 }] });
    return site;
  };

  it('a count dated 10 October and completed later posts its adjustments dated 10 October', async () => {
    const site = await north();
    const id = await create({ siteId: site, occurredAt: OCT_10 });
    const dated = await session(id);
    expect(dated.occurredAt).toBe(OCT_10);
    expect(Date.parse(dated.createdAt)).toBeGreaterThan(Date.parse(OCT_10));
    await setCounted(id, (await lines(id))[0]!.id, 9_400);
    const done = await completed(id);
    const rows = await s.rows<{ qty: number; occurredAt: number; recordedAt: number }>(
      'SELECT qty, occurred_at AS "occurredAt", recorded_at AS "recordedAt" FROM movements WHERE document_id = ?',
      [done.documentId],
    );
    expect(rows.map((r) => [r.qty, new Date(r.occurredAt).toISOString()])).toEqual([[-600, OCT_10]]);
    expect(rows[0]!.recordedAt).toBeGreaterThan(Date.parse(OCT_10));
    const doc = await s.rows<{ t: number }>('SELECT occurred_at AS t FROM documents WHERE id = ?', [done.documentId]);
    expect(new Date(doc[0]!.t).toISOString()).toBe(OCT_10);
  });

  it('a paper count dated 10 October, typed in on 15 October after a despatch: the despatch moved after the count, no adjustment, stock 8', async () => {
    const site = await north(); // 10 kg since 1 October
    now = Date.parse('2026-10-15T09:00:00.000Z');
    const id = await create({ siteId: site, occurredAt: OCT_10 });
    expect(await session(id)).toMatchObject({ occurredAt: OCT_10, backdated: true });
    const lineId = (await lines(id))[0]!.id;
    now = Date.parse('2026-10-15T09:30:00.000Z');
    await despatch(0, 2_000, { siteId: site, occurredAt: '2026-10-15T09:30:00.000Z' });
    now = Date.parse('2026-10-15T10:00:00.000Z');
    await setCounted(id, lineId, 10_000); // the paper sheet: 10 on the shelf on 10 October, as the system had
    const counted = await line(id, lineId);
    expect(counted).toMatchObject({ systemQty: 10_000, movedQty: -2_000, movedAfterCount: -2_000, resolution: 'by_time' });
    expect(appliedResolution(counted)).toEqual({ rule: 'keep_difference', chosen: false, movedBefore: 0, movedAfter: -2_000 });
    expect(await completed(id)).toEqual({ documentId: null, movementCount: 0 });
    expect(await qtyAt(s.ids.bulk, null, undefined, site)).toBe(8_000); // the shelf
    expect(await line(id, lineId)).toMatchObject({ movedQty: -2_000, movedAfterCount: -2_000, adjustedQty: 0 });
  });

  it('defaults to now; refuses a date in the future or before stock in scope last moved', async () => {
    const site = await north();
    const before = Date.now();
    const id = await create({ siteId: site });
    expect(Date.parse((await session(id)).occurredAt)).toBeGreaterThanOrEqual(before);
    expect((await session(id)).backdated).toBe(false);
    // dated a minute ago (within the clock tolerance) it is still counted as it is entered
    const minuteAgo = await create({ siteId: site, occurredAt: new Date(Date.now() - 60_000).toISOString() });
    expect((await session(minuteAgo)).backdated).toBe(false);
    await expectError(() => create({ siteId: site, occurredAt: new Date(Date.now() + 3_600_000).toISOString() }), 'VALIDATION', /is in the future/);
    // Times in messages are the company's (London, en-GB), as the windows show them; never ISO or UTC.
    await companyInLondon();
    await expectError(
      () => create({ siteId: site, occurredAt: '2026-09-30T17:00:00.000Z' }),
      'VALIDATION',
      /^Stock at North Store moved after 30\/09\/2026, 18:00 \(RICE-1KG on 01\/10\/2026, 09:00\), and the count's snapshot taken now includes that\. Date the count at 01\/10\/2026, 09:00 or later/,
    );
  });
});

describe('counts resolve moves by time', () => {
  it('a line counted before a despatch keeps the difference: counted 10, system 10, −2 after counting → 8, no adjustment', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binA });
    const a = lineOf(await lines(id), s.ids.bulk, s.ids.binA);
    await setCounted(id, a.id, 10_000); // the shelf matches the system
    await despatch(s.ids.binA, 2_000); // 2 kg leave after the line was counted
    const counted = await line(id, a.id);
    expect(counted).toMatchObject({ movedQty: -2_000, movedAfterCount: -2_000, resolution: 'by_time' });
    expect(appliedResolution(counted)).toEqual({ rule: 'keep_difference', chosen: false, movedBefore: 0, movedAfter: -2_000 });
    expect(effectiveAdjustment(counted)).toBe(0);
    expect((await complete(id)).documentId).toBeNull(); // nothing to adjust
    expect(await qtyAt(s.ids.bulk, s.ids.binA)).toBe(8_000);
    expect(await line(id, a.id)).toMatchObject({ movedQty: -2_000, movedAfterCount: -2_000, adjustedQty: 0, resolution: 'by_time' });
  });

  it('a line counted after a despatch keeps the count: system 4, −0.5 before counting, counted 3.5 → 3.5, no adjustment', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binB });
    const b = lineOf(await lines(id), s.ids.bulk, s.ids.binB);
    await despatch(s.ids.binB, 500);
    await setCounted(id, b.id, 3_500); // the shelf after the despatch
    const counted = await line(id, b.id);
    expect(counted).toMatchObject({ movedQty: -500, movedAfterCount: 0 });
    expect(appliedResolution(counted)).toEqual({ rule: 'keep_counted', chosen: false, movedBefore: -500, movedAfter: 0 });
    await complete(id);
    expect(await qtyAt(s.ids.bulk, s.ids.binB)).toBe(3_500);
    expect((await line(id, b.id)).adjustedQty).toBe(0);
  });

  it('moves on both sides of the count split by time; a backdated despatch counts as before; a chosen rule overrides', async () => {
    await receiveCountStock(new Date(Date.now() - 2 * 3_600_000).toISOString());
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binA });
    const all = await lines(id);
    const l1 = lineOf(all, s.ids.lot, s.ids.binA, 'L1'); // system 12
    const l2 = lineOf(all, s.ids.lot, s.ids.binA, 'L2'); // system 6
    const rice = lineOf(all, s.ids.bulk, s.ids.binA); // system 10,000
    await despatch(s.ids.binA, 2, { batch: 'L1' });
    await setCounted(id, l1.id, 9); // 10 expected on the shelf: 1 lost
    await setCounted(id, l2.id, 6);
    await setCounted(id, rice.id, 10_000);
    await despatch(s.ids.binA, 3, { batch: 'L1' });
    // recorded after L2 was counted, but dated an hour before: it had already left the shelf
    await despatch(s.ids.binA, 1, { batch: 'L2', occurredAt: new Date(Date.now() - 3_600_000).toISOString() });
    await despatch(s.ids.binA, 1_000);
    await s.call('counts.setResolution', { sessionId: id, lineIds: [rice.id], resolution: 'keep_counted' });
    const s1 = await line(id, l1.id);
    expect(appliedResolution(s1)).toEqual({ rule: 'split', chosen: false, movedBefore: -2, movedAfter: -3 });
    expect(effectiveAdjustment(s1)).toBe(-1);
    expect(appliedResolution(await line(id, l2.id))).toMatchObject({ rule: 'keep_counted', movedBefore: -1, movedAfter: 0 });
    expect(await line(id, rice.id)).toMatchObject({ resolution: 'keep_counted', movedAfterCount: -1_000 });
    await complete(id);
    expect(await qtyAt(s.ids.lot, s.ids.binA, 'L1')).toBe(6); // 9 counted − 3 after counting
    expect(await qtyAt(s.ids.lot, s.ids.binA, 'L2')).toBe(6); // the count: the dated despatch was before it (+1 found)
    expect(await qtyAt(s.ids.bulk, s.ids.binA)).toBe(10_000); // chosen keep counted
    expect(await line(id, l1.id)).toMatchObject({ adjustedQty: -1, movedQty: -5, movedAfterCount: -3 });
  });

  it('choosing "by time" again drops the chosen rule', async () => {
    await receiveCountStock();
    const id = await create({ siteId: s.ids.wh, binId: s.ids.binA });
    const a = lineOf(await lines(id), s.ids.bulk, s.ids.binA);
    await setCounted(id, a.id, 10_000);
    await despatch(s.ids.binA, 2_000);
    await s.call('counts.setResolution', { sessionId: id, resolution: 'keep_counted' });
    expect(effectiveAdjustment(await line(id, a.id))).toBe(2_000);
    await s.call('counts.setResolution', { sessionId: id, lineIds: [a.id], resolution: 'by_time' });
    expect((await line(id, a.id)).resolution).toBe('by_time');
    expect(effectiveAdjustment(await line(id, a.id))).toBe(0);
  });
});

describe('permissions', () => {
  it('counting needs create:stock-count, completing and cancelling update:stock-count, reading read:stock', () => {
    const perms = Object.fromEntries(Object.entries(countsMethods).map(([k, m]) => [k, m.permission]));
    expect(perms).toMatchObject({
      'counts.list': 'read:stock',
      'counts.get': 'read:stock',
      'counts.create': 'create:stock-count',
      'counts.setCounted': 'create:stock-count',
      'counts.scan': 'create:stock-count',
      'counts.setResolution': 'create:stock-count',
      'counts.complete': 'update:stock-count',
      'counts.cancel': 'update:stock-count',
    });
  });

  it('the dispatcher refuses a user without the permission with a clear message, before any handler runs', async () => {
    const called: string[] = [];
    const handlers = new Proxy({}, { get: (_, name) => async () => void called.push(String(name)) }) as Handlers;
    const dispatch = createDispatcher(handlers);
    const clerk = { userId: 5, username: 'viewer', permissions: ['read:stock'] };
    const counter = { userId: 6, username: 'counter', permissions: ['read:stock', 'create:stock-count'] };
    const created = await dispatch('counts.create', { siteId: 1 }, clerk);
    expect(created).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    if (!created.ok) expect(created.error.message).toBe('viewer may not create a stock count session: that needs the “Count stock” permission. Ask an administrator for it (Settings → Users).');
    const completing = await dispatch('counts.complete', { sessionId: 1 }, counter);
    expect(completing).toMatchObject({ ok: false, error: { code: 'PERMISSION', message: expect.stringContaining('needs the “Complete stock counts” permission') } });
    expect((await dispatch('counts.setCounted', { sessionId: 1, lineId: 1, countedQty: 3 }, counter)).ok).toBe(true);
    expect((await dispatch('counts.get', { sessionId: 1 }, clerk)).ok).toBe(true);
    expect(called).toEqual(['counts.setCounted', 'counts.get']);
  });
});
