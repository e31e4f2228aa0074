import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import { countVariance, effectiveAdjustment, type CountLine } from '../../shared/counts';
import type { DocumentTypeCode } from '../../shared/document-types';
import { openFixture } from '../../test/fixtures/ledger';
import { countStockLines } from '../../test/fixtures/count-stock';
import { openPgFixture } from '../../test/fixtures/pg-ledger';
import type { LedgerCore } from '../ledger/ledger-core';
import { PgReferenceStore } from '../ledger/pg/store/pg-reference-store';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { SqliteLedgerCore } from '../ledger/store/sqlite-ledger-core';
import type { CountRecords } from './count-records';
import { PgCountStore } from './pg-count-store';
import { SqliteCountRecords } from './sqlite-count-records';

/**
 * The count cases of counts.test.ts that do not scan, run on both stores (issue 17): SQLite's services behind
 * CountRecords and the PostgreSQL count store on a throw-away cluster, held to the same expected rows.
 */
interface Side {
  counts: CountRecords;
  core: LedgerCore;
  ids: { wh: number; shop: number; external: number; binA: number; binB: number; bulk: number; lot: number; serial: number; admin: number };
  /** Rows of a read-only query (the same text runs on both stores). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** A bulk product with one barcode. */
  addProduct(sku: string, barcode: string): Promise<number>;
  close(): Promise<void>;
}

let cluster: TestCluster | undefined;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster?.stop());

const STORES: [string, () => Promise<Side>][] = [
  [
    'SQLite',
    async () => {
      const f = await openFixture();
      return {
        counts: new SqliteCountRecords(f.ledger),
        core: new SqliteLedgerCore(f.ledger.db, f.ledger.poster),
        ids: f.ids,
        rows: async (sql) => f.ledger.db.prepare(sql).all() as Record<string, unknown>[],
        addProduct: async (sku, barcode) => f.ledger.reference.addProduct({ sku, name: sku, stockType: 'Supplied', barcodes: [barcode] }),
        close: () => f.cleanup(),
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const f = await openPgFixture(cluster!);
      return {
        counts: new PgCountStore(f.pool),
        core: f.store,
        ids: f.ids,
        rows: async (sql) => (await f.pool.query(sql)).rows as Record<string, unknown>[],
        addProduct: async (sku, barcode) => {
          const id = await new PgReferenceStore(f.pool).createProduct({ sku, name: sku });
          await f.pool.query('INSERT INTO product_barcodes (barcode, product_id) VALUES ($1, $2)', [barcode, id]);
          return id;
        },
        close: () => f.close(),
      };
    },
  ],
];

let counter = 0;
const doc = (type: DocumentTypeCode, lines: MovementLineInput[], extra: Partial<PostDocumentInput> = {}): PostDocumentInput => ({
  idempotencyKey: `count-records-${process.pid}-${++counter}`,
  type,
  lines,
  ...extra,
});

const refusal = async (p: Promise<unknown>, code: string, message: RegExp) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  expect((e as AppError).message).toMatch(message);
};

const lineOf = (lines: CountLine[], productId: number, binId: number | null, batch?: string) =>
  lines.find((l) => l.productId === productId && l.binId === binId && (batch === undefined || l.batchCode === batch))!;

