import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { AppError } from '../../shared/contract/errors';
import { productCreateSchema, siteCreateSchema } from '../../shared/contract/masterdata.schemas';
import type { ProductRecord } from '../../shared/masterdata';
import { migratePg } from '../ledger/pg/pg-data-source';
import { openPool } from '../ledger/pg/pg-types';
import { PgLedgerStore } from '../ledger/pg/store/pg-ledger-store';
import { PgReferenceStore } from '../ledger/pg/store/pg-reference-store';
import { AUDIT_LOCK_KEY } from '../safety/pg-audit-store';
import { settledOrWaiting } from '../../test/fixtures/pg-servers';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { masterDataOn, type AsyncMasterData } from './master-data';
import { PgMasterStore } from './pg-master-store';

/**
 * Two Stockbook servers (two pools, each its own connections) changing master data at once on one PostgreSQL:
 * the database's keys, version-checked UPDATEs and audit lock hold what one SQLite writer holds by being alone.
 */
let cluster: TestCluster;
let pools: pg.Pool[] = [];
let servers: AsyncMasterData[] = [];
beforeAll(async () => {
  cluster = await startTestCluster();
  const connection = cluster.createDatabase(`mds_${process.pid}`);
  await migratePg(connection);
  pools = [openPool(connection, 4), openPool(connection, 4)];
  servers = pools.map((p) => masterDataOn(new PgMasterStore(p)));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  cluster?.stop();
});

const ADMIN = 2;
const product = (sku: string, name: string) =>
  productCreateSchema.parse({ sku, name, unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, barcodes: [] });
const site = (code: string, name: string) => siteCreateSchema.parse({ code, name, kind: 'warehouse', allowNegative: false });
/** What a change came to: its record, or the refusal's code, field and message. */
const outcome = <T>(change: Promise<T>) =>
  change.then(
    (record) => ({ record, refused: null }),
    (e: unknown) => {
      if (!(e instanceof AppError)) throw e;
      return { record: null, refused: { code: e.code, field: (e.details as { field?: string }).field, message: e.message } };
    },
  );
const sql = async <R extends pg.QueryResultRow>(text: string, params: unknown[] = []) => (await pools[0]!.query<R>(text, params)).rows;

