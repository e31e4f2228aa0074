import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../../shared/contract/enquiry.schemas';
import type { MovementLineInput, PostDocumentInput } from '../../../shared/contract/schemas';
import type { DocumentTypeCode } from '../../../shared/document-types';
import type { MovementCursor, MovementPage } from '../../../shared/enquiry';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { startTestCluster, type TestCluster } from '../../ledger/pg/test-cluster';
import { SqliteLedgerCore } from '../../ledger/store/sqlite-ledger-core';
import { MovementQuery, StatementCache } from '../movement-query';
import { PgMovementQuery } from './pg-movement-query';
import { PgMovementStore } from './pg-movement-store';

let cluster: TestCluster;
let sqlite: Fixture;
let pgf: PgFixture;
let store: PgMovementStore;
const DAY = 86_400_000;
const start = Date.parse('2026-03-02T09:00:00Z');

beforeAll(async () => {
  cluster = await startTestCluster();
  let now = start + 40 * DAY;
  sqlite = await openFixture({ clock: () => now });
  pgf = await openPgFixture(cluster, () => now);
  expect(pgf.ids).toEqual(sqlite.ids);
  const ids = pgf.ids;
  const core = new SqliteLedgerCore(sqlite.ledger.db, sqlite.ledger.poster);
  let n = 0;
  const doc = (type: DocumentTypeCode, lines: MovementLineInput[], day: number, extra: Partial<PostDocumentInput> = {}): PostDocumentInput => ({
    idempotencyKey: `enq-${++n}`,
    type,
    lines,
    occurredAt: new Date(start + day * DAY + (n % 7) * 3_600_000).toISOString(),
    ...extra,
  });
  // Forty days of a small business: receipts into two bins, lots with expiries, sales, transfers to the bar, wastage,
  // some documents entered days late (backdated), several on the same instant (the seq breaks the tie).
  const docs: PostDocumentInput[] = [];
  for (let day = 0; day < 40; day++) {
    docs.push(doc('receipt', [
      { productId: ids.bulk, siteId: ids.wh, binId: day % 2 ? ids.binA : ids.binB, type: 'supplier_order', qty: 5_000 + day * 10, unitCost: 25_000 + day },
      { productId: ids.lot, siteId: ids.wh, batch: { code: day === 7 ? 'LÉ-7' : `L${100 + (day % 5)}`, expiry: `2027-0${1 + (day % 5)}-15` }, type: 'supplier_order', qty: 12, unitCost: 80_000 },
    ], day, { reference: `PO-${day}` }));
    docs.push(doc('despatch', [{ productId: ids.bulk, siteId: ids.wh, binId: day % 2 ? ids.binA : ids.binB, type: 'sale', qty: -1_500, unitCost: 25_000, costSource: 'latest_at_site' }], day, { note: `table ${day % 9}` }));
    if (day % 3 === 0) {
      docs.push(doc('transfer', [
        { productId: ids.bulk, siteId: ids.wh, binId: day % 2 ? ids.binA : ids.binB, type: 'transfer_out', qty: -1_000, unitCost: 25_000, costSource: 'dispatching_site' },
        { productId: ids.bulk, siteId: ids.shop, type: 'transfer_in', qty: 1_000, unitCost: 25_000, costSource: 'dispatching_site' },
      ], day));
      docs.push(doc('despatch', [{ productId: ids.lot, siteId: ids.wh, batch: { code: `L${100 + (day % 5)}` }, type: 'sale', qty: -3, unitCost: 80_000, costSource: 'latest_at_site' }], day));
    }
    if (day % 4 === 1) docs.push(doc('write_off', [{ productId: ids.bulk, siteId: ids.shop, type: 'wastage', qty: -100, unitCost: 25_000, costSource: 'latest_at_site' }], Math.max(0, day - 3)));
  }
  // Each document recorded a minute after the last, on both stores (the recorded range below cuts through them).
  for (const d of docs) {
    now += 60_000;
    expect(await pgf.store.post(d, ids.admin)).toEqual(await core.post(d, ids.admin));
  }
  store = new PgMovementStore(pgf.pool);
}, 240_000);
afterAll(async () => {
  await pgf?.close();
  await sqlite?.cleanup();
  cluster?.stop();
});

