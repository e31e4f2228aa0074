import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor } from '../../shared/enquiry';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { MovementQuery, StatementCache, type QueryTuning } from './movement-query';
import { MovementStore } from './movement-store';

/**
 * SQLite-only: how the search box's documents are read (migration 0049). Documents by a range of the NOCASE reference
 * index, never a scan of documents; a long list of them (a supplier's receipts, a broad reference prefix) read nearest
 * the cursor first, a few documents at a time, with the same rows as reading every document's movements, both ways,
 * backdated documents and other narrowing fields included. The rows on both stores: reference-search.test.ts.
 */
let f: Fixture;
const T0 = Date.UTC(2026, 0, 5, 8);
const HOUR = 3_600_000;

beforeAll(async () => {
  let now = Date.UTC(2026, 6, 1);
  f = await openFixture({ clock: () => (now += 1000) });
  const { wh, shop, bulk, admin } = f.ids;
  const poster = f.ledger.poster;
  for (let i = 0; i < 120; i++) {
    // Hours out of order (every seventh backdated by a day), two at the same hour: the list's order is by time, not number.
    const at = new Date(T0 + ((i * 37) % 120) * HOUR - (i % 7 === 0 ? 24 * HOUR : 0)).toISOString();
    const lines = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ productId: bulk, siteId: k === 1 ? shop : wh, type: 'inbound' as const, qty: 100 + i, unitCost: 1200 }));
    poster.post(f.doc('receipt', lines, { occurredAt: at, reference: `GRN-${String(i).padStart(4, '0')}` }), admin);
    poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'inbound', qty: 5, unitCost: 1200 }], { occurredAt: at, reference: `OTHER-${i}` }), admin);
  }
  // References starting with 12 (searched as `12`, which also names document no. 12, a GRN): a walked prefix beside a listed document.
  for (let i = 0; i < 30; i++) {
    const at = new Date(T0 + ((i * 53) % 130) * HOUR).toISOString();
    poster.post(f.doc('receipt', [{ productId: bulk, siteId: i % 2 ? shop : wh, type: 'inbound', qty: 7, unitCost: 1200 }], { occurredAt: at, reference: `12/${i}` }), admin);
  }
});
afterAll(async () => {
  await f?.cleanup();
});

const query = (filter: MovementFilter, tuning?: QueryTuning) => new MovementQuery(f.ledger.db, filter, new StatementCache(f.ledger.db), tuning);

/** The movements of documents whose reference starts with `prefix` (any case) and `where`, in `order`, by a plain read. */
const expected = (prefix: string, order: 'asc' | 'desc', where = '1') =>
  f.ledger.db
    .prepare(`SELECT m.seq FROM movements m JOIN documents d ON d.id = m.document_id WHERE lower(d.reference) LIKE lower(?) AND ${where} ORDER BY m.occurred_at ${order}, m.seq ${order}`)
    .pluck()
    .all(`${prefix}%`) as number[];

/** Every page, following the cursors; `back`: paged back from the last page's first row. */
function pageAll(filter: MovementFilter, tuning: QueryTuning, order: 'asc' | 'desc', limit: number): { seqs: number[]; back: number[]; plans: Set<string> } {
  const seqs: number[] = [];
  const plans = new Set<string>();
  let after: MovementCursor | undefined;
  let lastFirst: MovementCursor | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const p = query(filter, tuning).page(order, limit, after, undefined, { balanceOnDate: false });
    plans.add(p.plan);
    seqs.push(...p.rows.map((m) => m.seq));
    if (p.rows.length && after) lastFirst = { occurredAt: p.rows[0]!.occurredAt, seq: p.rows[0]!.seq };
    if (!p.next) break;
    after = p.next;
  }
  const back: number[] = [];
  let before = lastFirst;
  while (before) {
    const p = query(filter, tuning).page(order, limit, undefined, before, { balanceOnDate: false });
    back.unshift(...p.rows.map((m) => m.seq));
    before = p.prev ?? undefined;
  }
  return { seqs, back, plans };
}