describe.each(STORES)('stock counts on %s', (_name, open) => {
  let s: Side;
  let admin: number;
  const n = (v: unknown) => Number(v);

  const qtyAt = async (productId: number, binId: number | null, batch?: string) =>
    n((await s.rows(
      `SELECT COALESCE(SUM(sl.qty), 0) AS q FROM stock_levels sl LEFT JOIN batches b ON b.id = sl.batch_id
       WHERE sl.product_id = ${productId} AND sl.site_id = ${s.ids.wh} AND ${binId === null ? 'sl.bin_id IS NULL' : `sl.bin_id = ${binId}`}${batch ? ` AND b.code = '${batch}'` : ''}`,
    ))[0]!.q);
  const movementsOf = async (documentId: number) =>
    (await s.rows(`SELECT product_id AS "productId", bin_id AS "binId", type, qty, note, serial_id AS "serialId" FROM movements WHERE document_id = ${documentId} ORDER BY seq`)).map((m) => ({
      ...m,
      qty: n(m.qty),
    }));
  const tableCounts = async () => {
    const out: Record<string, number> = {};
    for (const t of ['documents', 'movements', 'stock_levels', 'serial_units']) out[t] = n((await s.rows(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);
    return out;
  };

  beforeEach(async () => {
    s = await open();
    admin = s.ids.admin;
    await s.core.post(doc('receipt', countStockLines(s.ids)), admin);
  });
  afterEach(async () => {
    await s.close();
  });

  it('a full count snapshots one blank line per product/bin/batch at the site, system quantity = the quant, snapshot seq = last movement', async () => {
    const id = await s.counts.create({ siteId: s.ids.wh, notes: 'Year end' }, admin);
    const lastSeq = n((await s.rows('SELECT MAX(seq) AS s FROM movements'))[0]!.s);
    expect(await s.counts.session(id)).toMatchObject({ status: 'DRAFT', siteId: s.ids.wh, binId: null, notes: 'Year end', snapshotSeq: lastSeq, lineCount: 6, countedCount: 0, createdBy: 'Administrator', completedAt: null, backdated: false });
    const lines = await s.counts.lines(id);
    expect(lines).toHaveLength(6);
    expect(lines.every((l) => l.countedQty === null && l.movedQty === 0 && l.movedAfterCount === 0)).toBe(true);
    expect(lineOf(lines, s.ids.bulk, s.ids.binA)).toMatchObject({ systemQty: 10_000, unitCost: 20_000, resolution: 'by_time' });
    expect(lineOf(lines, s.ids.lot, s.ids.binA, 'L2').systemQty).toBe(6);
    expect(lineOf(lines, s.ids.serial, s.ids.binA).systemQty).toBe(3);
  });

  it('a single-bin cycle count takes only that bin; the External pseudo-site and a bin of another site are refused', async () => {
    const id = await s.counts.create({ siteId: s.ids.wh, binId: s.ids.binB }, admin);
    expect((await s.counts.lines(id)).map((l) => [l.sku, l.systemQty])).toEqual([
      ['RICE-1KG', 4_000],
      ['TAP-01', 1],
    ]);
    await refusal(s.counts.create({ siteId: s.ids.external }, admin), 'VALIDATION', /not a site that holds stock/);
    await refusal(s.counts.create({ siteId: s.ids.shop, binId: s.ids.binA }, admin), 'VALIDATION', /not a bin of Soho Bar/);
    await refusal(s.counts.create({ siteId: s.ids.wh, occurredAt: new Date(Date.now() + 86_400_000).toISOString() }, admin), 'VALIDATION', /is in the future/);
    await refusal(s.counts.create({ siteId: s.ids.wh, occurredAt: new Date(Date.now() - 86_400_000).toISOString() }, admin), 'VALIDATION', /moved after .* Date the count at/);
  });

  it('variance = counted − system; blank again with null; a serial line takes only 0; a save from an old version is refused', async () => {
    const id = await s.counts.create({ siteId: s.ids.wh }, admin);
    const lines = await s.counts.lines(id);
    const line = lineOf(lines, s.ids.bulk, s.ids.binA);
    await s.counts.setCounted(id, line.id, 9_500, admin);
    const after = await s.counts.line(id, line.id);
    expect(after.countedQty).toBe(9_500);
    expect(countVariance(after)).toBe(-500);
    expect((await s.counts.session(id)).countedCount).toBe(1);
    await refusal(s.counts.setCounted(id, line.id, 9_400, admin, line.version), 'CONFLICT', /The count of RICE-1KG on .* was changed by Administrator/);
    await s.counts.setCounted(id, line.id, null, admin, after.version);
    expect((await s.counts.line(id, line.id)).countedQty).toBeNull();
    await refusal(s.counts.setCounted(id, lineOf(lines, s.ids.serial, s.ids.binA).id, 2, admin), 'VALIDATION', /scan or type each serial number/);
  });

  it('completing posts one Stock Taking document for counted lines with a variance, once; the count is then closed', async () => {
    const id = await s.counts.create({ siteId: s.ids.wh }, admin);
    const lines = await s.counts.lines(id);
    await s.counts.setCounted(id, lineOf(lines, s.ids.bulk, s.ids.binA).id, 9_250, admin); // −750
    await s.counts.setCounted(id, lineOf(lines, s.ids.lot, s.ids.binA, 'L1').id, 15, admin); // +3
    await s.counts.setCounted(id, lineOf(lines, s.ids.lot, s.ids.binA, 'L2').id, 6, admin); // no variance
    const before = (await tableCounts()).movements!;
    const done = await s.counts.complete(id, admin);
    expect(done.movementCount).toBe(2);
    const session = await s.counts.session(id);
    expect(session).toMatchObject({ status: 'COMPLETED', completedBy: 'Administrator', documentId: done.documentId });
    expect((await s.rows(`SELECT type, reference, note FROM documents WHERE id = ${done.documentId}`))[0]).toEqual({ type: 'stock_count', reference: session.reference, note: 'stock_count' });
    expect(await movementsOf(done.documentId!)).toEqual([
      { productId: s.ids.bulk, binId: s.ids.binA, type: 'system_correction', qty: -750, note: 'stock_count', serialId: null },
      { productId: s.ids.lot, binId: s.ids.binA, type: 'system_correction', qty: 3, note: 'stock_count', serialId: null },
    ]);
    expect((await tableCounts()).movements).toBe(before + 2);
    expect(await qtyAt(s.ids.bulk, s.ids.binA)).toBe(9_250);
    expect(await qtyAt(s.ids.lot, s.ids.binA, 'L1')).toBe(15);
    expect(await qtyAt(s.ids.serial, s.ids.binA)).toBe(3); // blank serial line: nothing detached
    expect((await s.counts.line(id, lineOf(lines, s.ids.bulk, s.ids.binA).id)).adjustedQty).toBe(-750);
    expect((await s.core.verify()).ok).toBe(true);
    await refusal(s.counts.setCounted(id, lines[0]!.id, 1, admin), 'CONFLICT', /is completed and can no longer be changed/);
    await refusal(s.counts.complete(id, admin), 'CONFLICT', /is completed/);
    await refusal(s.counts.cancel(id, admin), 'CONFLICT', /is completed/);
    expect((await tableCounts()).movements).toBe(before + 2);
  });

  it('a count with nothing to adjust completes without a document; a serial line counted 0 detaches every unit', async () => {
    const empty = await s.counts.create({ siteId: s.ids.wh, binId: s.ids.binB }, admin);
    const before = await tableCounts();
    expect(await s.counts.complete(empty, admin)).toEqual({ documentId: null, movementCount: 0 });
    expect((await s.counts.session(empty)).status).toBe('COMPLETED');
    expect(await tableCounts()).toEqual(before);

    const id = await s.counts.create({ siteId: s.ids.wh, binId: s.ids.binA }, admin);
    await s.counts.setCounted(id, lineOf(await s.counts.lines(id), s.ids.serial, s.ids.binA).id, 0, admin);
    const done = await s.counts.complete(id, admin);
    expect((await movementsOf(done.documentId!)).map((m) => m.qty)).toEqual([-1, -1, -1]);
    expect(await qtyAt(s.ids.serial, s.ids.binA)).toBe(0);
    expect((await s.rows("SELECT COUNT(*) AS n FROM serial_units WHERE serial IN ('S1', 'S2', 'S3') AND bin_id IS NULL"))[0]!.n).toBe(3);
  });

  it('stock moved since the snapshot: keep counted makes the count the truth, keep difference applies only the variance', async () => {
    const id = await s.counts.create({ siteId: s.ids.wh }, admin);
    const lines = await s.counts.lines(id);
    const a = lineOf(lines, s.ids.bulk, s.ids.binA);
    const b = lineOf(lines, s.ids.bulk, s.ids.binB);
    await s.core.post(
      doc('despatch', [
        { productId: s.ids.bulk, siteId: s.ids.wh, binId: s.ids.binA, type: 'sale', qty: -1_000 },
        { productId: s.ids.bulk, siteId: s.ids.wh, binId: s.ids.binB, type: 'sale', qty: -500 },
      ]),
      admin,
    );
    expect((await s.counts.line(id, a.id)).movedQty).toBe(-1_000);
    await s.counts.setCounted(id, a.id, 9_800, admin);
    await s.counts.setCounted(id, b.id, 3_300, admin);
    expect(await s.counts.setResolution({ sessionId: id, lineIds: [a.id], resolution: 'keep_difference' })).toEqual({ updated: 1 });
    const la = await s.counts.line(id, a.id);
    const lb = await s.counts.line(id, b.id);
    expect([countVariance(la), effectiveAdjustment(la)]).toEqual([-200, -200]);
    expect([countVariance(lb), effectiveAdjustment(lb)]).toEqual([-700, -200]);
    await s.counts.complete(id, admin);
    expect(await qtyAt(s.ids.bulk, s.ids.binA)).toBe(8_800);
    expect(await qtyAt(s.ids.bulk, s.ids.binB)).toBe(3_300);
    expect(await s.counts.line(id, a.id)).toMatchObject({ movedQty: -1_000, adjustedQty: -200 });
    expect(await s.counts.line(id, b.id)).toMatchObject({ movedQty: -500, adjustedQty: -200 });
  });

  it('a line counted before a despatch keeps the difference (by time): counted 10, −2 after counting → 8, no adjustment', async () => {
    const id = await s.counts.create({ siteId: s.ids.wh, binId: s.ids.binA }, admin);
    const a = lineOf(await s.counts.lines(id), s.ids.bulk, s.ids.binA);
    await s.counts.setCounted(id, a.id, 10_000, admin);
    await s.core.post(doc('despatch', [{ productId: s.ids.bulk, siteId: s.ids.wh, binId: s.ids.binA, type: 'sale', qty: -2_000 }]), admin);
    expect(await s.counts.line(id, a.id)).toMatchObject({ movedQty: -2_000, movedAfterCount: -2_000 });
    await s.counts.complete(id, admin);
    expect(await qtyAt(s.ids.bulk, s.ids.binA)).toBe(8_000);
    expect((await s.counts.line(id, a.id)).adjustedQty).toBe(0);
  });

  it('is atomic: a refused adjustment posts nothing and leaves the session open; cancel posts nothing', async () => {
    const id = await s.counts.create({ siteId: s.ids.wh }, admin);
    const lines = await s.counts.lines(id);
    const a = lineOf(lines, s.ids.bulk, s.ids.binA);
    await s.counts.setCounted(id, lineOf(lines, s.ids.lot, s.ids.binA, 'L1').id, 20, admin);
    await s.core.post(doc('despatch', [{ productId: s.ids.bulk, siteId: s.ids.wh, binId: s.ids.binA, type: 'sale', qty: -10_000 }]), admin);
    await s.counts.setCounted(id, a.id, 8_000, admin);
    await s.counts.setResolution({ sessionId: id, resolution: 'keep_difference' });
    const before = await tableCounts();
    await refusal(s.counts.complete(id, admin), 'NEGATIVE_STOCK', /not enough RICE-1KG/);
    expect(await tableCounts()).toEqual(before);
    expect((await s.counts.session(id)).status).toBe('DRAFT');
    expect((await s.counts.line(id, a.id)).adjustedQty).toBeNull();
    expect(await qtyAt(s.ids.lot, s.ids.binA, 'L1')).toBe(12);
    await s.counts.cancel(id, admin);
    expect(await s.counts.session(id)).toMatchObject({ status: 'CANCELLED', cancelledBy: 'Administrator', documentId: null });
    expect(await tableCounts()).toEqual(before);
    await refusal(s.counts.complete(id, admin), 'CONFLICT', /is cancelled/);
  });

  it('serial lines are counted by scanned codes: duplicates ignored and reported, a unit of another bin flagged, codes removed', async () => {
    const id = await s.counts.create({ siteId: s.ids.wh, binId: s.ids.binA }, admin);
    const line = lineOf(await s.counts.lines(id), s.ids.serial, s.ids.binA);
    expect(await s.counts.scan({ sessionId: id, code: 'S1' }, admin)).toMatchObject({ outcome: 'added', line: { id: line.id, countedQty: 1 } });
    const dup = await s.counts.scan({ sessionId: id, code: 'S1', lineId: line.id }, admin);
    expect(dup.outcome).toBe('duplicate');
    expect(dup.message).toMatch(/already scanned on TAP-01 in A-01; this scan was ignored/);
    expect(dup.line!.countedQty).toBe(1);
    const elsewhere = await s.counts.scan({ sessionId: id, code: 'S9', lineId: line.id }, admin);
    expect(elsewhere.outcome).toBe('flagged');
    expect(elsewhere.message).toMatch(/system has it at Central Warehouse in B-01/);
    expect(elsewhere.line).toMatchObject({ countedQty: 2, codeCount: 2, flaggedCount: 1 });
    expect(await s.counts.scan({ sessionId: id, code: 'RICE-1KG' }, admin)).toMatchObject({ outcome: 'incremented', line: { sku: 'RICE-1KG', countedQty: 1_000 } });
    expect((await s.counts.removeCode(id, line.id, 'S9', admin)).countedQty).toBe(1);
    await refusal(s.counts.removeCode(id, line.id, 'S9', admin), 'NOT_FOUND', /S9 is not scanned on this line/);
    expect((await s.counts.removeCode(id, line.id, 'S1', admin)).countedQty).toBeNull();
  });

  it('a scanned barcode without a line adds its line (system qty 0); unknown codes and serial products are reported', async () => {
    const id = await s.counts.create({ siteId: s.ids.wh, binId: s.ids.binB }, admin);
    const oil = await s.addProduct('OIL-1L', '5012345678900');
    expect(await s.counts.scan({ sessionId: id, code: '5012345678900' }, admin)).toMatchObject({ outcome: 'incremented', addedLine: true, line: { productId: oil, binId: s.ids.binB, systemQty: 0, countedQty: 1 } });
    expect((await s.counts.scan({ sessionId: id, code: '5012345678900' }, admin)).line!.countedQty).toBe(2);
    expect((await s.counts.scan({ sessionId: id, code: 'NOPE' }, admin)).outcome).toBe('not_found');
    expect(await s.counts.scan({ sessionId: id, code: 'TAP-01' }, admin)).toMatchObject({ outcome: 'flagged', message: expect.stringMatching(/scan each unit's serial number/) });
  });

  it('completing detaches unscanned serial units and brings in a unit found here from another bin', async () => {
    const id = await s.counts.create({ siteId: s.ids.wh, binId: s.ids.binA }, admin);
    const line = lineOf(await s.counts.lines(id), s.ids.serial, s.ids.binA);
    await s.counts.scan({ sessionId: id, code: 'S2', lineId: line.id }, admin);
    await s.counts.scan({ sessionId: id, code: 'S9', lineId: line.id }, admin); // recorded in B-01
    const done = await s.counts.complete(id, admin);
    const moved = await s.rows(
      `SELECT u.serial, m.bin_id AS "binId", m.qty, m.type, m.note FROM movements m JOIN serial_units u ON u.id = m.serial_id WHERE m.document_id = ${done.documentId} ORDER BY m.seq`,
    );
    expect(moved.map((m) => [m.serial, m.binId, n(m.qty), m.type, m.note])).toEqual([
      ['S1', s.ids.binA, -1, 'system_correction', 'stock_count'],
      ['S3', s.ids.binA, -1, 'system_correction', 'stock_count'],
      ['S9', s.ids.binB, -1, 'system_correction', 'stock_count'],
      ['S9', s.ids.binA, 1, 'system_correction', 'stock_count'],
    ]);
    const units = await s.rows('SELECT serial, bin_id AS "binId", in_stock AS "inStock" FROM serial_units ORDER BY serial');
    expect(units.map((u) => [u.serial, u.binId, Boolean(u.inStock)])).toEqual([
      ['S1', null, false],
      ['S2', s.ids.binA, true],
      ['S3', null, false],
      ['S9', s.ids.binA, true],
    ]);
    expect(await qtyAt(s.ids.serial, s.ids.binA)).toBe(2);
    expect(await qtyAt(s.ids.serial, s.ids.binB)).toBe(0);
    expect((await s.counts.line(id, line.id)).adjustedQty).toBe(-1);
    expect((await s.core.verify()).ok).toBe(true);
  });
});
