import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { countsMethods } from '../../shared/contract/counts.methods';
import { appliedResolution, countVariance, effectiveAdjustment, type CountLine } from '../../shared/counts';
import { countStockLines } from '../../test/fixtures/count-stock';
import { openFixture, tableCounts, type Fixture } from '../../test/fixtures/ledger';
import { createDispatcher, type Handlers } from '../app/dispatcher';
import { countServices } from './counts.ops';
import { machineDefaults } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';

let f: Fixture;
let c: ReturnType<typeof countServices>;
let admin: number;

beforeEach(async () => {
  f = await openFixture();
  c = countServices(f.ledger);
  admin = f.ids.admin;
  f.ledger.poster.post(f.doc('receipt', countStockLines(f.ids)), admin);
});
afterEach(async () => {
  await f.cleanup();
});

const qtyAt = (productId: number, binId: number | null, batch?: string) =>
  (
    f.ledger.db
      .prepare(
        `SELECT COALESCE(SUM(sl.qty), 0) AS q FROM stock_levels sl LEFT JOIN batches b ON b.id = sl.batch_id
         WHERE sl.product_id = ? AND sl.site_id = ? AND sl.bin_id IS ? AND (? IS NULL OR b.code = ?)`,
      )
      .get(productId, f.ids.wh, binId, batch ?? null, batch ?? null) as { q: number }
  ).q;
const lineOf = (lines: CountLine[], productId: number, binId: number | null, batch?: string) =>
  lines.find((l) => l.productId === productId && l.binId === binId && (batch === undefined || l.batchCode === batch))!;
const movementsOf = (documentId: number) =>
  f.ledger.db.prepare('SELECT product_id AS productId, bin_id AS binId, type, qty, note, serial_id AS serialId FROM movements WHERE document_id = ? ORDER BY seq').all(documentId) as {
    productId: number; binId: number | null; type: string; qty: number; note: string; serialId: number | null;
  }[];
const expectError = (fn: () => unknown, code: string, message: RegExp) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe(code);
    expect((e as AppError).message).toMatch(message);
    return;
  }
  throw new Error('expected an error');
};

describe('creating a count snapshots every quant in scope', () => {
  it('a full count: one blank line per product/bin/batch at the site, system quantity = the quant, snapshot seq = last movement', () => {
    const id = c.sessions.create({ siteId: f.ids.wh, notes: 'Year end' }, admin);
    const s = c.queries.session(id);
    const lastSeq = (f.ledger.db.prepare('SELECT MAX(seq) AS s FROM movements').get() as { s: number }).s;
    expect(s).toMatchObject({ status: 'DRAFT', siteId: f.ids.wh, binId: null, notes: 'Year end', snapshotSeq: lastSeq, lineCount: 6, countedCount: 0, createdBy: 'Administrator', completedAt: null });
    const lines = c.queries.lines(id);
    expect(lines).toHaveLength(6); // bulk×2 bins, lot×2 batches, serial×2 bins; the shop's stock is not in scope
    expect(lines.every((l) => l.countedQty === null && l.movedQty === 0)).toBe(true);
    expect(lineOf(lines, f.ids.bulk, f.ids.binA).systemQty).toBe(10_000);
    expect(lineOf(lines, f.ids.lot, f.ids.binA, 'L2').systemQty).toBe(6);
    expect(lineOf(lines, f.ids.serial, f.ids.binA).systemQty).toBe(3);
  });

  it('a single-bin cycle count takes only that bin', () => {
    const id = c.sessions.create({ siteId: f.ids.wh, binId: f.ids.binB }, admin);
    const lines = c.queries.lines(id);
    expect(lines.map((l) => [l.sku, l.systemQty])).toEqual([
      ['RICE-1KG', 4_000],
      ['TAP-01', 1],
    ]);
  });

  it('refuses the External pseudo-site and a bin of another site', () => {
    expectError(() => c.sessions.create({ siteId: f.ids.external }, admin), 'VALIDATION', /not a site that holds stock/);
    expectError(() => c.sessions.create({ siteId: f.ids.shop, binId: f.ids.binA }, admin), 'VALIDATION', /not a bin of Soho Bar/);
  });
});

