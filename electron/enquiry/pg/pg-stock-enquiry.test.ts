import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementLineInput, PostDocumentInput } from '../../../shared/contract/schemas';
import type { DocumentTypeCode } from '../../../shared/document-types';
import type { StockAtDateResult } from '../../../shared/enquiry';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { openPool } from '../../ledger/pg/pg-types';
import { readSnapshot } from '../../ledger/pg/store/pg-read-snapshot';
import { PgLedgerStore } from '../../ledger/pg/store/pg-ledger-store';
import { startTestCluster, type TestCluster } from '../../ledger/pg/test-cluster';
import { SqliteLedgerCore } from '../../ledger/store/sqlite-ledger-core';
import { StockQueries } from '../../ledger/store/stock-queries';
import { ReportPages } from '../report-pages';
import { lowStockAsCurrentStock, stockAtQuestion, type LowStockQuery } from '../stock-enquiry';
import { StockSnapshots } from '../stock-snapshots';
import { PgStockEnquiry } from './pg-stock-enquiry';
import { PgStockStore } from './pg-stock-store';

/**
 * Stock at a date and low-stock alerts, the same on both stores: the same documents are posted on SQLite (its poster,
 * through the ledger core adapter) and PostgreSQL (its ledger core), then every question gets the same rows from both.
 */
let cluster: TestCluster;
let lite: Fixture;
let pgf: PgFixture;
let core: SqliteLedgerCore;
let snaps: StockSnapshots;
/** PostgreSQL's answers: stock at a date and low stock by PgStockEnquiry on a read snapshot's client, the current stock view one statement on the pool. */
let pgStock: Pick<PgStockEnquiry, 'stockAt' | 'lowStock'> & Pick<PgStockStore, 'current'>;
const ZONE = 'Europe/London';
const DAY = 86_400_000;
const t0 = Date.parse('2026-05-04T07:30:00Z');
let now = t0 + 60 * DAY;
let seqNo = 0;

const docOf = (type: DocumentTypeCode, day: number, lines: MovementLineInput[]): PostDocumentInput => ({
  idempotencyKey: `stock-at-${++seqNo}`,
  type,
  lines,
  occurredAt: new Date(t0 + day * DAY + (seqNo % 5) * 1_800_000).toISOString(),
});

/** Posts one document on both stores, recorded a minute after the last; both must accept it alike. */
const postedAt: string[] = [];
async function postBoth(d: PostDocumentInput): Promise<void> {
  now += 60_000;
  postedAt.push(d.occurredAt!);
  expect(await pgf.store.post(d, pgf.ids.admin)).toEqual(await core.post(d, lite.ids.admin));
}

/** SQLite's answer to enquiry.stockAt as enquiry.ops.ts gives it (the same rules: stock-enquiry.ts, report-pages.ts). */
const litePages = new ReportPages<StockAtDateResult>(() => lite.ledger.db.prepare('SELECT COALESCE(MAX(seq), 0) AS h FROM movements').pluck().get() as number);
function liteStockAt(q: { at: string; productId?: number; siteId?: number; level: 'batch' | 'site'; offset: number; limit: number }): StockAtDateResult {
  const { offset, limit, ...rest } = q;
  const { at, filter, key } = stockAtQuestion(rest, ZONE);
  return litePages.page(key, () => snaps.stockAt(at, filter), offset, limit);
}

