import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { MovementCursor } from '../../shared/enquiry';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { MovementQuery, StatementCache, type QueryTuning } from './movement-query';

/**
 * Every filter field, alone, in pairs and in random larger combinations, against a brute-force filter of the same
 * movements: 3,000 single-line documents over products whose names, SKUs, barcodes and batch codes overlap the searches
 * ("red" is a word of some names, inside another, the start of a SKU and of batch codes), effective at random hours
 * (many ties) within 90 days, recorded in a shuffled order, by two users, at two sites with and without bins.
 */
let f: Fixture;
let rows: Row[];
const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

interface Row {
  seq: number;
  productId: number;
  siteId: number;
  binId: number | null;
  batchId: number | null;
  documentId: number;
  userId: number;
  type: string;
  occurredAt: number;
  recordedAt: number;
  sku: string;
  name: string;
  barcodes: string | null;
  batchCode: string | null;
  expiry: string | null;
}

/** mulberry32: a seeded generator whose every bit is usable (rand(2) does not alternate). */
let seed = 20261202;
function rand(n: number): number {
  let t = (seed = (seed + 0x6d2b79f5) | 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
}
const pick = <T,>(xs: readonly T[]): T => xs[rand(xs.length)]!;

const IN_TYPES = ['stock_receipt', 'supplier_order', 'inbound'] as const;
const OUT_TYPES = ['stock_despatch', 'sale', 'wastage', 'outbound'] as const;
const SEARCHES = ['red', 'RED', 'Red-', 'rd-0', 'red-1', 'tired', 'jam', 'onion', '5000000000017', '50000000000', 'cla', 're', 'r', 'zzz', ' red '];

beforeAll(async () => {
  let now = Date.UTC(2026, 3, 1);
  f = await openFixture({ clock: () => (now += 1 + rand(3000)) });
  const r = f.ledger.reference;
  const clerk = r.addUser('clerk', 'Clara Clerk', ['read:stock', 'post:movements']);
  const s1 = r.addSite({ code: 'S1', name: 'Store one', allowNegative: true });
  const s2 = r.addSite({ code: 'S2', name: 'Store two', kind: 'shop', allowNegative: true });
  const bins = [r.addBin(s1, 'X-01'), r.addBin(s1, 'X-02')];
  const bulk = [
    r.addProduct({ sku: 'VEG-RON', name: 'Red onions', stockType: 'Supplied' }),
    r.addProduct({ sku: 'JAM-01', name: 'Redcurrant jam', stockType: 'Supplied', barcodes: ['5000000000017'] }),
    r.addProduct({ sku: 'BRD-01', name: 'Tired bread', stockType: 'Supplied' }),
    r.addProduct({ sku: 'REDUCTION', name: 'Veal jus', stockType: 'Supplied', barcodes: ['5000000000024'] }),
  ];
  const lots = [
    { id: r.addProduct({ sku: 'WIN-RED', name: 'House red wine', stockType: 'Supplied', tracking: 'LOT' }), codes: ['RD-01', 'RD-02', 'RED-1', 'LOT-7'] },
    { id: r.addProduct({ sku: 'CLA-RES', name: 'Claret reserve', stockType: 'Supplied', tracking: 'LOT' }), codes: ['RED-10', 'RD-03', 'CL-1', 'cl-2'] },
  ];
  const expiryOf = (code: string) => (code.startsWith('CL') || code.startsWith('cl') ? null : `2026-${String(1 + (code.charCodeAt(code.length - 1) % 9)).padStart(2, '0')}-1${code.length % 9}`);
  const docs: { doc: PostDocumentInput; user: number }[] = [];
  for (let i = 0; i < 3000; i++) {
    const isLot = rand(3) === 0;
    const lot = pick(lots);
    const productId = isLot ? lot.id : pick(bulk);
    const siteId = rand(2) ? s1 : s2;
    const binId = siteId === s1 && rand(3) ? pick(bins) : undefined;
    const out = rand(5) < 2;
    const type = out ? pick(OUT_TYPES) : pick(IN_TYPES);
    const code = pick(lot.codes);
    const line: MovementLineInput = {
      productId, siteId, ...(binId ? { binId } : {}), type, qty: out ? -(1 + rand(5)) : 1 + rand(40), ...(out ? {} : { unitCost: 100 + rand(900) }),
      ...(isLot ? { batch: { code, ...(expiryOf(code) ? { expiry: expiryOf(code)! } : {}) } } : {}),
    };
    docs.push({ doc: f.docOf([line], { occurredAt: new Date(T0 + rand(90 * 24) * HOUR).toISOString() }), user: rand(3) ? f.ids.admin : clerk });
  }
  // Consecutive documents of one user in one transaction (recording order unchanged).
  for (let i = 0; i < docs.length; ) {
    let j = i;
    while (j < docs.length && docs[j]!.user === docs[i]!.user) j++;
    f.ledger.poster.postMany(docs.slice(i, j).map((d) => d.doc), docs[i]!.user);
    i = j;
  }
  rows = f.ledger.db
    .prepare(
      `SELECT m.seq, m.product_id AS productId, m.site_id AS siteId, m.bin_id AS binId, m.batch_id AS batchId, m.document_id AS documentId,
         m.user_id AS userId, m.type, m.occurred_at AS occurredAt, m.recorded_at AS recordedAt, p.sku, p.name,
         (SELECT group_concat(barcode, ' ') FROM product_barcodes WHERE product_id = p.id) AS barcodes, b.code AS batchCode, b.expiry
       FROM movements m JOIN products p ON p.id = m.product_id LEFT JOIN batches b ON b.id = m.batch_id`,
    )
    .all() as Row[];
}, 120_000);
afterAll(() => f.cleanup());

/** The filter's meaning, written plainly: every field narrows; the search matches a SKU prefix, a name word prefix, an exact barcode or a batch code prefix (any case). */
function matches(m: Row, q: MovementFilter): boolean {
  const inRange = (v: number | string | null, r?: { from?: number | string | undefined; to?: number | string | undefined }) =>
    !r || (v !== null && (r.from === undefined || v >= r.from) && (r.to === undefined || v <= r.to));
  if (q.productId !== undefined && m.productId !== q.productId) return false;
  if (q.siteId !== undefined && m.siteId !== q.siteId) return false;
  if (q.binId !== undefined && m.binId !== q.binId) return false;
  if (q.batchId !== undefined && m.batchId !== q.batchId) return false;
  if (q.documentId !== undefined && m.documentId !== q.documentId) return false;
  if (q.userId !== undefined && m.userId !== q.userId) return false;
  if (q.types?.length && !q.types.includes(m.type as never)) return false;
  if (!inRange(m.occurredAt, q.occurred) || !inRange(m.recordedAt, q.recorded)) return false;
  if (q.expiry && (q.expiry.from || q.expiry.to) && !inRange(m.expiry, q.expiry)) return false;
  const s = q.search?.trim().toLowerCase();
  if (s) {
    const name = m.name.toLowerCase();
    const hit = m.sku.toLowerCase().startsWith(s) || name.startsWith(s) || name.includes(` ${s}`) || (m.barcodes ?? '').split(' ').includes(q.search!.trim()) ||
      (m.batchCode !== null && m.batchCode.toLowerCase().startsWith(s));
    if (!hit) return false;
  }
  return true;
}

const FIELDS = ['search', 'types', 'occurred', 'recorded', 'expiry', 'productId', 'siteId', 'binId', 'batchId', 'documentId', 'userId'] as const;
type Field = (typeof FIELDS)[number];

/** A random value for a field, drawn from the ledger's own movements (so most filters match something). */
function draw(field: Field): MovementFilter {
  const m = pick(rows);
  const range = (lo: number, hi: number) => {
    const [a, b] = [lo + rand(hi - lo), lo + rand(hi - lo)].sort((x, y) => x - y);
    return rand(4) === 0 ? { from: a } : rand(3) === 0 ? { to: b } : { from: a, to: b };
  };
  switch (field) {
    case 'search': return { search: pick(SEARCHES) };
    case 'types': return { types: [...new Set(Array.from({ length: 1 + rand(3) }, () => pick([...IN_TYPES, ...OUT_TYPES])))] };
    case 'occurred': return { occurred: rand(5) === 0 ? { from: m.occurredAt, to: m.occurredAt } : range(T0, T0 + 90 * 24 * HOUR) };
    case 'recorded': return { recorded: range(rows[0]!.recordedAt, rows[rows.length - 1]!.recordedAt) };
    case 'expiry': {
      const months = [1 + rand(9), 1 + rand(9)].sort((a, b) => a - b).map((n) => String(n).padStart(2, '0'));
      return { expiry: rand(3) === 0 ? { from: `2026-${months[0]}-01` } : { from: `2026-${months[0]}-01`, to: `2026-${months[1]}-28` } };
    }
    case 'productId': return { productId: m.productId };
    case 'siteId': return { siteId: m.siteId };
    case 'binId': return { binId: pick(rows.filter((x) => x.binId !== null)).binId! };
    case 'batchId': return { batchId: pick(rows.filter((x) => x.batchId !== null)).batchId! };
    case 'documentId': return { documentId: m.documentId };
    case 'userId': return { userId: m.userId };
  }
}

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

function check(filter: MovementFilter, tunings: (QueryTuning | undefined)[]): number {
  const want = rows.filter((m) => matches(m, filter)).sort((a, b) => b.occurredAt - a.occurredAt || b.seq - a.seq).map((m) => m.seq);
  for (const tuning of tunings) {
    expect(pageAll(filter, 'desc', tuning), `${JSON.stringify(filter)} ${JSON.stringify(tuning)}`).toEqual(want);
  }
  expect(pageAll(filter, 'asc'), JSON.stringify(filter)).toEqual([...want].reverse());
  const q = new MovementQuery(f.ledger.db, filter, cache());
  // The page as the window shows it: the first rows, in order.
  expect(q.page('desc', 50, undefined, undefined, { balanceOnDate: false }).rows.map((m) => m.seq), JSON.stringify(filter)).toEqual(want.slice(0, 50));
  expect(q.count(10_000), JSON.stringify(filter)).toEqual({ count: want.length, exact: true });
  return want.length;
}

const TUNINGS: (QueryTuning | undefined)[] = [
  undefined, { timeWalk: true }, { wholeCap: 0 }, { wholeCap: 0, noMerge: true },
  // Every batch list read most recently moved first, one quant more each try at first.
  { wholeCap: 0, pruneFrom: 1, pruneFirst: 1 }, { wholeCap: 0, noMerge: true, pruneFrom: 1, pruneFirst: 1 },
];

describe('movement filter against a brute-force filter', () => {
  it('has shuffled data: most movements recorded out of effective order, ties in effective time', () => {
    expect(rows.length).toBe(3000);
    const byOcc = [...rows].sort((a, b) => a.occurredAt - b.occurredAt || a.seq - b.seq);
    expect(byOcc.filter((m, i) => i > 0 && m.seq < byOcc[i - 1]!.seq).length).toBeGreaterThan(1000);
    expect(new Set(rows.map((m) => m.occurredAt)).size).toBeLessThan(2200);
  });

  it('every search term finds what the plain rule finds (SKU, name word, barcode, batch code; any case)', () => {
    const found = SEARCHES.map((search) => check({ search }, TUNINGS));
    expect(found.filter((n) => n > 0).length).toBeGreaterThan(10);
    expect(found[SEARCHES.indexOf('zzz')]).toBe(0);
  });

  it('each field alone and every pair of fields, three draws each', () => {
    let nonEmpty = 0;
    for (let i = 0; i < FIELDS.length; i++) {
      for (let j = i; j < FIELDS.length; j++) {
        for (let k = 0; k < 3; k++) if (check({ ...draw(FIELDS[i]!), ...draw(FIELDS[j]!) }, TUNINGS) > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(120);
  }, 120_000);

  it('200 random combinations of three to six fields', () => {
    let nonEmpty = 0;
    for (let n = 0; n < 200; n++) {
      const fields = [...FIELDS].sort(() => rand(3) - 1).slice(0, 3 + rand(4));
      if (check(Object.assign({}, ...fields.map(draw)) as MovementFilter, TUNINGS) > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(40);
  }, 120_000);
});