describe('two servers change master data at once on one PostgreSQL', () => {
  it('codes stay unique, stale saves are refused, and every change has its entry in one verified audit chain', async () => {
    const [a, b] = servers as [AsyncMasterData, AsyncMasterData];
    const SHARED = 24;
    // Both servers create the same SKUs and site codes (in opposite orders), each also some of its own.
    const shared = Array.from({ length: SHARED }, (_, i) => `P-${String(i).padStart(2, '0')}`);
    const creates = await Promise.all([
      ...shared.map((sku) => outcome(a.createProduct(product(sku, `${sku} from A`), ADMIN))),
      ...[...shared].reverse().map((sku) => outcome(b.createProduct(product(sku.toLowerCase(), `${sku} from B`), ADMIN))),
      ...Array.from({ length: 6 }, (_, i) => outcome(a.createProduct(product(`A-${i}`, `A ${i}`), ADMIN))),
      ...Array.from({ length: 6 }, (_, i) => outcome(b.createProduct(product(`B-${i}`, `B ${i}`), ADMIN))),
      ...Array.from({ length: 8 }, (_, i) => outcome(a.createSite(site(`S${i}`, `Store ${i}`), ADMIN))),
      ...Array.from({ length: 8 }, (_, i) => outcome(b.createSite(site(`s${7 - i}`, `Depot ${7 - i}`), ADMIN))),
    ]);
    const made = creates.filter((o) => o.record !== null);
    const refused = creates.filter((o) => o.refused !== null).map((o) => o.refused!);
    // Each shared SKU and site code exists once: the other server's save was refused in the rules' words.
    expect(made).toHaveLength(SHARED + 12 + 8);
    expect(refused).toHaveLength(SHARED + 8);
    for (const r of refused) {
      expect(r.code).toBe('CONFLICT');
      expect(r.message).toMatch(r.field === 'sku' ? /^Another product already has the SKU [Pp]-\d\d\. Choose a different SKU\.$/ : /^Another site already has the code [Ss]\d\. Choose a different code\.$/);
    }
    expect(new Set(refused.map((r) => r.field))).toEqual(new Set(['sku', 'code']));
    expect(await sql('SELECT lower(sku) AS k, COUNT(*)::int AS n FROM products GROUP BY 1 HAVING COUNT(*) > 1')).toEqual([]);
    expect((await sql<{ n: number }>("SELECT COUNT(*)::int AS n FROM products WHERE sku ILIKE 'p-%'"))[0]!.n).toBe(SHARED);
    expect((await sql<{ n: number }>("SELECT COUNT(*)::int AS n FROM sites WHERE kind <> 'external'"))[0]!.n).toBe(8);

    // Both servers save each product from the version they read: one save per product lands, the other is stale.
    const products = (await sql<{ id: number }>("SELECT id FROM products WHERE sku ILIKE 'p-%' ORDER BY id")).map((r) => r.id);
    const store = new PgMasterStore(pools[0]!);
    const read = await Promise.all(products.map(async (id) => (await store.product(id))!));
    const form = ({ hasMovements: _m, onHand: _o, groupCode: _g, variantLabel: _l, variantCount: _c, ...fields }: ProductRecord, name: string) => ({ ...fields, name });
    const saves = await Promise.all(read.flatMap((p) => [outcome(a.updateProduct(form(p, `${p.sku} saved by A`), ADMIN)), outcome(b.updateProduct(form(p, `${p.sku} saved by B`), ADMIN))]));
    for (let i = 0; i < read.length; i++) {
      const pair = [saves[2 * i]!, saves[2 * i + 1]!];
      const won = pair.filter((o) => o.record !== null);
      expect(won).toHaveLength(1);
      const lost = pair.find((o) => o.refused !== null)!.refused!;
      expect(lost).toMatchObject({ code: 'CONFLICT', field: 'version' });
      expect(lost.message).toMatch(new RegExp(`^Product ${read[i]!.sku} was changed by Administrator at .+ after you opened it`));
      expect(await store.product(read[i]!.id)).toMatchObject({ version: read[i]!.version + 1, name: won[0]!.record!.name });
    }

    // One audit entry per change that landed, none for a refusal; one chain, ids 1..n with no gap, verified.
    const landed = made.length + saves.filter((o) => o.record !== null).length;
    const entries = await sql<{ id: number }>("SELECT id FROM audit_log WHERE action = 'master-data-changed' ORDER BY id");
    expect(entries).toHaveLength(landed);
    expect(entries.map((e) => e.id)).toEqual(Array.from({ length: landed }, (_, i) => i + 1));
    const report = await new PgLedgerStore(pools[1]!).verify();
    expect(report.checks.find((c) => c.name === 'audit-chain')).toMatchObject({ ok: true, problems: [] });
    expect(report.ok).toBe(true);
  });

  it('a bin is not deactivated under a posting that puts stock in it: the change waits for the posting, sees its stock and refuses', async () => {
    const refs = new PgReferenceStore(pools[0]!);
    const siteId = await refs.addSite({ code: 'LCK', name: 'Lock depot' });
    const binId = await refs.addBin(siteId, 'L-01');
    const productId = await refs.addProduct({ sku: 'LOCK-1', name: 'Lock product' });
    const line = { productId, siteId, binId, type: 'inbound' as const, qty: 5 };
    const ledger = new PgLedgerStore(pools[0]!);
    // In and out again: a stock level of zero for the place, so the posting below has a row to wait on.
    await ledger.post({ idempotencyKey: 'lock-in', type: 'receipt', lines: [line] }, ADMIN);
    await ledger.post({ idempotencyKey: 'lock-out', type: 'despatch', lines: [{ ...line, type: 'sale', qty: -5 }] }, ADMIN);
    const holder = await pools[1]!.connect();
    try {
      // A third party holds the stock level: the posting stops after reading (and share-locking) the bin.
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM stock_levels WHERE product_id = $1 AND site_id = $2 FOR UPDATE', [productId, siteId]);
      const posting = ledger.post({ idempotencyKey: 'lock-post', type: 'receipt', lines: [line] }, ADMIN);
      await settledOrWaiting(pools[0]!, posting, 1);
      // Server B deactivates the bin, through the rules, while the posting that fills it is still open.
      const deactivating = outcome(servers[1]!.updateBin({ id: binId, code: 'L-01', name: 'L-01', stockStatus: 'sellable', active: false }, ADMIN));
      await settledOrWaiting(pools[0]!, deactivating, 2);
      await holder.query('COMMIT');
      await expect(posting).resolves.toMatchObject({ movementCount: 1 });
      expect((await deactivating).refused).toMatchObject({ code: 'CONFLICT', field: 'active', message: expect.stringMatching(/^Bin L-01 at Lock depot still holds stock in 1 line/) });
    } finally {
      holder.release();
    }
    expect(await sql('SELECT active FROM bins WHERE id = $1', [binId])).toEqual([{ active: true }]);
  });

  /**
   * Found in review: the rules look a barcode's owners up before the insert, and the table's key holds one exact string
   * only, so a save on server B between server A's look-up and insert gave a raw key error, or one GTIN (in two forms)
   * to two products. Server B's save starts just before A inserts its barcodes; it must wait for A and see its barcode.
   */
  async function raceAtBarcodeInsert<T>(aSave: () => Promise<T>, bSave: () => Promise<unknown>) {
    const pool = pools[0]!;
    const connect = pool.connect.bind(pool);
    let b: Promise<unknown> | null = null;
    (pool as { connect: unknown }).connect = async () => {
      const c = (await connect()) as pg.PoolClient;
      const query = c.query.bind(c) as (...x: unknown[]) => Promise<pg.QueryResult>;
      (c as { query: unknown }).query = async (...x: unknown[]) => {
        if (b === null && typeof x[0] === 'string' && x[0].includes('INSERT INTO product_barcodes')) {
          b = outcome(bSave());
          await settledOrWaiting(pools[1]!, b, 1);
        }
        return query(...x);
      };
      return c;
    };
    try {
      const a = await outcome(aSave());
      return { a, b: await (b as Promise<unknown> | null) };
    } finally {
      (pool as { connect: unknown }).connect = connect;
    }
  }
  const barcoded = (sku: string, barcodes: string[]) => ({ ...product(sku, sku), barcodes });

  it('one barcode given to two new products by two servers at once: the second save is refused in the rules\' words', async () => {
    const [a, b] = servers as [AsyncMasterData, AsyncMasterData];
    const r = await raceAtBarcodeInsert(() => a.createProduct(barcoded('BAR-A1', ['5012345678900']), ADMIN), () => b.createProduct(barcoded('BAR-B1', ['5012345678900']), ADMIN));
    expect(r.a.refused).toBeNull();
    expect(r.b).toMatchObject({ record: null, refused: { code: 'CONFLICT', field: 'barcodes', message: 'Barcode 5012345678900 already belongs to BAR-A1. A barcode can belong to one product only: remove it from BAR-A1 first, or leave it off this product.' } });
  });

  it('one GTIN given in two forms to two products by two servers at once: one product keeps it', async () => {
    const [a, b] = servers as [AsyncMasterData, AsyncMasterData];
    const r = await raceAtBarcodeInsert(() => a.createProduct(barcoded('BAR-A2', ['4006381333931']), ADMIN), () => b.createProduct(barcoded('BAR-B2', ['04006381333931']), ADMIN));
    expect(r.a.refused).toBeNull();
    expect(r.b).toMatchObject({ record: null, refused: { code: 'CONFLICT', field: 'barcodes', message: expect.stringMatching(/^Barcode 04006381333931 already belongs to BAR-A2/) } });
    const owners = await sql<{ sku: string }>("SELECT DISTINCT p.sku FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode IN ('4006381333931', '04006381333931')");
    expect(owners).toEqual([{ sku: 'BAR-A2' }]);
  });

  it('a product is not deleted under a posting that moves it: the delete waits for the posting, sees its movement and refuses in the rules\' words', async () => {
    const refs = new PgReferenceStore(pools[0]!);
    const siteId = await refs.addSite({ code: 'DEL', name: 'Delete depot' });
    const productId = await refs.addProduct({ sku: 'DEL-1', name: 'Deleted under a posting' });
    const ledger = new PgLedgerStore(pools[0]!);
    const holder = await pools[1]!.connect();
    try {
      // A third party holds the site: the posting stops after share-locking the product (products are locked first).
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM sites WHERE id = $1 FOR UPDATE', [siteId]);
      const posting = ledger.post({ idempotencyKey: 'del-post', type: 'receipt', lines: [{ productId, siteId, type: 'inbound', qty: 3 }] }, ADMIN);
      await settledOrWaiting(pools[0]!, posting, 1);
      // Server B deletes the product (it has never moved yet) while the posting that moves it is still open.
      const deleting = outcome(servers[1]!.deleteProduct(productId, ADMIN));
      await settledOrWaiting(pools[0]!, deleting, 2);
      await holder.query('COMMIT');
      await expect(posting).resolves.toMatchObject({ movementCount: 1 });
      expect((await deleting).refused).toMatchObject({ code: 'CONFLICT', field: 'id', message: 'DEL-1 has movements, so it can never be deleted: the ledger keeps its history. Deactivate it instead (clear Active and save).' });
    } finally {
      holder.release();
    }
    expect(await sql('SELECT sku FROM products WHERE id = $1', [productId])).toEqual([{ sku: 'DEL-1' }]);
  });

  it('a posting for a product being deleted waits for the delete and is refused as a product that no longer exists', async () => {
    const refs = new PgReferenceStore(pools[0]!);
    const siteId = await refs.addSite({ code: 'DEL2', name: 'Second delete depot' });
    const productId = await refs.addProduct({ sku: 'DEL-2', name: 'Deleted before a posting' });
    const holder = await pools[1]!.connect();
    try {
      // A third party holds the audit lock: the delete stops at its audit entry, the product's row locked and deleted.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
      const deleting = outcome(servers[1]!.deleteProduct(productId, ADMIN));
      await settledOrWaiting(pools[0]!, deleting, 1);
      const posting = outcome(new PgLedgerStore(pools[0]!).post({ idempotencyKey: 'del2-post', type: 'receipt', lines: [{ productId, siteId, type: 'inbound', qty: 3 }] }, ADMIN));
      await settledOrWaiting(pools[0]!, posting, 2);
      await holder.query('COMMIT');
      expect((await deleting).record).toEqual({ id: productId, sku: 'DEL-2' });
      expect((await posting).refused).toMatchObject({ code: 'NOT_FOUND', field: 'productId', message: expect.stringMatching(/the product picked does not exist \(it may have been removed\)\. Pick a product from the list\.$/) });
    } finally {
      holder.release();
    }
    expect(await sql('SELECT COUNT(*)::int AS n FROM movements WHERE product_id = $1', [productId])).toEqual([{ n: 0 }]);
  });

  it('two servers give the same new barcode to two products at once: one keeps it, the other is refused in the rules\' words', async () => {
    const [a, b] = servers as [AsyncMasterData, AsyncMasterData];
    const form = ({ hasMovements: _m, onHand: _o, groupCode: _g, variantLabel: _l, variantCount: _c, ...fields }: ProductRecord, barcodes: string[]) => ({ ...fields, barcodes });
    for (let k = 0; k < 10; k++) {
      const [p, q] = await Promise.all([a.createProduct(product(`BC-A${k}`, `Barcode A ${k}`), ADMIN), b.createProduct(product(`BC-B${k}`, `Barcode B ${k}`), ADMIN)]);
      const code = `INT-${k}`;
      const saves = await Promise.all([outcome(a.updateProduct(form(p, [code]), ADMIN)), outcome(b.updateProduct(form(q, [code]), ADMIN))]);
      const won = saves.findIndex((o) => o.record !== null);
      expect(won).toBeGreaterThanOrEqual(0);
      expect(saves[1 - won]!.refused).toEqual({
        code: 'CONFLICT',
        field: 'barcodes',
        message: `Barcode ${code} already belongs to ${[p, q][won]!.sku}. A barcode can belong to one product only: remove it from ${[p, q][won]!.sku} first, or leave it off this product.`,
      });
      expect(await sql('SELECT product_id AS "productId" FROM product_barcodes WHERE barcode = $1', [code])).toEqual([{ productId: [p, q][won]!.id }]);
    }
  });

  it('variants are not created under a parent another server is deleting: they wait for the delete and are refused, no orphan is left', async () => {
    const [a, b] = servers as [AsyncMasterData, AsyncMasterData];
    const parent = await a.createProduct(
      productCreateSchema.parse({ sku: 'VAR-P', name: 'Parent', unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: false, lowStockLevel: null, barcodes: [], variantAxes: [{ name: 'Size', values: ['S', 'M'] }] }),
      ADMIN,
    );
    const holder = await pools[1]!.connect();
    try {
      // A third party holds the audit lock: the delete stops at its audit entry, the parent's row deleted but not committed.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
      const deleting = outcome(b.deleteProduct(parent.id, ADMIN));
      await settledOrWaiting(pools[0]!, deleting, 1);
      const creating = outcome(a.createVariants({ parentId: parent.id, variants: [{ sku: 'VAR-S', barcodes: [], values: { Size: 'S' } }] }, ADMIN));
      await settledOrWaiting(pools[0]!, creating, 2);
      await holder.query('COMMIT');
      expect((await deleting).record).toEqual({ id: parent.id, sku: 'VAR-P' });
      expect((await creating).refused).toEqual({ code: 'NOT_FOUND', field: 'parentId', message: 'That product no longer exists. Reload the list.' });
    } finally {
      holder.release();
    }
    expect(await sql('SELECT sku FROM products WHERE parent_id = $1', [parent.id])).toEqual([]);
  });

  it("verify finds an audit entry changed around the app, as SQLite's does", async () => {
    for (const [i, server] of servers.entries()) for (let n = 0; n < 3; n++) await server.createSite(site(`T${i}${n}`, `Tamper ${i}${n}`), ADMIN);
    const id = (await sql<{ id: number }>('SELECT MAX(id) AS id FROM audit_log'))[0]!.id - 3;
    await sql('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await sql(`UPDATE audit_log SET detail = '{"label":"forged"}' WHERE id = $1`, [id]);
    await sql('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    const report = await new PgLedgerStore(pools[0]!).verify();
    expect(report.checks.filter((c) => !c.ok).map((c) => [c.name, c.problems])).toEqual([['audit-chain', [`audit entry ${id}: content does not match its hash (altered)`]]]);
  });
});
