import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import type { DocumentTypeCode } from '../../shared/document-types';
import type { MovementCursor, MovementPage } from '../../shared/enquiry';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import type { PgLedgerOps } from '../ledger/pg/pg-ops';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { allPgOps } from '../ledger/pg/pg-worker-ops';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { SqliteLedgerCore } from '../ledger/store/sqlite-ledger-core';
import { createWorkerContext, type WorkerContext } from '../ledger/worker-context';
import { setSetting } from '../safety/settings-store';
import { enquiryOps, type EnquiryOps } from './enquiry.ops';

/**
 * The Enquiry window on both stores: the same documents posted on SQLite and PostgreSQL (master data made in the same
 * order, so the same ids; the same times), then every enquiry operation PostgreSQL provides asked the same questions
 * on both, answer for answer. The business time zone is far from UTC so a day boundary read in the wrong zone shows.
 */
let cluster: TestCluster;
let lite: Fixture;
let pgf: PgFixture;
let liteCtx: WorkerContext;
let lite$: EnquiryOps;
let pg$: PgLedgerOps;
const events: { lite: unknown[]; pg: unknown[] } = { lite: [], pg: [] };
const ZONE = 'Pacific/Auckland';
const DAY = 86_400_000;
// The ledger is the 40 days before today; both stores' clocks read `now`, a day later (the dashboard's last day).
const t0 = Math.floor((Date.now() - 40 * DAY) / 3_600_000) * 3_600_000;
let now = t0 + 41 * DAY;
let n = 0;

const docOf = (type: DocumentTypeCode, day: number, lines: MovementLineInput[], extra: Partial<PostDocumentInput> = {}): PostDocumentInput => ({
  idempotencyKey: `enq-pg-${++n}`,
  type,
  lines,
  // Hours through the day, some late in the evening UTC: the next day in Auckland.
  occurredAt: new Date(t0 + day * DAY + (n % 9) * 2 * 3_600_000).toISOString(),
  ...extra,
});

beforeAll(async () => {
  cluster = await startTestCluster();
  lite = await openFixture({ clock: () => now });
  pgf = await openPgFixture(cluster, () => now);
  expect(pgf.ids).toEqual(lite.ids);
  const { wh, shop, binA, binB, bulk, lot, admin } = pgf.ids;
  setSetting(lite.ledger.db, 'company', { timeZone: ZONE }, now);
  await pgf.pool.query('INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)', ['company', JSON.stringify({ timeZone: ZONE }), now]);
  const both = async (sqlite: string, pg: string, values: unknown[]) => {
    lite.ledger.db.prepare(sqlite).run(...values);
    await pgf.pool.query(pg, values);
  };
  await both('UPDATE products SET low_stock_level = ? WHERE id = ?', 'UPDATE products SET low_stock_level = $1 WHERE id = $2', [60_000, bulk]);
  await both('UPDATE products SET low_stock_level = ? WHERE id = ?', 'UPDATE products SET low_stock_level = $1 WHERE id = $2', [20, lot]);
  for (const code of ['5000000000017', '4000000000014']) {
    await both('INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?)', 'INSERT INTO product_barcodes (barcode, product_id) VALUES ($1, $2)', [code, bulk]);
  }

  const core = new SqliteLedgerCore(lite.ledger.db, lite.ledger.poster);
  const docs: PostDocumentInput[] = [];
  for (let day = 0; day < 40; day++) {
    const bin = day % 2 ? binA : binB;
    docs.push(docOf('receipt', day, [
      { productId: bulk, siteId: wh, binId: bin, type: 'supplier_order', qty: 4_000 + day * 7, unitCost: 21_000 + day * 13 },
      { productId: lot, siteId: wh, batch: { code: `V${day % 3}`, expiry: `2028-0${1 + (day % 3)}-01` }, type: 'supplier_order', qty: 6, unitCost: 90_000 + day },
    ], { reference: `PO-${day}` }));
    docs.push(docOf('despatch', day, [{ productId: bulk, siteId: wh, binId: bin, type: 'sale', qty: -1_333, unitCost: 21_000, costSource: 'latest_at_site' }], { note: `table ${day % 5}` }));
    if (day % 4 === 0) {
      docs.push(docOf('transfer', day, [
        { productId: lot, siteId: wh, batch: { code: `V${day % 3}` }, type: 'transfer_out', qty: -2, unitCost: 90_000, costSource: 'dispatching_site' },
        { productId: lot, siteId: shop, batch: { code: `V${day % 3}` }, type: 'transfer_in', qty: 2, unitCost: 90_000, costSource: 'dispatching_site' },
      ]));
    }
    if (day % 4 === 2) docs.push(docOf('despatch', day, [{ productId: lot, siteId: shop, batch: { code: `V${(day - 2) % 3}` }, type: 'sale', qty: -1, unitCost: 90_000, costSource: 'latest_at_site' }]));
    if (day % 3 === 0) {
      docs.push(docOf('transfer', day, [
        { productId: bulk, siteId: wh, binId: bin, type: 'transfer_out', qty: -500, unitCost: 21_000, costSource: 'dispatching_site' },
        { productId: bulk, siteId: shop, type: 'transfer_in', qty: 500, unitCost: 21_000, costSource: 'dispatching_site' },
      ]));
    }
    // Wastage entered late: effective three days before it was recorded.
    if (day >= 6 && day % 5 === 1) docs.push(docOf('write_off', day - 3, [{ productId: bulk, siteId: shop, type: 'wastage', qty: -70, unitCost: 21_000, costSource: 'latest_at_site' }]));
  }
  for (const d of docs) {
    now += 60_000;
    expect(await pgf.store.post(d, admin)).toEqual(await core.post(d, admin));
  }
  liteCtx = createWorkerContext(lite.ledger, (event, payload) => events.lite.push({ event, payload }));
  lite$ = enquiryOps(liteCtx);
  pg$ = allPgOps(createPgWorkerContext(pgf.pool, pgf.connection, (event, payload) => events.pg.push({ event, payload }), () => now));
}, 240_000);

