import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor } from '../../shared/enquiry';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import {
  BARCODES_SQL, BINS, comboFilters, documentCases, type MasterIds, pairFilters, PRODUCTS, ROWS_SQL, type Row, SEARCHES, SITES, seeded, expectShuffledEnough, wanted, withBarcodes,
} from '../../test/fixtures/movement-filter-cases';
import { MovementQuery, StatementCache, type QueryTuning } from './movement-query';
import { MovementStore, productsMatchingSql } from './movement-store';

/**
 * SQLite-only: MovementQuery's plans (time walk, whole, merge, batch-list pruning), each forced by a tuning no contract
 * input gives, on the cases of test/fixtures/movement-filter-cases.ts posted as raw documents (claret lots without an expiry, which
 * no receipt through the contract makes), against the brute-force filter. The same cases through the contract on both
 * stores: movement-filter.test.ts.
 */
let f: Fixture;
let rows: Row[];

beforeAll(async () => {
  let now = Date.UTC(2026, 3, 1);
  const tick = seeded(7);
  f = await openFixture({ clock: () => (now += 1 + tick(3000)) });
  const r = f.ledger.reference;
  const clerk = r.addUser('clerk', 'Clara Clerk', ['read:stock', 'post:movements']);
  const sites = SITES.map((s) => r.addSite({ ...s, allowNegative: true }));
  const bins = BINS.map((code) => r.addBin(sites[0]!, code));
  const products = PRODUCTS.map((p) => r.addProduct({ sku: p.sku, name: p.name, stockType: 'Supplied', tracking: p.tracking, barcodes: [...p.barcodes] }));
  const ids: MasterIds = { sites: [sites[0]!, sites[1]!], bins: [bins[0]!, bins[1]!], products, clerk, admin: f.ids.admin };
  const docs = documentCases(ids, { undated: true }).map(({ occurredAt, userId, ...line }) => ({ doc: f.docOf([line], { occurredAt }) as PostDocumentInput, userId }));
  // Consecutive documents of one user in one transaction (recording order unchanged).
  for (let i = 0; i < docs.length; ) {
    let j = i;
    while (j < docs.length && docs[j]!.userId === docs[i]!.userId) j++;
    f.ledger.poster.postMany(docs.slice(i, j).map((d) => d.doc), docs[i]!.userId);
    i = j;
  }
  const db = f.ledger.db;
  rows = withBarcodes(db.prepare(ROWS_SQL).all() as Omit<Row, 'barcodes'>[], db.prepare(BARCODES_SQL).all() as { productId: number; barcode: string }[]);
}, 120_000);
afterAll(() => f.cleanup());

const cache = () => new StatementCache(f.ledger.db);

/** Pages through (keyset, 97 keys a page); seqs in the order seen. */
function pageAll(filter: MovementFilter, order: 'asc' | 'desc', tuning?: QueryTuning): number[] {
  const q = new MovementQuery(f.ledger.db, filter, cache(), tuning);
  const seen: number[] = [];
  let cursor: MovementCursor | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const keys = q.keys(order, 97, cursor);
    seen.push(...keys.map((k) => k.seq));
    if (keys.length < 97) break;
    cursor = { occurredAt: keys[keys.length - 1]!.occurredAt, seq: keys[keys.length - 1]!.seq };
  }
  return seen;
}

function check(filter: MovementFilter): number {
  const want = wanted(rows, filter);
  for (const tuning of TUNINGS) expect(pageAll(filter, 'desc', tuning), `${JSON.stringify(filter)} ${JSON.stringify(tuning)}`).toEqual(want);
  expect(pageAll(filter, 'asc'), JSON.stringify(filter)).toEqual([...want].reverse());
  const q = new MovementQuery(f.ledger.db, filter, cache());
  expect(q.page('desc', 50, undefined, undefined, { balanceOnDate: false }).rows.map((m) => m.seq), JSON.stringify(filter)).toEqual(want.slice(0, 50));
  expect(q.count(10_000), JSON.stringify(filter)).toEqual({ count: want.length, exact: true });
  return want.length;
}

const TUNINGS: (QueryTuning | undefined)[] = [
  undefined, { timeWalk: true }, { wholeCap: 0 }, { wholeCap: 0, noMerge: true },
  // Every batch list read most recently moved first, one quant more each try at first.
  { wholeCap: 0, pruneFrom: 1, pruneFirst: 1 }, { wholeCap: 0, noMerge: true, pruneFrom: 1, pruneFirst: 1 },
];

describe('movement filter, every SQLite plan, against a brute-force filter', () => {
  it('has shuffled data with undated lots', () => {
    expectShuffledEnough(rows);
    expect(rows.some((m) => m.batchId !== null && m.expiry === null)).toBe(true);
  });

  it("finds a search's products through the trigram index from three characters on, exactly as the scan of every product", () => {
    const db = f.ledger.db;
    const store = new MovementStore(db, new StatementCache(db));
    const scan = db.prepare(productsMatchingSql(false)).pluck();
    const terms = [...SEARCHES.map((s) => s.trim()), 'ed o', 'VEAL JUS', 'us', 'red%', 'r_d', '"red', 're"d', 'oni', 'bread', 'rés'];
    for (const search of terms) {
      const e = search.replace(/[\\%_]/g, (c) => `\\${c}`);
      const want = (scan.all({ pre: `${e}%`, word: `% ${e}%`, exact: search }) as number[]).sort();
      expect(store.productsMatching(search).sort(), search).toEqual(want);
    }
    expect(store.productsMatching('red').length).toBe(4);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${productsMatchingSql(true)}`).all({ pre: 'red%', word: '% red%', exact: 'red', phrase: '"red"' }) as { detail: string }[]).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(/SCAN products_fts VIRTUAL TABLE/);
    expect(plan.join('\n')).not.toMatch(/SCAN products\b/);
  });

  it('every search term under every plan', () => {
    const found = SEARCHES.map((search) => check({ search }));
    expect(found.filter((n) => n > 0).length).toBeGreaterThan(10);
  });

  it('each field alone and every pair of fields under every plan, three draws each', () => {
    expect(pairFilters(rows, 3).filter((filter) => check(filter) > 0).length).toBeGreaterThan(120);
  }, 120_000);

  it('200 random combinations of three to six fields under every plan', () => {
    expect(comboFilters(rows, 200).filter((filter) => check(filter) > 0).length).toBeGreaterThan(40);
  }, 120_000);
});
