import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import type { DocumentTypeCode } from '../../shared/document-types';
import { countStockLines } from '../../test/fixtures/count-stock';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { openPool } from '../ledger/pg/pg-types';
import { PgLedgerStore } from '../ledger/pg/store/pg-ledger-store';
import { PgReferenceStore } from '../ledger/pg/store/pg-reference-store';
import { masterDataOn } from '../masterdata/master-data';
import { PgMasterStore } from '../masterdata/pg-master-store';
import { AUDIT_LOCK_KEY } from '../safety/pg-audit-store';
import { settledOrWaiting } from '../../test/fixtures/pg-servers';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { PgCountStore } from './pg-count-store';

/** Two Stockbook servers on one PostgreSQL: each its own pool, its own count store and ledger core. */
interface Server {
  pool: pg.Pool;
  counts: PgCountStore;
  core: PgLedgerStore;
}

let cluster: TestCluster;
let f: PgFixture;
let servers: [Server, Server];
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster?.stop());
beforeEach(async () => {
  f = await openPgFixture(cluster);
  const server = (): Server => {
    const pool = openPool(f.connection);
    return { pool, counts: new PgCountStore(pool), core: new PgLedgerStore(pool) };
  };
  servers = [server(), server()];
  await f.store.post(doc('receipt', countStockLines(f.ids)), f.ids.admin);
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.pool.end()));
  await f.close();
});

let counter = 0;
function doc(type: DocumentTypeCode, lines: MovementLineInput[]): PostDocumentInput {
  return { idempotencyKey: `count-two-servers-${process.pid}-${++counter}`, type, lines };
}

const one = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await f.pool.query<R>(sql, params)).rows[0]!;
const qtyAt = async (productId: number, siteId: number, binId: number | null) =>
  (await one<{ q: number }>('SELECT COALESCE(SUM(qty), 0) AS q FROM stock_levels WHERE product_id = $1 AND site_id = $2 AND bin_id IS NOT DISTINCT FROM $3', [productId, siteId, binId])).q;