describe('counting lines', () => {
  it('variance = counted − system; blank again with null; edits autosave', () => {
    const id = c.sessions.create({ siteId: f.ids.wh }, admin);
    const line = lineOf(c.queries.lines(id), f.ids.bulk, f.ids.binA);
    c.editing.setCounted(id, line.id, 9_500, admin);
    const after = c.queries.line(id, line.id);
    expect(after.countedQty).toBe(9_500);
    expect(countVariance(after)).toBe(-500);
    expect(c.queries.session(id).countedCount).toBe(1);
    c.editing.setCounted(id, line.id, null, admin);
    expect(c.queries.line(id, line.id).countedQty).toBeNull();
  });

  it('serial lines are counted by codes: duplicates ignored and reported, a unit of another bin flagged, another product refused', () => {
    const id = c.sessions.create({ siteId: f.ids.wh, binId: f.ids.binA }, admin);
    const line = lineOf(c.queries.lines(id), f.ids.serial, f.ids.binA);
    expectError(() => c.editing.setCounted(id, line.id, 2, admin), 'VALIDATION', /scan or type each serial number/);
    expect(c.scanning.scan({ sessionId: id, code: 'S1' }, admin)).toMatchObject({ outcome: 'added', line: { id: line.id, countedQty: 1 } });
    const dup = c.scanning.scan({ sessionId: id, code: 'S1', lineId: line.id }, admin);
    expect(dup.outcome).toBe('duplicate');
    expect(dup.message).toMatch(/already scanned on TAP-01 in A-01; this scan was ignored/);
    expect(dup.line!.countedQty).toBe(1);
    const elsewhere = c.scanning.scan({ sessionId: id, code: 'S9', lineId: line.id }, admin);
    expect(elsewhere.outcome).toBe('flagged');
    expect(elsewhere.message).toMatch(/system has it at Central Warehouse in B-01/);
    expect(elsewhere.line).toMatchObject({ countedQty: 2, flaggedCount: 1 });
    expect(c.queries.codes(id, line.id).map((x) => [x.code, x.flag])).toEqual([
      ['S1', null],
      ['S9', 'elsewhere'],
    ]);
    // a bulk product's SKU scanned with the serial line selected: not a serial, its own line is incremented instead
    const rice = c.scanning.scan({ sessionId: id, code: 'RICE-1KG' }, admin);
    expect(rice).toMatchObject({ outcome: 'incremented', line: { sku: 'RICE-1KG', countedQty: 1_000 } });
    // removing a code recounts; removing the last leaves the line blank
    expect(c.scanning.removeCode(id, line.id, 'S9', admin).countedQty).toBe(1);
    expect(c.scanning.removeCode(id, line.id, 'S1', admin).countedQty).toBeNull();
  });

  it('a scanned product barcode without a line in a bin count adds its line (system qty 0) and counts one', () => {
    const id = c.sessions.create({ siteId: f.ids.wh, binId: f.ids.binB }, admin);
    const other = f.ledger.reference.addProduct({ sku: 'OIL-1L', name: 'Olive oil', stockType: 'Supplied', barcodes: ['5012345678900'] });
    const r = c.scanning.scan({ sessionId: id, code: '5012345678900' }, admin);
    expect(r).toMatchObject({ outcome: 'incremented', addedLine: true, line: { productId: other, binId: f.ids.binB, systemQty: 0, countedQty: 1 } });
    expect(c.scanning.scan({ sessionId: id, code: '5012345678900' }, admin).line!.countedQty).toBe(2);
    expect(c.scanning.scan({ sessionId: id, code: 'NOPE' }, admin).outcome).toBe('not_found');
    expect(c.scanning.scan({ sessionId: id, code: 'TAP-01' }, admin)).toMatchObject({ outcome: 'flagged', message: expect.stringMatching(/scan each unit's serial number/) });
  });
});

describe('completing a count', () => {
  it('posts one Stock Taking document for counted lines with a variance; blank and zero-variance lines are skipped', () => {
    const id = c.sessions.create({ siteId: f.ids.wh }, admin);
    const lines = c.queries.lines(id);
    c.editing.setCounted(id, lineOf(lines, f.ids.bulk, f.ids.binA).id, 9_250, admin); // −750
    c.editing.setCounted(id, lineOf(lines, f.ids.lot, f.ids.binA, 'L1').id, 15, admin); // +3
    c.editing.setCounted(id, lineOf(lines, f.ids.lot, f.ids.binA, 'L2').id, 6, admin); // no variance
    // bulk in B-01 and both serial lines left blank
    const before = tableCounts(f.ledger).movements;
    const done = c.completion.complete(id, admin);
    expect(done.movementCount).toBe(2);
    const s = c.queries.session(id);
    expect(s).toMatchObject({ status: 'COMPLETED', completedBy: 'Administrator', documentId: done.documentId });
    expect(s.completedAt).not.toBeNull();
    const doc = f.ledger.db.prepare('SELECT type, reference, note FROM documents WHERE id = ?').get(done.documentId) as Record<string, string>;
    expect(doc).toEqual({ type: 'stock_count', reference: s.reference, note: 'stock_count' });
    expect(movementsOf(done.documentId!)).toEqual([
      { productId: f.ids.bulk, binId: f.ids.binA, type: 'system_correction', qty: -750, note: 'stock_count', serialId: null },
      { productId: f.ids.lot, binId: f.ids.binA, type: 'system_correction', qty: 3, note: 'stock_count', serialId: null },
    ]);
    expect(tableCounts(f.ledger).movements).toBe(before! + 2);
    expect(qtyAt(f.ids.bulk, f.ids.binA)).toBe(9_250);
    expect(qtyAt(f.ids.bulk, f.ids.binB)).toBe(4_000);
    expect(qtyAt(f.ids.lot, f.ids.binA, 'L1')).toBe(15);
    expect(qtyAt(f.ids.serial, f.ids.binA)).toBe(3); // blank serial line: nothing detached
    expect(c.queries.line(id, lineOf(lines, f.ids.bulk, f.ids.binA).id).adjustedQty).toBe(-750);
    expect(f.ledger.verify().ok).toBe(true);
    // read-only afterwards
    expectError(() => c.editing.setCounted(id, lines[0]!.id, 1, admin), 'CONFLICT', /is completed and can no longer be changed/);
    expectError(() => c.completion.complete(id, admin), 'CONFLICT', /is completed/);
    expectError(() => c.sessions.cancel(id, admin), 'CONFLICT', /is completed/);
  });

  it('a count with nothing to adjust completes without a document', () => {
    const id = c.sessions.create({ siteId: f.ids.wh, binId: f.ids.binB }, admin);
    const before = tableCounts(f.ledger);
    expect(c.completion.complete(id, admin)).toEqual({ documentId: null, movementCount: 0 });
    expect(c.queries.session(id).status).toBe('COMPLETED');
    expect(tableCounts(f.ledger)).toEqual(before);
  });

  it('detaches unscanned serial units (one −1 line per serial) and brings in a unit found here from another bin', () => {
    const id = c.sessions.create({ siteId: f.ids.wh, binId: f.ids.binA }, admin);
    const line = lineOf(c.queries.lines(id), f.ids.serial, f.ids.binA);
    c.scanning.scan({ sessionId: id, code: 'S2', lineId: line.id }, admin);
    c.scanning.scan({ sessionId: id, code: 'S9', lineId: line.id }, admin); // recorded in B-01
    const done = c.completion.complete(id, admin);
    const serialOf = (sid: number | null) => (f.ledger.db.prepare('SELECT serial FROM serial_units WHERE id = ?').get(sid) as { serial: string }).serial;
    expect(movementsOf(done.documentId!).map((m) => [serialOf(m.serialId), m.binId, m.qty, m.type, m.note])).toEqual([
      ['S1', f.ids.binA, -1, 'system_correction', 'stock_count'],
      ['S3', f.ids.binA, -1, 'system_correction', 'stock_count'],
      ['S9', f.ids.binB, -1, 'system_correction', 'stock_count'],
      ['S9', f.ids.binA, 1, 'system_correction', 'stock_count'],
    ]);
    const units = f.ledger.db.prepare('SELECT serial, bin_id AS binId, in_stock AS inStock FROM serial_units ORDER BY serial').all();
    expect(units).toEqual([
      { serial: 'S1', binId: null, inStock: 0 },
      { serial: 'S2', binId: f.ids.binA, inStock: 1 },
      { serial: 'S3', binId: null, inStock: 0 },
      { serial: 'S9', binId: f.ids.binA, inStock: 1 },
    ]);
    expect(qtyAt(f.ids.serial, f.ids.binA)).toBe(2);
    expect(qtyAt(f.ids.serial, f.ids.binB)).toBe(0);
    expect(c.queries.line(id, line.id).adjustedQty).toBe(-1);
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('a serial line counted as 0 (none there) detaches every unit', () => {
    const id = c.sessions.create({ siteId: f.ids.wh, binId: f.ids.binB }, admin);
    const line = lineOf(c.queries.lines(id), f.ids.serial, f.ids.binB);
    c.editing.setCounted(id, line.id, 0, admin);
    const done = c.completion.complete(id, admin);
    expect(movementsOf(done.documentId!).map((m) => m.qty)).toEqual([-1]);
    expect(qtyAt(f.ids.serial, f.ids.binB)).toBe(0);
  });

  it('stock moved since the snapshot: keep counted makes the count the truth, keep difference applies only the variance', () => {
    const id = c.sessions.create({ siteId: f.ids.wh }, admin);
    const lines = c.queries.lines(id);
    const a = lineOf(lines, f.ids.bulk, f.ids.binA);
    const b = lineOf(lines, f.ids.bulk, f.ids.binB);
    // the warehouse keeps working: 1 kg leaves A-01, 500 g leave B-01 after the snapshot
    f.ledger.poster.post(
      f.doc('despatch', [
        { productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -1_000 },
        { productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binB, type: 'sale', qty: -500 },
      ]),
      admin,
    );
    expect(c.queries.line(id, a.id).movedQty).toBe(-1_000);
    expect(c.queries.movementsSince(id, a.id).map((m) => [m.type, m.qty])).toEqual([['sale', -1_000]]);
    // A-01 counted before the sale (10,000 − 200 lost): keep difference. B-01 counted after it: keep counted.
    c.editing.setCounted(id, a.id, 9_800, admin);
    c.editing.setCounted(id, b.id, 3_300, admin);
    c.editing.setResolution({ sessionId: id, lineIds: [a.id], resolution: 'keep_difference' });
    const la = c.queries.line(id, a.id);
    const lb = c.queries.line(id, b.id);
    expect([countVariance(la), effectiveAdjustment(la)]).toEqual([-200, -200]);
    expect([countVariance(lb), effectiveAdjustment(lb)]).toEqual([-700, -200]);
    c.completion.complete(id, admin);
    expect(qtyAt(f.ids.bulk, f.ids.binA)).toBe(8_800); // 9,000 now − 200 variance
    expect(qtyAt(f.ids.bulk, f.ids.binB)).toBe(3_300); // the counted quantity
    expect(c.queries.line(id, a.id)).toMatchObject({ movedQty: -1_000, adjustedQty: -200 });
    expect(c.queries.line(id, b.id)).toMatchObject({ movedQty: -500, adjustedQty: -200 });
  });

  it('cancel posts nothing and closes the session', () => {
    const id = c.sessions.create({ siteId: f.ids.wh }, admin);
    c.editing.setCounted(id, c.queries.lines(id)[0]!.id, 1, admin);
    const before = tableCounts(f.ledger);
    c.sessions.cancel(id, admin);
    expect(c.queries.session(id)).toMatchObject({ status: 'CANCELLED', cancelledBy: 'Administrator', documentId: null });
    expect(tableCounts(f.ledger)).toEqual(before);
    expectError(() => c.completion.complete(id, admin), 'CONFLICT', /is cancelled/);
  });

  it('is atomic: a refused adjustment posts nothing and leaves the session open', () => {
    const id = c.sessions.create({ siteId: f.ids.wh }, admin);
    const lines = c.queries.lines(id);
    const a = lineOf(lines, f.ids.bulk, f.ids.binA);
    c.editing.setCounted(id, lineOf(lines, f.ids.lot, f.ids.binA, 'L1').id, 20, admin); // fine on its own
    // everything left A-01 after the snapshot; keeping the difference (−2,000) would take it negative
    f.ledger.poster.post(f.doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -10_000 }]), admin);
    c.editing.setCounted(id, a.id, 8_000, admin);
    c.editing.setResolution({ sessionId: id, resolution: 'keep_difference' });
    const before = tableCounts(f.ledger);
    expectError(() => c.completion.complete(id, admin), 'NEGATIVE_STOCK', /not enough RICE-1KG/);
    expect(tableCounts(f.ledger)).toEqual(before);
    expect(c.queries.session(id).status).toBe('DRAFT');
    expect(qtyAt(f.ids.lot, f.ids.binA, 'L1')).toBe(12);
    // choose keep counted instead: now it completes
    c.editing.setResolution({ sessionId: id, resolution: 'keep_counted' });
    c.completion.complete(id, admin);
    expect(qtyAt(f.ids.bulk, f.ids.binA)).toBe(8_000);
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('is atomic: a failure after the document was posted rolls it back, and later posting is unharmed', () => {
    const id = c.sessions.create({ siteId: f.ids.wh }, admin);
    c.editing.setCounted(id, lineOf(c.queries.lines(id), f.ids.bulk, f.ids.binA).id, 1_000, admin);
    f.ledger.db.exec(`CREATE TRIGGER fail_close BEFORE UPDATE OF status ON count_sessions BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    const before = tableCounts(f.ledger);
    expect(() => c.completion.complete(id, admin)).toThrow(/disk trouble/);
    expect(tableCounts(f.ledger)).toEqual(before);
    expect(qtyAt(f.ids.bulk, f.ids.binA)).toBe(10_000);
    f.ledger.db.exec('DROP TRIGGER fail_close');
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound', qty: 5 }]), admin);
    c.completion.complete(id, admin);
    expect(qtyAt(f.ids.bulk, f.ids.binA)).toBe(1_005); // the 5 received after the line was counted stay on top of it (by time)
    expect(f.ledger.verify().ok).toBe(true);
  });
});

describe('counts keep their date', () => {
  const OCT_1 = '2026-10-01T08:00:00.000Z';
  const OCT_10 = '2026-10-10T09:00:00.000Z';
  const north = () => {
    const site = f.ledger.reference.addSite({ code: 'NTH', name: 'North Store' });
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: site, type: 'inbound', qty: 10_000, unitCost: 20_000 }], { occurredAt: OCT_1 }), admin);
    return site;
  };

  it('a count dated 10 October and completed later posts its adjustments dated 10 October', () => {
    const site = north();
    const id = c.sessions.create({ siteId: site, occurredAt: OCT_10 }, admin);
    const s = c.queries.session(id);
    expect(s.occurredAt).toBe(OCT_10);
    expect(Date.parse(s.createdAt)).toBeGreaterThan(Date.parse(OCT_10));
    c.editing.setCounted(id, c.queries.lines(id)[0]!.id, 9_400, admin);
    const done = c.completion.complete(id, admin);
    const rows = f.ledger.db.prepare('SELECT qty, occurred_at AS occurredAt, recorded_at AS recordedAt FROM movements WHERE document_id = ?').all(done.documentId) as {
      qty: number; occurredAt: number; recordedAt: number;
    }[];
    expect(rows.map((r) => [r.qty, new Date(r.occurredAt).toISOString()])).toEqual([[-600, OCT_10]]);
    expect(rows[0]!.recordedAt).toBeGreaterThan(Date.parse(OCT_10));
    const doc = f.ledger.db.prepare('SELECT occurred_at AS t FROM documents WHERE id = ?').get(done.documentId) as { t: number };
    expect(new Date(doc.t).toISOString()).toBe(OCT_10);
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('a paper count dated 10 October, typed in on 15 October after a despatch: the despatch moved after the count, no adjustment, stock 8', () => {
    const site = north(); // 10 kg since 1 October
    let now = Date.parse('2026-10-15T09:00:00.000Z');
    const cc = countServices(f.ledger, () => now);
    const id = cc.sessions.create({ siteId: site, occurredAt: OCT_10 }, admin);
    expect(cc.queries.session(id)).toMatchObject({ occurredAt: OCT_10, backdated: true });
    const lineId = cc.queries.lines(id)[0]!.id;
    f.ledger.poster.post(
      f.doc('despatch', [{ productId: f.ids.bulk, siteId: site, type: 'sale', qty: -2_000 }], { occurredAt: '2026-10-15T09:30:00.000Z' }),
      admin,
    );
    now = Date.parse('2026-10-15T10:00:00.000Z');
    cc.editing.setCounted(id, lineId, 10_000, admin); // the paper sheet: 10 on the shelf on 10 October, as the system had
    const line = cc.queries.line(id, lineId);
    expect(line).toMatchObject({ systemQty: 10_000, movedQty: -2_000, movedAfterCount: -2_000, resolution: 'by_time' });
    expect(appliedResolution(line)).toEqual({ rule: 'keep_difference', chosen: false, movedBefore: 0, movedAfter: -2_000 });
    const done = cc.completion.complete(id, admin);
    expect(done).toEqual({ documentId: null, movementCount: 0 });
    const stock = f.ledger.db.prepare('SELECT qty FROM stock_levels WHERE product_id = ? AND site_id = ?').get(f.ids.bulk, site) as { qty: number };
    expect(stock.qty).toBe(8_000); // the shelf
    expect(cc.queries.line(id, lineId)).toMatchObject({ movedQty: -2_000, movedAfterCount: -2_000, adjustedQty: 0 });
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('defaults to now; refuses a date in the future or before stock in scope last moved', () => {
    const site = north();
    const before = Date.now();
    const id = c.sessions.create({ siteId: site }, admin);
    expect(Date.parse(c.queries.session(id).occurredAt)).toBeGreaterThanOrEqual(before);
    expect(c.queries.session(id).backdated).toBe(false);
    // dated a minute ago (within the clock tolerance) it is still counted as it is entered
    const minuteAgo = c.sessions.create({ siteId: site, occurredAt: new Date(Date.now() - 60_000).toISOString() }, admin);
    expect(c.queries.session(minuteAgo).backdated).toBe(false);
    expectError(() => c.sessions.create({ siteId: site, occurredAt: new Date(Date.now() + 3_600_000).toISOString() }, admin), 'VALIDATION', /is in the future/);
    // Times in messages are the company's (London, en-GB), as the windows show them; never ISO or UTC.
    new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: 'Europe/London', locale: 'en-GB' }, Date.now());
    expectError(
      () => c.sessions.create({ siteId: site, occurredAt: '2026-09-30T17:00:00.000Z' }, admin),
      'VALIDATION',
      /^Stock at North Store moved after 30\/09\/2026, 18:00 \(RICE-1KG on 01\/10\/2026, 09:00\), and the count's snapshot taken now includes that\. Date the count at 01\/10\/2026, 09:00 or later/,
    );
  });
});

describe('counts resolve moves by time', () => {
  const despatch = (binId: number, qty: number, extra: { occurredAt?: string; batch?: string } = {}) =>
    f.ledger.poster.post(
      f.doc(
        'despatch',
        [{ productId: extra.batch ? f.ids.lot : f.ids.bulk, siteId: f.ids.wh, binId, ...(extra.batch ? { batch: { code: extra.batch } } : {}), type: 'sale', qty }],
        extra.occurredAt ? { occurredAt: extra.occurredAt } : {},
      ),
      admin,
    );

  it('a line counted before a despatch keeps the difference: counted 10, system 10, −2 after counting → 8, no adjustment', () => {
    const id = c.sessions.create({ siteId: f.ids.wh, binId: f.ids.binA }, admin);
    const a = lineOf(c.queries.lines(id), f.ids.bulk, f.ids.binA);
    c.editing.setCounted(id, a.id, 10_000, admin); // the shelf matches the system
    despatch(f.ids.binA, -2_000); // 2 kg leave after the line was counted
    const line = c.queries.line(id, a.id);
    expect(line).toMatchObject({ movedQty: -2_000, movedAfterCount: -2_000, resolution: 'by_time' });
    expect(appliedResolution(line)).toEqual({ rule: 'keep_difference', chosen: false, movedBefore: 0, movedAfter: -2_000 });
    expect(effectiveAdjustment(line)).toBe(0);
    const done = c.completion.complete(id, admin);
    expect(done.documentId).toBeNull(); // nothing to adjust
    expect(qtyAt(f.ids.bulk, f.ids.binA)).toBe(8_000);
    expect(c.queries.line(id, a.id)).toMatchObject({ movedQty: -2_000, movedAfterCount: -2_000, adjustedQty: 0, resolution: 'by_time' });
  });

  it('a line counted after a despatch keeps the count: system 4, −0.5 before counting, counted 3.5 → 3.5, no adjustment', () => {
    const id = c.sessions.create({ siteId: f.ids.wh, binId: f.ids.binB }, admin);
    const b = lineOf(c.queries.lines(id), f.ids.bulk, f.ids.binB);
    despatch(f.ids.binB, -500);
    c.editing.setCounted(id, b.id, 3_500, admin); // the shelf after the despatch
    const line = c.queries.line(id, b.id);
    expect(line).toMatchObject({ movedQty: -500, movedAfterCount: 0 });
    expect(appliedResolution(line)).toEqual({ rule: 'keep_counted', chosen: false, movedBefore: -500, movedAfter: 0 });
    c.completion.complete(id, admin);
    expect(qtyAt(f.ids.bulk, f.ids.binB)).toBe(3_500);
    expect(c.queries.line(id, b.id).adjustedQty).toBe(0);
  });

  it('moves on both sides of the count split by time; a backdated despatch counts as before; a chosen rule overrides', () => {
    const id = c.sessions.create({ siteId: f.ids.wh, binId: f.ids.binA }, admin);
    const lines = c.queries.lines(id);
    const l1 = lineOf(lines, f.ids.lot, f.ids.binA, 'L1'); // system 12
    const l2 = lineOf(lines, f.ids.lot, f.ids.binA, 'L2'); // system 6
    const rice = lineOf(lines, f.ids.bulk, f.ids.binA); // system 10,000
    despatch(f.ids.binA, -2, { batch: 'L1' });
    c.editing.setCounted(id, l1.id, 9, admin); // 10 expected on the shelf: 1 lost
    c.editing.setCounted(id, l2.id, 6, admin);
    c.editing.setCounted(id, rice.id, 10_000, admin);
    despatch(f.ids.binA, -3, { batch: 'L1' });
    // recorded after L2 was counted, but dated an hour before: it had already left the shelf
    despatch(f.ids.binA, -1, { batch: 'L2', occurredAt: new Date(Date.now() - 3_600_000).toISOString() });
    despatch(f.ids.binA, -1_000);
    c.editing.setResolution({ sessionId: id, lineIds: [rice.id], resolution: 'keep_counted' });
    const s1 = c.queries.line(id, l1.id);
    expect(appliedResolution(s1)).toEqual({ rule: 'split', chosen: false, movedBefore: -2, movedAfter: -3 });
    expect(effectiveAdjustment(s1)).toBe(-1);
    expect(appliedResolution(c.queries.line(id, l2.id))).toMatchObject({ rule: 'keep_counted', movedBefore: -1, movedAfter: 0 });
    expect(c.queries.line(id, rice.id)).toMatchObject({ resolution: 'keep_counted', movedAfterCount: -1_000 });
    c.completion.complete(id, admin);
    expect(qtyAt(f.ids.lot, f.ids.binA, 'L1')).toBe(6); // 9 counted − 3 after counting
    expect(qtyAt(f.ids.lot, f.ids.binA, 'L2')).toBe(6); // the count: the dated despatch was before it (+1 found)
    expect(qtyAt(f.ids.bulk, f.ids.binA)).toBe(10_000); // chosen keep counted
    expect(c.queries.line(id, l1.id)).toMatchObject({ adjustedQty: -1, movedQty: -5, movedAfterCount: -3 });
    expect(f.ledger.verify().ok).toBe(true);
  });

  it('choosing "by time" again drops the chosen rule', () => {
    const id = c.sessions.create({ siteId: f.ids.wh, binId: f.ids.binA }, admin);
    const a = lineOf(c.queries.lines(id), f.ids.bulk, f.ids.binA);
    c.editing.setCounted(id, a.id, 10_000, admin);
    despatch(f.ids.binA, -2_000);
    c.editing.setResolution({ sessionId: id, resolution: 'keep_counted' });
    expect(effectiveAdjustment(c.queries.line(id, a.id))).toBe(2_000);
    c.editing.setResolution({ sessionId: id, lineIds: [a.id], resolution: 'by_time' });
    expect(c.queries.line(id, a.id).resolution).toBe('by_time');
    expect(effectiveAdjustment(c.queries.line(id, a.id))).toBe(0);
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
    const create = await dispatch('counts.create', { siteId: 1 }, clerk);
    expect(create).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    if (!create.ok) expect(create.error.message).toBe('viewer may not create a stock count session: that needs the “Count stock” permission. Ask an administrator for it.');
    const complete = await dispatch('counts.complete', { sessionId: 1 }, counter);
    expect(complete).toMatchObject({ ok: false, error: { code: 'PERMISSION', message: expect.stringContaining('needs the “Complete stock counts” permission') } });
    expect((await dispatch('counts.setCounted', { sessionId: 1, lineId: 1, countedQty: 3 }, counter)).ok).toBe(true);
    expect((await dispatch('counts.get', { sessionId: 1 }, clerk)).ok).toBe(true);
    expect(called).toEqual(['counts.setCounted', 'counts.get']);
  });
});
