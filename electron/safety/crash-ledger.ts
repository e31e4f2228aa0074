import { UsersStore } from '../auth/users-store';
import { migratePg } from '../ledger/pg/pg-data-source';
import { openPool, type PgConnection } from '../ledger/pg/pg-types';
import { PgReferenceStore } from '../ledger/pg/store/pg-reference-store';
import type { TestCluster } from '../ledger/pg/test-cluster';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';

/** Where a crash test's ledger is: a SQLite file, or a PostgreSQL database. */
export type CrashLedger = { store: 'sqlite'; path: string } | { store: 'postgres'; connection: PgConnection };

/** A new crash-test ledger: where it is, its admin, its sites and its products (in that order). */
export interface SeededCrashLedger {
  ledger: CrashLedger;
  userId: number;
  sites: { wh: number; bar: number };
  products: number[];
}

interface ReferenceWriter {
  addSite(s: { code: string; name: string; kind?: 'shop' }): number | Promise<number>;
  addProduct(p: { sku: string; name: string; stockType: 'Supplied' }): number | Promise<number>;
}

/**
 * A new ledger on the configured store (test/fixtures/store-under-test.ts) with the crash tests' master data: sites
 * WH1 and BAR (a shop), products CRASH-00..CRASH-19. On SQLite the file at `path`; on PostgreSQL a new migrated
 * database `name` in `cluster`.
 */
export async function seedCrashLedger(cluster: TestCluster | undefined, path: string, name: string): Promise<SeededCrashLedger> {
  const add = async (r: ReferenceWriter) => {
    const sites = { wh: await r.addSite({ code: 'WH1', name: 'Warehouse' }), bar: await r.addSite({ code: 'BAR', name: 'Bar', kind: 'shop' }) };
    const products: number[] = [];
    for (let i = 0; i < 20; i++) products.push(await r.addProduct({ sku: `CRASH-${String(i).padStart(2, '0')}`, name: `Crash product ${i}`, stockType: 'Supplied' }));
    return { sites, products };
  };
  if (STORE_UNDER_TEST === 'sqlite') {
    const sqlite = await SqliteLedger.open(path);
    const made = await add(sqlite.reference);
    const userId = new UsersStore(sqlite.db).get('admin').id;
    await sqlite.close();
    return { ledger: { store: 'sqlite', path }, userId, ...made };
  }
  if (!cluster) throw new Error('A PostgreSQL crash ledger needs the file\'s cluster: take it from clusterForConfiguredStore().');
  const connection = cluster.createDatabase(`${name}_${process.pid}`);
  await migratePg(connection);
  const pool = openPool(connection, 1);
  try {
    const refs = new PgReferenceStore(pool);
    const made = await add(refs);
    return { ledger: { store: 'postgres', connection }, userId: (await refs.userId('admin'))!, ...made };
  } finally {
    await pool.end();
  }
}
