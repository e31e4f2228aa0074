import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor } from '../../shared/enquiry';
import { closeVerified, storeForFile, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * The Enquiry's search box finds a movement by what is on the paper in front of the clerk, on the configured store
 * (SQLite; PostgreSQL in the pg config): the document's reference (the supplier's delivery note typed on a receipt, a
 * despatch's order number) and its counterparty (the customer), a receipt's supplier by code, name or a word of its
 * name, the document's own number (`#12`), each in any letter case, beside the products, batches and serials it already
 * finds. Receipts from two suppliers, a despatch to a customer, enough other documents for several pages; each answer
 * (pages both ways, count) is checked against a plain read of the movements.
 */
const home = mkdtempSync(join(tmpdir(), 'stockbook-reference-search-'));
process.env.STOCKBOOK_HOME = home;

const open = storeForFile();
let s: StoreUnderTest;
let made = 0;
const key = () => `reference-search-${process.pid}-${++made}`;
const T0 = Date.UTC(2026, 1, 2, 9);
const at = (hour: number) => new Date(T0 + hour * 3_600_000).toISOString();

interface Row {
  seq: number;
  occurredAt: number;
  documentId: number;
  reference: string | null;
  siteId: number;
}
let rows: Row[];
/** Document ids: the Acme delivery, Acme's others, the Brindle receipts, the despatch to the bistro. */
let delivery = 0;
const acme: number[] = [];
const brindle: number[] = [];
let bistro = 0;

beforeAll(async () => {
  let now = Date.UTC(2026, 2, 1);
  s = await open({ clock: () => (now += 1000) });
  const { wh, shop, bulk } = s.ids;
  const acmeId = (await s.call('suppliers.create', { code: 'ACM', name: 'Acme Foods Ltd', country: 'GB' })).id;
  const brindleId = (await s.call('suppliers.create', { code: 'BRD', name: 'Brindle & Sons', country: 'FR' })).id;
  const receive = async (hour: number, supplierId: number, reference: string, qty: number, siteId = wh) =>
    (await s.call('operations.receive', { idempotencyKey: key(), kind: 'supplier_order', siteId, supplierId, reference, dutyPaid: false, occurredAt: at(hour), lines: [{ productId: bulk, qty, unitCost: 1_000 }, { productId: bulk, qty: qty + 1, unitCost: 1_000 }] })).documentId!;
  delivery = await receive(1, acmeId, 'DN-4411', 10);
  for (let i = 0; i < 12; i++) acme.push(await receive(2 + i, acmeId, `INV-${7000 + i}`, 20 + i, i % 2 ? shop : wh));
  for (let i = 0; i < 12; i++) brindle.push(await receive(2.5 + i, brindleId, `BR/${100 + i}`, 40 + i));
  bistro = (await s.call('operations.despatch', { idempotencyKey: key(), kind: 'sale', siteId: wh, counterparty: 'Bistro Verde', reference: 'SO-778', occurredAt: at(20), lines: [{ productId: bulk, qty: 5 }] })).documentId!;
  // Backdated: a delivery note recorded last but dated before everything else.
  acme.push(await receive(0.5, acmeId, 'dn-4412', 3));
  rows = await s.rows<Row>(
    `SELECT m.seq, m.occurred_at AS "occurredAt", m.document_id AS "documentId", d.reference, m.site_id AS "siteId"
     FROM movements m JOIN documents d ON d.id = m.document_id ORDER BY m.seq`,
  );
  for (const r of rows) r.occurredAt = Number(r.occurredAt);
}, 300_000);
afterAll(async () => {
  if (s) await closeVerified(s);
  rmSync(home, { recursive: true, force: true });
});

/** Seqs of the rows `keep` picks, newest first. */
const newestFirst = (keep: (r: Row) => boolean) =>
  rows
    .filter(keep)
    .sort((a, b) => b.occurredAt - a.occurredAt || b.seq - a.seq)
    .map((r) => r.seq);

const ofDocuments = (ids: readonly number[]) => (r: Row) => ids.includes(r.documentId);

/** Every page of `filter` in `order`, `limit` rows a page, following the cursors; `back`: paged back from the last page's first row. */
async function pageAll(filter: MovementFilter, order: 'asc' | 'desc', limit: number): Promise<{ seqs: number[]; back: number[] }> {
  const seqs: number[] = [];
  let after: MovementCursor | undefined;
  let lastFirst: MovementCursor | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const p = await s.call('enquiry.movements', { filter, order, limit, ...(after ? { after } : {}) });
    seqs.push(...p.rows.map((m) => m.seq));
    if (p.rows.length && after) lastFirst = { occurredAt: p.rows[0]!.occurredAt, seq: p.rows[0]!.seq };
    if (!p.next) break;
    after = p.next;
  }
  const back: number[] = [];
  let before = lastFirst;
  while (before) {
    const p = await s.call('enquiry.movements', { filter, order, limit, before });
    back.unshift(...p.rows.map((m) => m.seq));
    before = p.prev ?? undefined;
  }
  return { seqs, back };
}