afterAll(async () => {
  await liteCtx?.jobs.close();
  await pgf?.close();
  await lite?.cleanup();
  cluster?.stop();
});

/** Every page of a filter, walking forward by `next` then back by `prev`. */
async function walk(pageOf: (after?: MovementCursor, before?: MovementCursor) => Promise<MovementPage> | MovementPage): Promise<Pick<MovementPage, 'rows' | 'next' | 'prev'>[]> {
  const pages: MovementPage[] = [];
  let p = await pageOf();
  pages.push(p);
  while (p.next) pages.push((p = await pageOf(p.next)));
  while (p.prev) pages.push((p = await pageOf(undefined, p.prev)));
  return pages.map(({ rows, next, prev }) => ({ rows, next, prev }));
}

const FILTERS: [string, (ids: PgFixture['ids']) => MovementFilter][] = [
  ['everything', () => ({})],
  ['one product', (ids) => ({ productId: ids.bulk })],
  ['one product at one site', (ids) => ({ productId: ids.bulk, siteId: ids.shop })],
  ['a type', () => ({ types: ['sale'] })],
  ['a search', () => ({ search: 'clar' })],
  ['a bin and an occurred range', (ids) => ({ binId: ids.binA, occurred: { from: t0 + 5 * DAY, to: t0 + 25 * DAY } })],
  ['a search that matches nothing', () => ({ search: 'zzz' })],
  // PostgreSQL writes the search, the expiry dates and the recorded times into the statements it sends with the BEGIN
  ['a search of quotes, backslashes and LIKE wildcards', () => ({ search: "O'Neil\\'s 5%_ ' OR '1'='1" })],
  ['an expiry range and a recorded range', () => ({ expiry: { from: '2000-01-01', to: '2099-12-31' }, recorded: { from: t0, to: t0 + 40 * DAY } })],
];

