import type pg from 'pg';
import { migratePg } from '../../electron/ledger/pg/pg-data-source';
import { openPool, type PgConnection } from '../../electron/ledger/pg/pg-types';
import { PgReferenceStore } from '../../electron/ledger/pg/store/pg-reference-store';
import type { TestCluster } from '../../electron/ledger/pg/test-cluster';
import type { BenchWorld } from './bench-data';

export interface PgBenchLedger {
  connection: PgConnection;
  pool: pg.Pool;
  world: BenchWorld;
  admin: number;
}

/**
 * A fresh, migrated PostgreSQL ledger in the bench's cluster, with the SQLite benches' master data (bench-data.ts
 * seedWorld): two sites of ten bins each and `productCount` BULK products.
 */
export async function openPgBenchLedger(cluster: TestCluster, database: string, productCount = 2000, poolSize = 2): Promise<PgBenchLedger> {
  const connection = cluster.createDatabase(database);
  await migratePg(connection);
  const pool = openPool(connection, poolSize);
  const r = new PgReferenceStore(pool);
  const sites = [await r.addSite({ code: 'WH1', name: 'Central Warehouse' }), await r.addSite({ code: 'WH2', name: 'North Warehouse' })];
  const bins = new Map<number, number[]>();
  for (const s of sites) bins.set(s, await Promise.all(Array.from({ length: 10 }, (_, i) => r.addBin(s, `A-${String(i + 1).padStart(2, '0')}`))));
  const products: number[] = [];
  for (let i = 0; i < productCount; i++) products.push(await r.addProduct({ sku: `P${String(i).padStart(6, '0')}`, name: `Bench product ${i}` }));
  return { connection, pool, world: { products, sites, bins }, admin: (await r.userId('admin'))! };
}
