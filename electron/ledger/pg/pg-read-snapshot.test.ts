import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupsQuerySchema, movementCountQuerySchema, movementPageQuerySchema, stockAtDateQuerySchema } from '../../../shared/contract/enquiry.schemas';
import { productsListSchema } from '../../../shared/contract/masterdata.schemas';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { writeBetween } from '../../../test/fixtures/pg-servers';
import type { PgLedgerOps } from './pg-ops';
import { openPool } from './pg-types';
import { createPgWorkerContext } from './pg-worker-context';
import { allPgOps } from './pg-worker-ops';
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
beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster, () => NOW);
  const { ids } = f;
  await f.store.post({ idempotencyKey: 'snap-1', type: 'receipt', occurredAt: new Date(NOW - 86_400_000).toISOString(), lines: [
    { productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'inbound', qty: 4_000, unitCost: 21000 },
    { productId: ids.lot, siteId: ids.shop, batch: { code: 'B2', expiry: '2030-12-31' }, type: 'inbound', qty: 6 },
  ] }, ids.admin);
  await f.store.post({ idempotencyKey: 'snap-2', type: 'despatch', lines: [{ productId: ids.bulk, siteId: ids.wh, binId: ids.binA, type: 'sale', qty: -1_500 }] }, ids.admin);
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

/** A server's operations on a pool of its own (a fresh server: no kept report). */
async function onServer<T>(work: (ops: PgLedgerOps, pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = openPool(f.connection, 2);
  try {
    return await work(allPgOps(createPgWorkerContext(pool, f.connection, () => undefined, () => NOW)), pool);
  } finally {
    await pool.end();
  }
}

type Read = (ops: PgLedgerOps) => Promise<unknown>;
const cases: [string, Read, RegExp, () => Promise<unknown>][] = [
  [
    'the Products page (count, ids, rows)',
    (ops) => ops['masterdata.products']!(productsListSchema.parse({})),
    /FROM \(SELECT 1 FROM products p/,
    () => new PgReferenceStore(f.pool).createProduct({ sku: 'AAA-NEW', name: 'A product saved meanwhile' }),
  ],
  [
    'the enquiry\'s movements page (the rows, then their balances on their dates)',
    (ops) => ops['enquiry.movements']!(movementPageQuerySchema.parse({})),
    /^SELECT .* FROM \(SELECT m\.seq(, m\.occurred_at)? FROM movements m/s,
    receipt,
  ],
  [
    'the enquiry\'s count of a search (the products it matches, then their movements)',
    (ops) => ops['enquiry.count']!(movementCountQuerySchema.parse({ filter: { search: 'rice' } })),
    /^SELECT id FROM products WHERE/,
    receipt,
  ],
  [
    'stock at a date (the head it is kept under, then the sum)',
    (ops) => ops['enquiry.stockAt']!(stockAtDateQuerySchema.parse({ at: new Date(NOW).toISOString() })),
    /AS h FROM movements/,
    receipt,
  ],
  [
    'the enquiry\'s look-ups (users, bins, products)',
    (ops) => ops['enquiry.lookups']!(lookupsQuerySchema.parse({})),
    /FROM users ORDER BY/,
    () => new PgReferenceStore(f.pool).createBin(f.ids.wh, `C-${++bins}`),
  ],
];

describe('reads of several statements on PostgreSQL', () => {
  it.each(cases)('%s: a write committed between its statements is in none of them', async (_name, read, after, write) => {
    const before = await onServer((ops) => read(ops));
    const during = await onServer(async (ops, pool) => {
      const wrote = writeBetween(pool, after, write);
      const answer = await read(ops);
      expect(wrote()).toBe(true);
      return answer;
    });
    expect(during).toEqual(before);
    // and the write is there for the next read
    expect(await onServer((ops) => read(ops))).not.toEqual(before);
  });
});
