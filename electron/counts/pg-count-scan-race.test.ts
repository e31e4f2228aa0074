import type pg from 'pg';
import { expect, it } from 'vitest';
import { countStockLines } from '../../test/fixtures/count-stock';
import { pgLedgerForFile, type PgFixture } from '../../test/fixtures/pg-ledger';
import { openPool } from '../ledger/pg/pg-types';
import { PgLedgerStore } from '../ledger/pg/store/pg-ledger-store';
import { PgCountStore } from './pg-count-store';
import { settledOrWaiting } from '../../test/fixtures/pg-servers';

let f: PgFixture;
pgLedgerForFile((fixture) => (f = fixture));

let n = 0;
const key = () => `scan-race-${process.pid}-${++n}`;

/**
 * Found in review: a scan that adds a count line reads the stock level and what moved since the snapshot in two
 * statements; a posting committed between them made the line's system quantity wrong by that posting.
 */
it('a scan that adds a line gets the system quantity at the snapshot even when another server posts mid-scan', async () => {
  const { shop, bulk, admin } = f.ids;
  await f.store.post({ idempotencyKey: key(), type: 'receipt', lines: countStockLines(f.ids) }, admin);
  // empty the shop's rice, so a count of the shop has no rice line
  await f.store.post({ idempotencyKey: key(), type: 'adjustment', lines: [{ productId: bulk, siteId: shop, type: 'stock_adjustment_out', qty: -3_000 }] }, admin);
  const poolA = openPool(f.connection);
  const poolB = openPool(f.connection);
  const serverB = new PgLedgerStore(poolB);
  const counts = new PgCountStore(poolA);
  const id = await counts.create({ siteId: shop }, admin);
  // after the snapshot: 500 arrive (system quantity at the snapshot is still 0)
  await f.store.post({ idempotencyKey: key(), type: 'receipt', lines: [{ productId: bulk, siteId: shop, type: 'inbound', qty: 500, unitCost: 20_000 }] }, admin);
  // server B posts 200 more between the scan's two reads (level, then moved-since)
  const postings: Promise<unknown>[] = [];
  const connect = poolA.connect.bind(poolA);
  (poolA as { connect: unknown }).connect = async () => {
    const c = (await connect()) as pg.PoolClient;
    const query = c.query.bind(c) as (...a: unknown[]) => Promise<pg.QueryResult>;
    (c as { query: unknown }).query = async (...a: unknown[]) => {
      const r = await query(...a);
      if (typeof a[0] === 'string' && a[0].startsWith('SELECT id, qty, last_seq')) {
        // Not awaited: with the scan holding the chain lock shared, B's posting waits for the scan to commit.
        const posting = serverB.post({ idempotencyKey: key(), type: 'receipt', lines: [{ productId: bulk, siteId: shop, type: 'inbound', qty: 200, unitCost: 20_000 }] }, admin);
        postings.push(posting);
        await settledOrWaiting(f.pool, posting, 1);
      }
      return r;
    };
    return c;
  };
  const r = await counts.scan({ sessionId: id, code: 'RICE-1KG' }, admin);
  (poolA as { connect: unknown }).connect = connect;
  await Promise.all(postings);
  expect(postings).toHaveLength(1);
  expect(r.addedLine).toBe(true);
  const systemQty = r.line!.systemQty;
  // keep_difference: the count's variance against the snapshot (+1 kg vs 0) is added to the 700 now held: 1.700 kg
  await counts.setResolution({ sessionId: id, resolution: 'keep_difference' });
  await counts.complete(id, admin);
  const q = (await f.pool.query<{ q: number }>('SELECT COALESCE(SUM(qty), 0) AS q FROM stock_levels WHERE product_id = $1 AND site_id = $2', [bulk, shop])).rows[0]!.q;
  await poolA.end();
  await poolB.end();
  expect({ systemQty, stockAfterCount: q }).toEqual({ systemQty: 0, stockAfterCount: 1_700 });
});