beforeAll(async () => {
  cluster = await startTestCluster();
  lite = await openFixture({ clock: () => now });
  pgf = await openPgFixture(cluster, () => now);
  expect(pgf.ids).toEqual(lite.ids);
  core = new SqliteLedgerCore(lite.ledger.db, lite.ledger.poster);
  snaps = new StockSnapshots(lite.ledger.db, { spacing: 12, timeZone: ZONE, clock: () => now });
  const pages = new ReportPages<StockAtDateResult>();
  const pool = pgf.pool;
  pgStock = {
    stockAt: (q, zone) => readSnapshot(pool, (c) => new PgStockEnquiry(c, pages).stockAt(q, zone)),
    lowStock: (q) => readSnapshot(pool, (c) => new PgStockEnquiry(c, pages).lowStock(q)),
    current: (q) => new PgStockStore(pool).current(q),
  };
  const { wh, shop, binA, binB, bulk, lot } = pgf.ids;
  for (let day = 0; day < 20; day++) {
    const bin = day % 2 ? binA : binB;
    await postBoth(docOf('receipt', day, [
      { productId: bulk, siteId: wh, binId: bin, type: 'supplier_order', qty: 4_000 + day, unitCost: 21_000 },
      { productId: lot, siteId: wh, batch: { code: `V${day % 3}`, expiry: `2028-0${1 + (day % 3)}-01` }, type: 'supplier_order', qty: 6, unitCost: 90_000 },
    ]));
    // Some rice is put away without a bin: the warehouse has a no-bin line beside its bins (listed first).
    if (day % 7 === 3) await postBoth(docOf('receipt', day, [{ productId: bulk, siteId: wh, type: 'supplier_order', qty: 250, unitCost: 21_000 }]));
    await postBoth(docOf('despatch', day, [{ productId: bulk, siteId: wh, binId: bin, type: 'sale', qty: -1_200, unitCost: 21_000, costSource: 'latest_at_site' }]));
    if (day % 4 === 0) {
      await postBoth(docOf('transfer', day, [
        { productId: lot, siteId: wh, batch: { code: `V${day % 3}` }, type: 'transfer_out', qty: -2, unitCost: 90_000, costSource: 'dispatching_site' },
        { productId: lot, siteId: shop, batch: { code: `V${day % 3}` }, type: 'transfer_in', qty: 2, unitCost: 90_000, costSource: 'dispatching_site' },
      ]));
    }
    // Two days later the bar sells what came: its claret lines go back to nothing (out of stock).
    if (day % 4 === 2) await postBoth(docOf('despatch', day, [{ productId: lot, siteId: shop, batch: { code: `V${(day - 2) % 3}` }, type: 'sale', qty: -2, unitCost: 90_000, costSource: 'latest_at_site' }]));
    if (day % 3 === 0) {
      await postBoth(docOf('transfer', day, [
        { productId: bulk, siteId: wh, binId: bin, type: 'transfer_out', qty: -500, unitCost: 21_000, costSource: 'dispatching_site' },
        { productId: bulk, siteId: shop, type: 'transfer_in', qty: 500, unitCost: 21_000, costSource: 'dispatching_site' },
      ]));
    }
    // Wastage entered late: effective three days before it was recorded.
    if (day >= 6 && day % 5 === 1) await postBoth(docOf('write_off', day - 3, [{ productId: bulk, siteId: shop, type: 'wastage', qty: -70, unitCost: 21_000, costSource: 'latest_at_site' }]));
  }
  // SQLite's snapshots are cut now; the backdated documents below land behind them (SQLite patches, PostgreSQL just sums).
  snaps.rebuild();
  for (const day of [2, 9, 15]) {
    await postBoth(docOf('write_off', day, [{ productId: bulk, siteId: wh, binId: binA, type: 'wastage', qty: -33, unitCost: 21_000, costSource: 'latest_at_site' }]));
  }
  const low = (table: string, id: number, level: number) => {
    lite.ledger.db.prepare(`UPDATE ${table} SET low_stock_level = ? WHERE id = ?`).run(level, id);
    return pgf.pool.query(`UPDATE ${table} SET low_stock_level = $1 WHERE id = $2`, [level, id]);
  };
  await low('products', bulk, 60_000); // the warehouse's rice is low, the bar's too
  await low('products', lot, 200); // the warehouse's claret is low too; the bar's is out
  // The beer tap is set up at the bar (a level of its own there) and has never been there: out at the bar.
  lite.ledger.db.prepare('INSERT INTO product_sites (product_id, site_id, low_stock_level) VALUES (?, ?, ?)').run(pgf.ids.serial, shop, 2);
  await pgf.pool.query('INSERT INTO product_sites (product_id, site_id, low_stock_level) VALUES ($1, $2, $3)', [pgf.ids.serial, shop, 2]);
}, 240_000);
afterAll(async () => {
  await pgf?.close();
  await lite?.cleanup();
  cluster?.stop();
});

describe('stock at a date on both stores', () => {
  const instants = [
    '2026-05-01', // before the first movement: nothing
    '2026-05-06', '2026-05-09T12:00:00', '2026-05-13', '2026-05-16T08:00:00+02:00', '2026-05-19', '2026-05-23', '2026-06-30',
  ];
  it('gives the same lines at every date, for every narrowing and level, backdated movements counted from their effective time', async () => {
    const { wh, shop, bulk, lot } = pgf.ids;
    const narrowings = [{}, { productId: bulk }, { productId: lot }, { siteId: shop }, { productId: bulk, siteId: wh }];
    let lines = 0;
    // Some instants are a movement's own effective time: "as at" includes it.
    for (const at of [...instants, postedAt[7]!, postedAt[30]!, postedAt[postedAt.length - 2]!]) {
      for (const n of narrowings) {
        for (const level of ['batch', 'site'] as const) {
          const q = { at, ...n, level, offset: 0, limit: 5_000 };
          const mine = await pgStock.stockAt(q, ZONE);
          const theirs = liteStockAt(q);
          expect(mine.rows, `${at} ${JSON.stringify(n)} ${level}`).toEqual(theirs.rows);
          expect(mine.at).toBe(theirs.at);
          lines += mine.rows.length;
        }
      }
    }
    expect(lines).toBeGreaterThan(100);
    // One line worked out by hand: rice in the warehouse at the end of 2026-05-06 (days 0-2; the 33 kg backdated to day 2 included).
    const rice = await pgStock.stockAt({ at: '2026-05-06', productId: bulk, siteId: wh, level: 'site', offset: 0, limit: 10 }, ZONE);
    expect(rice.rows.map((r) => r.qty)).toEqual([4_000 + 4_001 + 4_002 - 3 * 1_200 - 500 - 33]);
    expect(rice.movementsSince).toBe(3 + 3 + 1 + 1);
  });

  it('pages the same answer the same way', async () => {
    const q = { at: '2026-05-23', level: 'batch' as const };
    const all = liteStockAt({ ...q, offset: 0, limit: 5_000 });
    expect(all.total).toBeGreaterThan(5);
    for (const offset of [0, 3, 6, all.total - 1, all.total + 2]) {
      const mine = await pgStock.stockAt({ ...q, offset, limit: 3 }, ZONE);
      expect(mine.rows).toEqual(liteStockAt({ ...q, offset, limit: 3 }).rows);
      expect(mine.total).toBe(all.total);
    }
  });
});