describe('the document search on SQLite', () => {
  it('finds documents by a range of the NOCASE reference index, in time order', () => {
    const store = new MovementStore(f.ledger.db, new StatementCache(f.ledger.db));
    const grn = store.documentsMatching('grn-00');
    expect(grn).toHaveLength(100);
    expect(store.documentsMatching('GRN-00')).toEqual(grn);
    const times = grn.map(([, t]) => t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(store.documentsMatching('GRN-0%')).toEqual([]);
    const plan = (f.ledger.db.prepare("EXPLAIN QUERY PLAN SELECT id FROM documents WHERE reference LIKE ? ESCAPE '\\'").all('grn%') as { detail: string }[]).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(/SEARCH documents USING COVERING INDEX IDX_documents_reference_nocase \(reference>\? AND reference<\?\)/);
  });

  it('walks the documents of a reference prefix in time order by 0051\'s index, nearest the cursor first', () => {
    const store = new MovementStore(f.ledger.db, new StatementCache(f.ledger.db));
    const all = store.documentsMatching('grn');
    expect(store.referencesCount('grn', 1_000)).toBe(120);
    expect(store.referencesCount('grn', 50)).toBe(50);
    expect(store.documentsMatching('grn', false)).toEqual([]);
    const times = (rows: [number, number][]) => rows.map(([, t]) => t);
    const newest = store.documentsByReference('GRN', true, null, 10);
    expect(times(newest)).toEqual(times(all).reverse().slice(0, 10));
    const mid = all[60]![1];
    expect(times(store.documentsByReference('grn', true, mid, 5))).toEqual(times(all.filter(([, t]) => t <= mid)).reverse().slice(0, 5));
    expect(times(store.documentsByReference('grn', false, mid, 5))).toEqual(times(all.filter(([, t]) => t >= mid)).slice(0, 5));
    const plan = (f.ledger.db.prepare("EXPLAIN QUERY PLAN SELECT id, occurred_at FROM documents INDEXED BY IDX_documents_occurred_reference WHERE occurred_at <= 1 AND reference LIKE 'grn%' ESCAPE '\\' ORDER BY occurred_at DESC LIMIT 5").all() as { detail: string }[]).map((r) => r.detail);
    expect(plan).toEqual(['SEARCH documents USING COVERING INDEX IDX_documents_occurred_reference (occurred_at<?)']);
  });

  it('reads a long document list nearest the cursor first, with the rows of every document read, both ways', () => {
    const site = f.ids.shop;
    const cases: [MovementFilter, string][] = [
      [{ search: 'grn' }, '1'],
      [{ search: 'GRN-00' }, '1'],
      [{ search: 'grn', siteId: site }, `m.site_id = ${site}`],
      [{ search: 'grn', occurred: { from: T0 + 30 * HOUR, to: T0 + 90 * HOUR } }, `m.occurred_at BETWEEN ${T0 + 30 * HOUR} AND ${T0 + 90 * HOUR}`],
    ];
    // Documents read 1 at first (then 4, 16…), from 2 documents on, merged or in time windows; the plain plans for comparison.
    // From 2 references on, the prefix's documents are walked in time order (not listed), read nearest first or (pruneFrom 0) whole.
    const walked = [{ referenceWalkFrom: 2 }, { wholeCap: 0, pruneFrom: 2, pruneFirst: 1, referenceWalkFrom: 2 }, { wholeCap: 0, pruneFrom: 0, referenceWalkFrom: 2 },
      { wholeCap: 0, pruneFrom: 2, pruneFirst: 1, noMerge: true, firstWindow: HOUR, referenceWalkFrom: 2 }];
    const tunings: QueryTuning[] = [{ wholeCap: 0, pruneFrom: 2, pruneFirst: 1 }, { wholeCap: 0, pruneFrom: 2, pruneFirst: 1, noMerge: true, firstWindow: HOUR }, { wholeCap: 0, pruneFrom: 0 }, {}, ...walked];
    for (const [filter, where] of cases) {
      const search = filter.search!;
      const want = expected(search, 'desc', where);
      expect(want.length, JSON.stringify(filter)).toBeGreaterThan(20);
      for (const tuning of tunings) {
        for (const limit of [3, 500]) {
          const label = `${JSON.stringify(filter)} ${JSON.stringify(tuning)} ${limit}`;
          const desc = pageAll(filter, tuning, 'desc', limit);
          expect(desc.seqs, label).toEqual(want);
          expect(desc.back, label).toEqual(want.slice(0, desc.back.length));
          expect(pageAll(filter, tuning, 'asc', limit).seqs, label).toEqual(expected(search, 'asc', where));
        }
      }
      expect(query(filter).count(100_000), JSON.stringify(filter)).toEqual({ count: want.length, exact: true });
    }
  });

  it('merges a walked reference prefix with the documents listed beside it (the number the search names), both ways', () => {
    const where = `(lower(d.reference) LIKE '12%' OR d.id = 12)`;
    const plain = (order: 'asc' | 'desc') =>
      f.ledger.db.prepare(`SELECT m.seq FROM movements m JOIN documents d ON d.id = m.document_id WHERE ${where} ORDER BY m.occurred_at ${order}, m.seq ${order}`).pluck().all() as number[];
    const want = plain('desc');
    expect(f.ledger.db.prepare("SELECT reference FROM documents WHERE id = 12").pluck().get()).not.toMatch(/^12\//);
    expect(want.length).toBeGreaterThan(30);
    for (const tuning of [{ referenceWalkFrom: 2, pruneFrom: 1, pruneFirst: 1 }, { referenceWalkFrom: 2, pruneFrom: 1, pruneFirst: 4, wholeCap: 0 }, { referenceWalkFrom: 0 }] as QueryTuning[]) {
      for (const limit of [2, 7, 500]) {
        const label = `${JSON.stringify(tuning)} ${limit}`;
        const desc = pageAll({ search: '12' }, tuning, 'desc', limit);
        expect(desc.seqs, label).toEqual(want);
        expect(desc.back, label).toEqual(want.slice(0, desc.back.length));
        expect(pageAll({ search: '12' }, tuning, 'asc', limit).seqs, label).toEqual(plain('asc'));
      }
      expect(query({ search: '12' }, tuning).count(100_000)).toEqual({ count: want.length, exact: true });
      // An export reads the rows in one ordered scan (the walked prefix checked by its subquery), oldest first.
      expect(query({ search: '12' }, tuning).rows('m.seq, m.occurred_at AS occurredAt', 10_000).map((r) => r[0])).toEqual(plain('asc'));
    }
  });

  it("seeks each listed document's movements in the document index, never walks every movement", () => {
    const q = query({ search: 'grn' }, { wholeCap: 0 });
    expect(q.page('desc', 5).plan).toBe('search/merge');
    const explained = q.queryPlan().join('\n');
    expect(explained).toMatch(/SEARCH m USING INDEX IDX_movements_document \(document_id=\?\)/);
    expect(explained).not.toMatch(/SCAN m\b|IDX_movements_occurred/);
  });
});
