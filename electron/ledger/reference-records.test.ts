import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { openFixture } from '../../test/fixtures/ledger';
import { openPgFixture } from '../../test/fixtures/pg-ledger';
import { clusterForConfiguredStore, pgRows, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { taken } from '../masterdata/master-refusals';
import { PgReferenceStore } from './pg/store/pg-reference-store';
import type { ReferenceRecords } from './reference-records';

/**
 * The reference writers (ReferenceRecords: ReferenceData on SQLite, PgReferenceStore on PostgreSQL) on the configured
 * store (test/fixtures/store-under-test.ts): a duplicate is refused on both with the refusal the contract gives a user
 * for the same duplicate (master-refusals.ts), not the driver's error.
 */
const cluster = clusterForConfiguredStore();

interface Opened {
  reference: ReferenceRecords;
  wh: number;
  /** Sites, bins and products. */
  count(): Promise<number[]>;
  close(): Promise<void>;
}

async function open(): Promise<Opened> {
  const count = (rows: (sql: string) => Promise<Record<string, unknown>[]>) => async () =>
    Promise.all(['sites', 'bins', 'products'].map(async (t) => Number((await rows(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n)));
  if (STORE_UNDER_TEST === 'sqlite') {
    const f = await openFixture();
    return { reference: f.ledger.reference, wh: f.ids.wh, count: count(async (sql) => f.ledger.db.prepare(sql).all() as Record<string, unknown>[]), close: () => f.cleanup() };
  }
  const f = await openPgFixture(cluster()!);
  return { reference: new PgReferenceStore(f.pool), wh: f.ids.wh, count: count((sql) => pgRows(f.pool, sql)), close: f.close };
}

describe(`the reference writers (${STORE_UNDER_TEST})`, () => {
  let f: Opened;
  beforeEach(async () => {
    f = await open();
  });
  afterEach(() => f.close());

  it('refuse a taken site code, site name, bin code at its site and SKU as the contract refuses a user, writing nothing', async () => {
    const r = f.reference;
    const before = await f.count();
    const cases: [() => unknown, AppError][] = [
      [() => r.addSite({ code: 'WH1', name: 'Another warehouse' }), taken.siteCode('WH1')],
      [() => r.addSite({ code: 'WH9', name: 'Central Warehouse' }), taken.siteName('Central Warehouse')],
      [() => r.addBin(f.wh, 'A-01'), taken.binCode('A-01')],
      [() => r.addProduct({ sku: 'RICE-1KG', name: 'More rice', stockType: 'Supplied' }), taken.sku('RICE-1KG')],
    ];
    for (const [write, expected] of cases) {
      const e = await Promise.resolve().then(write).then(() => null, (x: unknown) => x);
      expect(e, expected.message).toBeInstanceOf(AppError);
      const { code, message, details } = e as AppError;
      expect({ code, message, details }).toEqual({ code: expected.code, message: expected.message, details: expected.details });
    }
    expect(await f.count()).toEqual(before);
    // What is not taken is written.
    expect(await r.addBin(f.wh, 'C-01')).toBeGreaterThan(0);
  });
});