describe('low-stock alerts on both stores', () => {
  it('lists the same low (and out) lines with the same counts, narrowed and paged alike', async () => {
    const liteQueries = new StockQueries(lite.ledger.db);
    const asks: LowStockQuery[] = [];
    for (const includeOut of [true, false]) {
      for (const siteId of [undefined, pgf.ids.wh, pgf.ids.shop]) for (const [offset, limit] of [[0, 1_000], [1, 1], [0, 2]] as const) asks.push({ siteId, includeOut, offset, limit });
    }
    let seen = 0;
    for (const q of asks) {
      const mine = await pgStock.lowStock(q);
      expect(mine, JSON.stringify(q)).toEqual(liteQueries.current(lowStockAsCurrentStock(q)));
      seen += mine.rows.length;
    }
    const all = await pgStock.lowStock({ includeOut: true, offset: 0, limit: 1_000 });
    expect(all.rows.map((r) => `${r.sku}@${r.siteCode}:${r.status}`)).toEqual(['CLARET-75@BAR:out', 'CLARET-75@WH1:low', 'RICE-1KG@BAR:low', 'RICE-1KG@WH1:low', 'TAP-01@BAR:out']);
    expect([all.lowCount, all.outCount]).toEqual([3, 2]);
    expect(seen).toBeGreaterThan(10);
  });
});

describe('the current stock view on both stores', () => {
  it('gives the same page for every status, sort, direction, site and search', async () => {
    const liteQueries = new StockQueries(lite.ledger.db);
    let seen = 0;
    for (const status of ['all', 'low', 'out', 'low_or_out'] as const) {
      for (const sort of ['sku', 'name', 'site', 'onHand', 'lastMovementAt'] as const) {
        for (const direction of ['asc', 'desc'] as const) {
          for (const [siteId, search] of [[undefined, undefined], [pgf.ids.wh, undefined], [undefined, 'clar'], [undefined, 'RICE-'], [undefined, 'o_x']] as const) {
            const q = { status, sort, direction, siteId, search, limit: 3, offset: 0 };
            const mine = await pgStock.current(q);
            expect(mine, JSON.stringify(q)).toEqual(liteQueries.current(q));
            seen += mine.rows.length;
          }
        }
      }
    }
    expect(seen).toBeGreaterThan(100);
  });
});

describe('stock at a date under concurrent posting', () => {
  it('answers from one snapshot: every answer holds whole transfers only, its count agreeing with its lines', async () => {
    const { wh, shop, binA, bulk } = pgf.ids;
    const writer = openPool(pgf.connection, 2);
    const other = new PgLedgerStore(writer, () => now);
    const store = new PgStockStore(pgf.pool);
    const far = Date.parse('2027-01-01T00:00:00Z');
    const base = await store.stockAt(far, { productId: bulk, level: 'site' });
    const qtyAt = (r: StockAtDateResult, site: number) => r.rows.find((x) => x.siteId === site)?.qty ?? 0;
    const total = qtyAt(base, wh) + qtyAt(base, shop);
    let done = false;
    const posting = (async () => {
      for (let i = 0; i < 40; i++) {
        await other.post(docOf('transfer', 25, [
          { productId: bulk, siteId: wh, binId: binA, type: 'transfer_out', qty: -7, unitCost: 21_000, costSource: 'dispatching_site' },
          { productId: bulk, siteId: shop, type: 'transfer_in', qty: 7, unitCost: 21_000, costSource: 'dispatching_site' },
        ]), pgf.ids.admin);
      }
      done = true;
    })();
    const moved = new Set<number>();
    try {
      while (!done) {
        const r = await store.stockAt(far, { productId: bulk, level: 'site' });
        const transfers = (qtyAt(r, shop) - qtyAt(base, shop)) / 7;
        moved.add(transfers);
        expect(qtyAt(r, wh) + qtyAt(r, shop)).toBe(total);
        expect(r.movementsSince).toBe(base.movementsSince + 2 * transfers);
      }
      await posting;
    } finally {
      await writer.end();
    }
    expect(moved.size).toBeGreaterThan(2); // the answers did fall between documents
  }, 120_000);
});