describe('two servers counting on one PostgreSQL', () => {
  it('complete the same count at once: one completes it, the other is refused clearly, one set of adjustments is posted', async () => {
    const [a, b] = servers;
    const { wh, binA, bulk, lot } = f.ids;
    for (let round = 0; round < 4; round++) {
      const id = await a.counts.create({ siteId: wh, binId: binA }, f.ids.admin);
      const lines = await b.counts.lines(id);
      const bulkLine = lines.find((l) => l.productId === bulk)!;
      await a.counts.setCounted(id, bulkLine.id, bulkLine.systemQty - 100, f.ids.admin);
      await b.counts.setCounted(id, lines.find((l) => l.productId === lot)!.id, 12 + round, f.ids.admin);
      const outcomes = await Promise.allSettled([a.counts.complete(id, f.ids.admin), b.counts.complete(id, f.ids.admin)]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.reason).toBeInstanceOf(AppError);
      expect((refused[0]!.reason as AppError).code).toBe('CONFLICT');
      expect((refused[0]!.reason as AppError).message).toMatch(/Stock count .* is completed and can no longer be changed/);
      const session = await a.counts.session(id);
      expect(session.status).toBe('COMPLETED');
      const docs = await one<{ n: number; moves: number }>(
        "SELECT COUNT(DISTINCT d.id) AS n, COUNT(m.seq) AS moves FROM documents d LEFT JOIN movements m ON m.document_id = d.id WHERE d.reference = $1 AND d.type = 'stock_count'",
        [session.reference],
      );
      expect(docs).toEqual({ n: 1, moves: round === 0 ? 1 : 2 });
      expect(await qtyAt(bulk, wh, binA)).toBe(bulkLine.systemQty - 100);
    }
    expect(await qtyAt(bulk, wh, binA)).toBe(10_000 - 400);
    expect((await f.store.verify()).ok).toBe(true);
  });

  it('counts on different products complete while other movements post: each count is the truth for its quants, the ledger verifies', async () => {
    const [a, b] = servers;
    const { wh, shop, binA, binB, bulk, lot, serial, admin } = f.ids;
    const binCount = await a.counts.create({ siteId: wh, binId: binB }, admin); // bulk in B-01
    const shopCount = await b.counts.create({ siteId: shop }, admin); // bulk at the shop
    await a.counts.setCounted(binCount, (await a.counts.lines(binCount))[0]!.id, 3_750, admin);
    await b.counts.setCounted(shopCount, (await b.counts.lines(shopCount))[0]!.id, 3_200, admin);
    // A third server keeps posting into A-01 (other products, and the same product in another bin) meanwhile.
    const other = [a, b].map((s, i) =>
      (async () => {
        for (let k = 0; k < 15; k++) {
          await s.core.post(
            doc('receipt', [
              { productId: lot, siteId: wh, binId: binA, batch: { code: 'L1' }, type: 'inbound', qty: 1, unitCost: 90_000 },
              { productId: bulk, siteId: wh, binId: binA, type: 'inbound', qty: 10, unitCost: 20_000 },
              { productId: serial, siteId: wh, binId: binA, serial: `N${i}-${k}`, type: 'inbound', qty: 1, unitCost: 500_000 },
            ]),
            admin,
          );
        }
      })(),
    );
    const completed = await Promise.all([a.counts.complete(binCount, admin), b.counts.complete(shopCount, admin), ...other]);
    expect(completed.slice(0, 2).map((d) => d && d.movementCount)).toEqual([1, 1]);
    expect(await qtyAt(bulk, wh, binB)).toBe(3_750);
    expect(await qtyAt(bulk, shop, null)).toBe(3_200);
    expect(await qtyAt(bulk, wh, binA)).toBe(10_000 + 30 * 10);
    expect(await qtyAt(lot, wh, binA)).toBe(12 + 6 + 30);
    expect(await qtyAt(serial, wh, binA)).toBe(3 + 30);
    // Count movements exist only inside the counts' documents.
    expect(await one("SELECT COUNT(*) AS n FROM documents WHERE type = 'stock_count'")).toEqual({ n: 2 });
    expect((await f.store.verify()).ok).toBe(true);
  });

  it("a count's snapshot is the stock as of its snapshot seq, whatever other servers post while it is taken", async () => {
    const [a, b] = servers;
    const { wh, binA, bulk, lot, admin } = f.ids;
    let posting = true;
    const poster = async (s: Server, n: number) => {
      for (let k = n; posting && k < n + 300; k++) {
        await s.core.post(
          doc('receipt', [
            { productId: bulk, siteId: wh, binId: binA, type: 'inbound', qty: 1, unitCost: 20_000 },
            { productId: lot, siteId: wh, binId: binA, batch: { code: `B${k % 7}` }, type: 'inbound', qty: 1, unitCost: 90_000 },
          ]),
          admin,
        );
      }
    };
    // Three posting loops on both servers (a pool holds four connections).
    const posters = [poster(b, 0), poster(b, 1000), poster(a, 2000)];
    const ids: number[] = [];
    try {
      for (let i = 0; i < 40; i++) ids.push(await a.counts.create({ siteId: wh }, admin));
    } finally {
      posting = false;
      await Promise.allSettled(posters);
    }
    for (const id of ids) {
      // Every quant's quantity as the movements up to the snapshot seq sum it, against the lines the snapshot took.
      const mismatches = await f.pool.query(
        `WITH s AS (SELECT snapshot_seq FROM count_sessions WHERE id = $1),
           asof AS (SELECT product_id, bin_id, batch_id, SUM(qty) AS qty FROM movements, s WHERE site_id = $2 AND seq <= s.snapshot_seq
                    GROUP BY product_id, bin_id, batch_id HAVING SUM(qty) <> 0),
           taken AS (SELECT product_id, bin_id, batch_id, system_qty AS qty FROM count_lines WHERE session_id = $1)
         SELECT * FROM ((SELECT * FROM asof EXCEPT SELECT * FROM taken) UNION ALL (SELECT * FROM taken EXCEPT SELECT * FROM asof)) x`,
        [id, wh],
      );
      expect(mismatches.rows).toEqual([]);
    }
    expect((await f.store.verify()).ok).toBe(true);
  });
  it('scan the same new code into the same count at once: one records it, the other is told it was already scanned (as on SQLite)', async () => {
    const [a, b] = servers;
    const { wh, binA, serial, admin } = f.ids;
    const id = await a.counts.create({ siteId: wh, binId: binA }, admin);
    const line = (await a.counts.lines(id)).find((l) => l.productId === serial)!;
    for (let k = 0; k < 20; k++) {
      const code = `FOUND-${k}`;
      const outcomes = await Promise.all([a, b].map((s) => s.counts.scan({ sessionId: id, code, lineId: line.id }, admin)));
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['duplicate', 'flagged']);
      expect(outcomes.find((o) => o.outcome === 'duplicate')!.message).toBe(`${code} was already scanned on TAP-01 in A-01; this scan was ignored.`);
    }
    expect((await a.counts.line(id, line.id)).countedQty).toBe(20);
  });

  it('scan a product with no line in the count on both servers at once: one line is added and counts both scans (as on SQLite)', async () => {
    const [a, b] = servers;
    const { wh, admin } = f.ids;
    const r = new PgReferenceStore(f.pool);
    for (let k = 0; k < 12; k++) {
      const sku = `NEW-${k}`;
      const productId = await r.addProduct({ sku, name: `New product ${k}` });
      const id = await a.counts.create({ siteId: wh }, admin);
      const outcomes = await Promise.all([a, b].map((s) => s.counts.scan({ sessionId: id, code: sku }, admin)));
      expect(outcomes.map((o) => o.outcome)).toEqual(['incremented', 'incremented']);
      expect(outcomes.filter((o) => o.addedLine)).toHaveLength(1);
      const lines = (await a.counts.lines(id)).filter((l) => l.productId === productId);
      expect(lines).toHaveLength(1);
      expect(lines[0]!.countedQty).toBe(2);
    }
  });
  it('scan a product another server is deleting: the scan waits for the delete and says no product matches (as on SQLite)', async () => {
    const [a, b] = servers;
    const { wh, admin } = f.ids;
    const productId = await new PgReferenceStore(f.pool).addProduct({ sku: 'GONE-1', name: 'Deleted while scanned' });
    const id = await a.counts.create({ siteId: wh }, admin);
    const holder = await f.pool.connect();
    try {
      // A third party holds the audit lock: the delete stops at its audit entry, the product's row deleted but not committed.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
      const deleting = masterDataOn(new PgMasterStore(a.pool)).deleteProduct(productId, admin);
      await settledOrWaiting(f.pool, deleting, 1);
      const scanning = b.counts.scan({ sessionId: id, code: 'GONE-1' }, admin);
      await settledOrWaiting(f.pool, scanning, 2);
      await holder.query('COMMIT');
      await expect(deleting).resolves.toEqual({ id: productId, sku: 'GONE-1' });
      await expect(scanning).resolves.toEqual({ outcome: 'not_found', message: 'No product, barcode or serial number matches "GONE-1". Check the code and scan again.', line: null });
    } finally {
      holder.release();
    }
    expect(await one('SELECT COUNT(*)::int AS n FROM count_lines WHERE product_id = $1', [productId])).toEqual({ n: 0 });
  });

  it('delete a product another server has just scanned into a count: the foreign key is refused in the rules\' words', async () => {
    const [a, b] = servers;
    const { wh, admin } = f.ids;
    const productId = await new PgReferenceStore(f.pool).addProduct({ sku: 'KEPT-1', name: 'Scanned, then deleted' });
    const id = await a.counts.create({ siteId: wh }, admin);
    expect((await a.counts.scan({ sessionId: id, code: 'KEPT-1' }, admin)).outcome).toBe('incremented');
    await expect(masterDataOn(new PgMasterStore(b.pool)).deleteProduct(productId, admin)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'KEPT-1 is still named on a document, count or draft, so it cannot be deleted. Deactivate it instead.',
    });
    expect(await one('SELECT COUNT(*)::int AS n FROM products WHERE id = $1', [productId])).toEqual({ n: 1 });
  });
});