describe('the Enquiry window on both stores', () => {
  it.each(FILTERS)('pages movements alike (both orders, forward and back, cursors included) and counts them alike: %s', async (_name, make) => {
    const filter = make(pgf.ids);
    for (const order of ['desc', 'asc'] as const) {
      for (const balanceOnDate of [true, false]) {
        const q = (after?: MovementCursor, before?: MovementCursor) => ({ filter, order, limit: 9, after, before, balanceOnDate });
        expect(await walk((a, b) => pg$['enquiry.movements'](q(a, b)))).toEqual(await walk((a, b) => lite$['enquiry.movements'](q(a, b))));
      }
    }
    for (const cap of [1, 10, 100_000]) expect(await pg$['enquiry.count']({ filter, cap })).toEqual(lite$['enquiry.count']({ filter, cap }));
  });

  it('refines a count in the background to the same message', async () => {
    const filter = { productId: pgf.ids.bulk, types: ['sale'] };
    await pg$['enquiry.countRefine']('pg-count', { filter });
    lite$['enquiry.countRefine']('lite-count', { filter });
    const finished = async (list: unknown[], jobId: string) => {
      for (let i = 0; i < 200; i++) {
        const e = list.find((x) => (x as { event: string; payload: { jobId: string } }).event === 'job.finished' && (x as { payload: { jobId: string } }).payload.jobId === jobId);
        if (e) return (e as { payload: { message: string; ok: boolean } }).payload;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`${jobId} did not finish`);
    };
    const [mine, theirs] = [await finished(events.pg, 'pg-count'), await finished(events.lite, 'lite-count')];
    expect(mine.ok).toBe(true);
    expect(mine.message).toBe(theirs.message);
    expect(mine.message).toMatch(/^40 movements match/);
  });

  it('tells the same batch journey, and refuses a batch that does not exist alike', async () => {
    const batches = (await pgf.pool.query<{ id: number }>('SELECT id FROM batches ORDER BY id')).rows.map((r) => r.id);
    expect(batches.length).toBe(3);
    for (const batchId of batches) {
      const mine = await pg$['enquiry.batchJourney']({ batchId });
      expect(mine).toEqual(lite$['enquiry.batchJourney']({ batchId }));
      expect(mine.steps.length).toBeGreaterThan(10);
    }
    expect(() => lite$['enquiry.batchJourney']({ batchId: 999 })).toThrow();
    await expect(pg$['enquiry.batchJourney']({ batchId: 999 })).rejects.toMatchObject(errorOf(() => lite$['enquiry.batchJourney']({ batchId: 999 })));
  });

  it('gives the same product details, and refuses a product that does not exist alike', async () => {
    const { bulk, lot, serial, recipe, other } = pgf.ids;
    for (const productId of [bulk, lot, serial, recipe, other]) {
      expect(await pg$['enquiry.productDetails']({ productId }), `product ${productId}`).toEqual(lite$['enquiry.productDetails']({ productId }));
    }
    const rice = await pg$['enquiry.productDetails']({ productId: pgf.ids.bulk });
    expect(rice.barcodes).toEqual(['4000000000014', '5000000000017']);
    expect(rice.averageCost).not.toBeNull();
    await expect(pg$['enquiry.productDetails']({ productId: 999 })).rejects.toMatchObject(errorOf(() => lite$['enquiry.productDetails']({ productId: 999 })));
  });

  it('gives the same stock at a date, by local day in the business time zone and by instant, narrowed and paged', async () => {
    const { wh, shop, bulk, lot } = pgf.ids;
    let lines = 0;
    for (const day of [3, 10, 22, 39]) {
      const at = new Date(t0 + day * DAY).toISOString().slice(0, 10);
      for (const narrowing of [{}, { productId: bulk }, { productId: lot, siteId: shop }, { siteId: wh }]) {
        for (const level of ['batch', 'site'] as const) {
          for (const [offset, limit] of [[0, 500], [1, 2]] as const) {
            const q = { at, ...narrowing, level, offset, limit };
            const mine = await pg$['enquiry.stockAt'](q);
            const theirs = lite$['enquiry.stockAt'](q);
            expect({ ...mine, snapshotAt: null, movementsSince: 0 }, JSON.stringify(q)).toEqual({ ...theirs, snapshotAt: null, movementsSince: 0 });
            lines += mine.rows.length;
          }
        }
      }
    }
    expect(lines).toBeGreaterThan(30);
  });

  it('lists the same low stock, narrowed and paged', async () => {
    let seen = 0;
    for (const includeOut of [true, false]) {
      for (const siteId of [undefined, pgf.ids.wh, pgf.ids.shop]) {
        for (const [offset, limit] of [[0, 100], [1, 1]] as const) {
          const q = { siteId, includeOut, offset, limit };
          const mine = await pg$['enquiry.lowStock'](q);
          expect(mine, JSON.stringify(q)).toEqual(lite$['enquiry.lowStock'](q));
          seen += mine.rows.length;
        }
      }
    }
    expect(seen).toBeGreaterThan(3);
  });

  it('gives the same look-ups for the filter pickers', async () => {
    for (const search of ['', 'ri', 'RICE', 'claret', 'o_x', '%', 'zzz']) {
      expect(await pg$['enquiry.lookups']({ search }), search).toEqual(lite$['enquiry.lookups']({ search }));
    }
  });

  it('draws the same dashboard over several spans of days', async () => {
    for (const days of [1, 7, 30, 60]) {
      const mine = await pg$['enquiry.dashboard']({ days });
      const theirs = await lite$['enquiry.dashboard']({ days });
      expect(mine, `${days} days`).toEqual(theirs);
      if (days >= 30) expect(mine.movements).toBeGreaterThan(50);
    }
  });

  it('gives the same stock balance report for periods, products and sites, paged', async () => {
    const { wh, shop, bulk, lot } = pgf.ids;
    let rows = 0;
    for (const [from, to] of [[t0 - DAY, t0 + 45 * DAY], [t0 + 10 * DAY, t0 + 20 * DAY + 3_600_000], [t0 + 39 * DAY, t0 + 39 * DAY]]) {
      for (const narrowing of [{}, { productId: bulk }, { siteId: shop }, { productId: lot, siteId: wh }]) {
        for (const [offset, limit] of [[0, 100], [1, 1]] as const) {
          const q = { from: from!, to: to!, ...narrowing, offset, limit };
          const mine = await pg$['enquiry.stockBalance'](q);
          expect(mine, JSON.stringify(q)).toEqual(lite$['enquiry.stockBalance'](q));
          rows += mine.rows.length;
        }
      }
    }
    expect(rows).toBeGreaterThan(10);
  });

  it('has no daily snapshots to rebuild or keep up: it says so rather than pretending', async () => {
    expect(await pg$['enquiry.rebuildSnapshots']()).toEqual({ snapshots: 0 });
    expect(await pg$.enquirySnapshotsTick()).toBe('current');
  });
});

/** The code and message of the error `f` throws. */
function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    const { code, message } = e as { code: string; message: string };
    return { code, message };
  }
  throw new Error('expected a refusal');
}