/** Every page of a filter in `order`, walking forward by `next` then back by `prev`, on one store. */
async function walk(pageOf: (after?: MovementCursor, before?: MovementCursor) => Promise<MovementPage>): Promise<MovementPage[]> {
  const pages: MovementPage[] = [];
  let p = await pageOf();
  pages.push(p);
  while (p.next) pages.push((p = await pageOf(p.next)));
  while (p.prev) pages.push((p = await pageOf(undefined, p.prev)));
  return pages;
}

const FILTERS: [string, (ids: PgFixture['ids']) => MovementFilter][] = [
  ['everything', () => ({})],
  ['one product', (ids) => ({ productId: ids.bulk })],
  ['one product at one site', (ids) => ({ productId: ids.bulk, siteId: ids.shop })],
  ['a bin', (ids) => ({ binId: ids.binA })],
  ['a type', () => ({ types: ['sale'] })],
  ['several types', () => ({ types: ['sale', 'wastage', 'transfer_in'] })],
  ['a product and a type', (ids) => ({ productId: ids.lot, types: ['sale'] })],
  ['a name word (case folded)', () => ({ search: 'RICE' })],
  ['a SKU prefix', () => ({ search: 'clar' })],
  ['a batch code prefix', () => ({ search: 'l10' })],
  ['a search that matches nothing', () => ({ search: 'zzz' })],
  // A scanned EAN-13: all digits, so a document number too, beyond the range of a document id (an integer column).
  ['a 13-digit barcode no product has', () => ({ search: '5012340000010' })],
  ['a document number', () => ({ search: '#7' })],
  ['a batch code with a letter beyond ASCII, as typed', () => ({ search: 'LÉ' })],
  ['an expiry range', () => ({ expiry: { from: '2027-02-01', to: '2027-03-31' } })],
  ['an expiry range with no batch', () => ({ expiry: { from: '2030-01-01' } })],
  ['an occurred range', () => ({ occurred: { from: start + 10 * DAY, to: start + 20 * DAY } })],
  ['a recorded range', () => ({ recorded: { from: start + 40 * DAY + 30 * 60_000, to: start + 40 * DAY + 70 * 60_000 } })],
  ['a document', () => ({ documentId: 7 })],
  ['a user and a site', (ids) => ({ userId: ids.admin, siteId: ids.wh })],
];

describe('movement enquiry on PostgreSQL', () => {
  it.each(FILTERS)('gives the same pages as SQLite, both orders, forward and back, with the balance column: %s', async (_name, make) => {
    const filter = make(pgf.ids);
    const pgQuery = await PgMovementQuery.open(store, filter);
    for (const order of ['desc', 'asc'] as const) {
      for (const limit of [7, 200]) {
        const q = new MovementQuery(sqlite.ledger.db, filter, new StatementCache(sqlite.ledger.db));
        const timeZone = q.timeZone();
        const fromSqlite = await walk(async (after, before) => q.page(order, limit, after, before));
        const fromPg = await walk((after, before) => pgQuery.page(order, limit, timeZone, after, before));
        const shape = (pages: MovementPage[]) => pages.map((p) => ({ rows: p.rows, next: p.next, prev: p.prev }));
        expect(shape(fromPg)).toEqual(shape(fromSqlite));
      }
    }
  });

  it('leaves the balance column empty when it is hidden', async () => {
    const page = await (await PgMovementQuery.open(store, {})).page('desc', 20, 'UTC', undefined, undefined, { balanceOnDate: false });
    expect(page.rows).toHaveLength(20);
    expect(page.rows.every((r) => r.balanceOnDate === null)).toBe(true);
  });
});
