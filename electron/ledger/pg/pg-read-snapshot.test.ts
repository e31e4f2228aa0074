import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupsQuerySchema, movementCountQuerySchema, movementPageQuerySchema, stockAtDateQuerySchema } from '../../../shared/contract/enquiry.schemas';
import { productsListSchema } from '../../../shared/contract/masterdata.schemas';
import { postingPreviewSchema } from '../../../shared/contract/posting.schemas';
import { recipeExplodeSchema, recipeSaveSchema } from '../../../shared/contract/recipes.schemas';
import { parseScan } from '../../../shared/scanning/parse-scan';
import { PgPostingStore } from '../../posting/pg-posting-store';
import { asUser } from '../../../test/fixtures/caller';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { writeBetween } from '../../../test/fixtures/pg-servers';
import type { PgLedgerOps } from './pg-ops';
import { openPool } from './pg-types';
import { createPgWorkerContext } from './pg-worker-context';
import { allPgOps } from './pg-worker-ops';
import { readSnapshot } from './store/pg-read-snapshot';
import { PgReferenceStore } from './store/pg-reference-store';
import { startTestCluster, type TestCluster } from './test-cluster';

/**
 * An answer PostgreSQL reads with several statements is read from one snapshot (readSnapshot): another server's write
 * committed between two of its statements is in none of it, so the answer is the one it would have been before the
 * write. Each case makes the write land just after one statement of the read (writeBetween), on a second server.
 */
const NOW = Date.UTC(2026, 9, 1, 12, 0);
let cluster: TestCluster;
let f: PgFixture;
let posted = 0;
let bins = 0;
let renames = 0;
/** A posted inventory adjustment (a draft posted) and a stock count of the warehouse, for the Operations and Counts reads. */
let adjustment = 0;
let count = { sessionId: 0, lineId: 0 };
/** An adjustment draft still open (one line), for reading a draft. */
let openDraft = 0;
/** The version of the risotto recipe saved so far (each save another server makes takes effect a second later). */
let recipeSaves = 0;
/** A posting batch still running (its report is made from what it has committed so far), and its chunks. */
let batch = 0;
let chunks = 0;
beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster, () => NOW);
  const { ids } = f;
  await f.store.post({ idempotencyKey: 'snap-1', type: 'receipt', occurredAt: new Date(NOW - 86_400_000).toISOString(), lines: [
    { productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'inbound', qty: 4_000, unitCost: 21000 },
    { productId: ids.lot, siteId: ids.shop, batch: { code: 'B2', expiry: '2030-12-31' }, type: 'inbound', qty: 6 },
  ] }, ids.admin);
  await f.store.post({ idempotencyKey: 'snap-2', type: 'despatch', lines: [{ productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'sale', qty: -1_500 }] }, ids.admin);
  const ops = allPgOps(createPgWorkerContext(f.pool, f.connection, () => undefined, () => NOW));
  const admin = asUser(ids.admin);
  const draft = await ops['operations.draftCreate']!({ name: 'Found rice', siteId: ids.wh, effectiveAt: new Date(NOW - 3_600_000).toISOString() }, admin);
  await ops['operations.draftSaveLine']!({ draftId: draft.id, productId: ids.bulk, qty: 250, reason: 'found', binId: ids.binA }, admin);
  adjustment = (await ops['operations.draftPost']!({ draftId: draft.id, idempotencyKey: 'snap-adjustment' }, admin)).documentId!;
  const open = await ops['operations.draftCreate']!({ name: 'Broken jars', siteId: ids.wh, effectiveAt: new Date(NOW - 3_600_000).toISOString() }, admin);
  await ops['operations.draftSaveLine']!({ draftId: open.id, productId: ids.bulk, qty: -50, reason: 'damage', binId: ids.binA }, admin);
  openDraft = open.id;
  await saveRecipe(ops, 100);
  const session = await ops['counts.create']!({ siteId: ids.wh }, admin);
  count = { sessionId: session.id, lineId: (await ops['counts.get']!({ sessionId: session.id })).lines[0]!.id };
  batch = await new PgPostingStore(f.pool).createBatch({ target: 'builtin', postedTo: NOW, summarised: false, userId: ids.admin, now: NOW, lastEntry: 0, targetStart: null, targetId: null });
  await chunk();
});
afterAll(async () => {
  await f?.close();
  cluster?.stop();
});