describe('finding a document in Enquiry by what is on its paper', () => {
  it("finds a receipt by the supplier's delivery note number in any letter case, each row naming it", async () => {
    for (const typed of ['DN-4411', 'dn-4411', ' Dn-4411 ']) {
      const page = await s.call('enquiry.movements', { filter: { search: typed }, limit: 50 });
      expect(page.rows.map((m) => m.seq), typed).toEqual(newestFirst(ofDocuments([delivery])));
      expect(new Set(page.rows.map((m) => m.documentReference)), typed).toEqual(new Set(['DN-4411']));
      expect(await s.call('enquiry.count', { filter: { search: typed } }), typed).toEqual({ count: 2, exact: true });
    }
    // A prefix finds every reference starting with it, whatever its case: DN-4411 and the backdated dn-4412.
    const dn = (await s.call('enquiry.movements', { filter: { search: 'DN-441' }, limit: 50 })).rows;
    expect(dn.map((m) => m.seq)).toEqual(newestFirst(ofDocuments([delivery, acme.at(-1)!])));
    // The reference's middle is not its start; wildcards are text.
    expect((await s.call('enquiry.movements', { filter: { search: '4411' } })).rows).toEqual([]);
    expect((await s.call('enquiry.movements', { filter: { search: 'DN_4411' } })).rows).toEqual([]);
    expect((await s.call('enquiry.movements', { filter: { search: 'DN%' } })).rows).toEqual([]);
  });

  it("finds a receipt's movements by its supplier's code, name or a word of its name, and a despatch by its customer or order number", async () => {
    const acmeAll = newestFirst(ofDocuments([delivery, ...acme]));
    for (const typed of ['ACM', 'acm', 'Acme', 'acme foods', 'FOODS']) {
      expect((await s.call('enquiry.movements', { filter: { search: typed }, limit: 100 })).rows.map((m) => m.seq), typed).toEqual(acmeAll);
    }
    expect((await s.call('enquiry.movements', { filter: { search: 'brindle &' }, limit: 100 })).rows.map((m) => m.seq)).toEqual(newestFirst(ofDocuments(brindle)));
    for (const typed of ['bistro', 'BISTRO VERDE', 'so-778']) {
      expect((await s.call('enquiry.movements', { filter: { search: typed } })).rows.map((m) => m.seq), typed).toEqual(newestFirst(ofDocuments([bistro])));
    }
  });

  it("finds a document by its own number ('12', '#12', 'no. 12')", async () => {
    const id = brindle[3]!;
    for (const typed of [`${id}`, `#${id}`, `no. ${id}`]) {
      const found = (await s.call('enquiry.movements', { filter: { search: typed }, limit: 100 })).rows;
      expect(found.filter((m) => m.documentId === id).map((m) => m.seq), typed).toEqual(newestFirst(ofDocuments([id])));
    }
    expect((await s.call('enquiry.movements', { filter: { search: `#${id}` }, limit: 100 })).rows.map((m) => m.seq)).toEqual(newestFirst(ofDocuments([id])));
    expect(await s.call('enquiry.movements', { filter: { search: '#999999' } })).toMatchObject({ rows: [], next: null, prev: null });
  });

  it('pages a supplier search both ways without gaps, with the other fields narrowing', async () => {
    const acmeDocs = [delivery, ...acme];
    const cases: [MovementFilter, (r: Row) => boolean][] = [
      [{ search: 'acme' }, ofDocuments(acmeDocs)],
      [{ search: 'acme', siteId: s.ids.shop }, (r) => acmeDocs.includes(r.documentId) && r.siteId === s.ids.shop],
      [{ search: 'acme', occurred: { from: T0 + 5 * 3_600_000 } }, (r) => acmeDocs.includes(r.documentId) && r.occurredAt >= T0 + 5 * 3_600_000],
      [{ search: 'acme', types: ['supplier_order'] }, ofDocuments(acmeDocs)],
      [{ search: 'acme', types: ['sale'] }, () => false],
      [{ search: 'acme', documentId: brindle[0]! }, () => false],
    ];
    for (const [filter, keep] of cases) {
      const want = newestFirst(keep);
      for (const limit of [3, 200]) {
        const desc = await pageAll(filter, 'desc', limit);
        expect(desc.seqs, `${JSON.stringify(filter)} desc ${limit}`).toEqual(want);
        expect(desc.back, `${JSON.stringify(filter)} back ${limit}`).toEqual(want.slice(0, desc.back.length));
        expect((await pageAll(filter, 'asc', limit)).seqs, `${JSON.stringify(filter)} asc ${limit}`).toEqual([...want].reverse());
      }
      expect(await s.call('enquiry.count', { filter }), JSON.stringify(filter)).toEqual({ count: want.length, exact: true });
    }
  });
});