/** A receipt of rice another server posts, dated before everything else (so it moves every balance on a date). */
const receipt = () =>
  f.store.post({ idempotencyKey: `snap-w-${++posted}`, type: 'receipt', occurredAt: new Date(NOW - 10 * 86_400_000).toISOString(), lines: [
    { productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound', qty: 1_000, unitCost: 20000 },
  ] }, f.ids.admin);

/** Another server's posting commits a chunk of the running batch: one entry of two lines (its totals and counters move). */
async function chunk(): Promise<void> {
  const n = chunks++;
  const line = (account: string, amount: number) => ({ entryNo: n + 1, entryDate: NOW, account, amount, movementType: 'receipt', movementSeq: null, description: `chunk ${n}` });
  await new PgPostingStore(f.pool).commitChunk(batch, n, [], [line('1001', 100), line('2100', -100)], 1, n + 2);
}

/** Another server commits a chunk of the running batch and moves the company to another time zone (both in a report file). */
async function chunkInAnotherZone(): Promise<void> {
  await chunk();
  const ops = allPgOps(createPgWorkerContext(f.pool, f.connection, () => undefined, () => NOW));
  const { settings } = await ops['company.get']!();
  const zones = ['Europe/London', 'America/New_York', 'Asia/Tokyo'].filter((z) => z !== settings.timeZone);
  await ops['company.update']!({ ...settings, name: settings.name || 'Soho Bar Ltd', timeZone: zones[renames++ % zones.length]! }, asUser(f.ids.admin));
}

/** A version of the risotto (rice per portion) in force from a day before NOW, a second later each time. */
const saveRecipe = (ops: PgLedgerOps, rice: number) =>
  ops['recipes.save']!(
    recipeSaveSchema.parse({ recipeId: f.ids.recipe, effectiveFrom: new Date(NOW - 86_400_000 + 1000 * recipeSaves++).toISOString(), components: [{ productId: f.ids.bulk, qtyPerUnit: rice }] }),
    asUser(f.ids.admin),
  );

/** Another server moves the corkage's code from its SKU to a barcode (one product edit): a scan of it finds it either way. */
async function skuToBarcode(): Promise<void> {
  const c = await f.pool.connect();
  try {
    await c.query('BEGIN');
    const { rows } = await c.query<{ sku: string }>('UPDATE products SET sku = sku || $2 WHERE id = $1 RETURNING sku', [f.ids.other, '-OLD']);
    await c.query('INSERT INTO product_barcodes (barcode, product_id) VALUES ($1, $2)', [rows[0]!.sku.replace(/-OLD$/, ''), f.ids.other]);
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}

/** Another server records a value-only credit on the sale (a return with no goods back), left to post. */
const valueCredit = () =>
  f.pool.query(
    `INSERT INTO operation_value_credits (idempotency_key, line_no, kind, sale_document_id, sale_seq, product_id, site_id, qty, unit_cost, value, occurred_at, recorded_at, user_id)
     SELECT $1, 1, 'return_value_only', m.document_id, m.seq, m.product_id, m.site_id, 1, 100, 100, $2, $2, $3 FROM movements m WHERE m.type = 'sale' LIMIT 1`,
    [`snap-credit-${++posted}`, NOW - 86_400_000, f.ids.admin],
  );

/** Another server renames a site or a product (what the names in an answer are read from). */
const rename = (table: 'sites' | 'products', id: number) => f.pool.query(`UPDATE ${table} SET name = name || $2 WHERE id = $1`, [id, ` (${++renames})`]);

/** Another server saves a new rice and a receipt of both rices: counted or shown whole (2 more), or not at all, never the old rice's line alone. */
async function riceAndReceipt(): Promise<void> {
  const brown = await new PgReferenceStore(f.pool).addProduct({ sku: `BROWN-${++posted}`, name: 'Brown rice', unit: 'kg', scale: 3 });
  await f.store.post({ idempotencyKey: `snap-w-${++posted}`, type: 'receipt', lines: [
    { productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound', qty: 1_000, unitCost: 20000 },
    { productId: brown, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound', qty: 1_000, unitCost: 20000 },
  ] }, f.ids.admin);
}

/** A server's operations on a pool of its own (a fresh server: no kept report), and the message a job of it finished with. */
async function onServer<T>(work: (ops: PgLedgerOps, pool: pg.Pool, finished: (jobId: string) => Promise<string>) => Promise<T>): Promise<T> {
  const pool = openPool(f.connection, 2);
  const done = new Map<string, (message: string) => void>();
  const emit = (event: string, payload: unknown) => {
    const p = payload as { jobId: string; message: string };
    if (event === 'job.finished') done.get(p.jobId)?.(p.message);
  };
  const finished = (jobId: string) => new Promise<string>((resolve) => done.set(jobId, resolve));
  try {
    return await work(allPgOps(createPgWorkerContext(pool, f.connection, emit, () => NOW)), pool, finished);
  } finally {
    await pool.end();
  }
}

type Read = (ops: PgLedgerOps, finished: (jobId: string) => Promise<string>) => Promise<unknown>;
const cases: [string, Read, RegExp, () => Promise<unknown>][] = [
  [
    'the Products page (count, ids, rows)',
    (ops) => ops['masterdata.products']!(productsListSchema.parse({})),
    /FROM \(SELECT 1 FROM products p/,
    () => new PgReferenceStore(f.pool).addProduct({ sku: 'AAA-NEW', name: 'A product saved meanwhile' }),
  ],
  [
    'the enquiry\'s movements page (the page\'s keys, then their rows, then their balances on their dates)',
    (ops) => ops['enquiry.movements']!(movementPageQuerySchema.parse({})),
    /^SELECT m\.seq, m\.occurred_at FROM movements m/,
    receipt,
  ],
  [
    'the enquiry\'s movements page of a search (the time zone and the products it matches read with the BEGIN, in one round trip, then the page)',
    (ops) => ops['enquiry.movements']!(movementPageQuerySchema.parse({ filter: { search: 'rice' } })),
    /^BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT value FROM settings WHERE key = 'company'; SELECT ARRAY\(SELECT id FROM products WHERE/,
    riceAndReceipt,
  ],
  [
    'the enquiry\'s count of a search (the products it matches read with the BEGIN, in one round trip, then their movements)',
    (ops) => ops['enquiry.count']!(movementCountQuerySchema.parse({ filter: { search: 'rice' } })),
    /^BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT ARRAY\(SELECT id FROM products WHERE/,
    receipt,
  ],
  [
    'stock at a date (the ledger state it is kept under, then the sum)',
    (ops) => ops['enquiry.stockAt']!(stockAtDateQuerySchema.parse({ at: new Date(NOW).toISOString() })),
    /FROM audit_log\) AS h/,
    receipt,
  ],
  [
    'the enquiry\'s look-ups (users, bins, products)',
    (ops) => ops['enquiry.lookups']!(lookupsQuerySchema.parse({})),
    /FROM users ORDER BY/,
    () => new PgReferenceStore(f.pool).addBin(f.ids.wh, `C-${++bins}`),
  ],
  [
    'the enquiry\'s count refined in the background (the products a search matches read with the BEGIN, then the head it counts up to)',
    async (ops, finished) => {
      const message = finished('refine');
      await ops['enquiry.countRefine']!('refine', movementCountQuerySchema.parse({ filter: { search: 'rice' } }));
      return message;
    },
    /^BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT ARRAY\(SELECT id FROM products WHERE/,
    riceAndReceipt,
  ],
  [
    'the adjustment history (the adjustments with their site, then each one\'s lines with their products)',
    (ops) => ops['operations.adjustmentHistory']!({ limit: 10, offset: 0 }),
    /WHERE o\.kind = 'inventory_adjustment'/,
    async () => {
      await rename('sites', f.ids.wh);
      await rename('products', f.ids.bulk);
    },
  ],
  [
    'a document to reverse (its heading with its site, then its lines with theirs)',
    (ops) => ops['operations.document']!({ documentId: adjustment }),
    /LEFT JOIN document_suppliers ds .* WHERE d\.id = \$1/s,
    () => rename('sites', f.ids.wh),
  ],
  [
    'a stock count (the session with its counted tally, then its lines)',
    (ops) => ops['counts.get']!({ sessionId: count.sessionId }),
    /FROM count_sessions s/,
    () => allPgOps(createPgWorkerContext(f.pool, f.connection, () => undefined, () => NOW))['counts.setCounted']!({ sessionId: count.sessionId, lineId: count.lineId, countedQty: 1 }, asUser(f.ids.admin)),
  ],
  [
    'the company settings (the settings, then the first-run assistant\'s step)',
    (ops) => ops['company.get']!(),
    /SELECT value FROM settings WHERE key = \$1/,
    async () => {
      const ops = allPgOps(createPgWorkerContext(f.pool, f.connection, () => undefined, () => NOW));
      const { settings } = await ops['company.get']!();
      await ops['company.update']!({ ...settings, name: `Renamed ${++renames}`, setupStep: 'site' }, asUser(f.ids.admin));
    },
  ],
  [
    'the posting preview (the movements left to post, then the value-only credits)',
    (ops) => ops['posting.preview']!(postingPreviewSchema.parse({ to: new Date(NOW).toISOString(), target: 'builtin' })),
    /SELECT COUNT\(\*\) AS n, MIN\(occurred_at\) AS first, MAX\(occurred_at\) AS last FROM unposted_movements/,
    valueCredit,
  ],
  [
    'a running batch\'s report (the batch, then its totals per account and type)',
    (ops) => ops['posting.report']!({ batchId: batch }),
    /FROM journal_batches WHERE id = \$1/,
    chunk,
  ],
  [
    'a running batch\'s report as CSV (the report, then the time zone it is written in)',
    (ops) => ops['posting.reportCsv']!({ batchId: batch }),
    /FROM journal_batches WHERE id = \$1/,
    chunkInAnotherZone,
  ],
  [
    'a running batch\'s report as PDF (the report, then the time zone it is written in)',
    (ops) => ops['posting.reportPdf']!({ batchId: batch }),
    /FROM journal_batches WHERE id = \$1/,
    chunkInAnotherZone,
  ],
  [
    'the trial balance (the chart, then the totals per account)',
    (ops) => ops['posting.trialBalance']!({ target: 'builtin' }),
    /SELECT code, name FROM finance_accounts/,
    chunk,
  ],
  [
    'the control accounts (the chart, then the rules)',
    (ops) => ops['posting.controlAccounts']!(),
    /SELECT code, name FROM finance_accounts/,
    async () => {
      const ops = allPgOps(createPgWorkerContext(f.pool, f.connection, () => undefined, () => NOW));
      const { accounts, rules } = await ops['posting.controlAccounts']!();
      await ops['posting.saveControlAccounts']!({ accounts, rules: rules.slice(1), target: 'builtin' });
    },
  ],
  [
    'a scan (by barcode, then by SKU)',
    (ops) => ops.scannerResolve!(parseScan('SERVICE')),
    /FROM product_barcodes b JOIN products p/,
    skuToBarcode,
  ],
  [
    'a recipe\'s explosion (the version in force, then its components)',
    (ops) => ops['recipes.explode']!(recipeExplodeSchema.parse({ recipeId: f.ids.recipe, qty: 2, at: new Date(NOW).toISOString() })),
    /FROM recipe_versions WHERE recipe_id = \$1 AND effective_from <= \$2/,
    () => saveRecipe(allPgOps(createPgWorkerContext(f.pool, f.connection, () => undefined, () => NOW)), 100 + recipeSaves),
  ],
  [
    'an adjustment draft (its heading with its line count, then its lines)',
    (ops) => ops['operations.draftGet']!({ draftId: openDraft }),
    /FROM adjustment_drafts d JOIN sites s .* WHERE d\.id = \$1/s,
    () => allPgOps(createPgWorkerContext(f.pool, f.connection, () => undefined, () => NOW))['operations.draftSaveLine']!(
      { draftId: openDraft, productId: f.ids.bulk, qty: -1 - posted++, reason: 'damage', binId: f.ids.binA },
      asUser(f.ids.admin),
    ),
  ],
];

describe('a read snapshot\'s connection', () => {
  it('answers before its COMMIT has, and goes back to the pool only after it: the next read on it is a snapshot of its own', async () => {
    const pool = openPool(f.connection, 1);
    try {
      const products = () => readSnapshot(pool, async (c) => (await c.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM products')).rows[0]!.n);
      const first = await products();
      await new PgReferenceStore(f.pool).addProduct({ sku: `SNAP-${++posted}`, name: 'A product saved between two reads' });
      // The one connection: had the second read's BEGIN gone before the first read's COMMIT, it would read the first snapshot.
      expect(await products()).toBe(first + 1);
    } finally {
      await pool.end();
    }
  });
});

describe('reads of several statements on PostgreSQL', () => {
  it.each(cases)('%s: a write committed between its statements is in none of them', async (_name, read, after, write) => {
    const before = await onServer((ops, _pool, finished) => read(ops, finished));
    const during = await onServer(async (ops, pool, finished) => {
      const wrote = writeBetween(pool, after, write);
      const answer = await read(ops, finished);
      expect(wrote()).toBe(true);
      return answer;
    });
    expect(during).toEqual(before);
    // and the write is there for the next read
    expect(await onServer((ops, _pool, finished) => read(ops, finished))).not.toEqual(before);
  });
});
