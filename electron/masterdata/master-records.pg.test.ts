import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPgSide, productRow as row, siteRow as site, type MasterSide } from '../../test/fixtures/master-sides';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';

/**
 * PostgreSQL only, by design: two Stockbook servers saving master records at once on one PostgreSQL. SQLite has one
 * writer per ledger file, so there is no second server to race. One server's records: master-records.test.ts.
 */
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster?.stop());

const ADMIN = 2;

/** What only several servers on one PostgreSQL can do: save at the same moment on two connections. */
describe('master data on PostgreSQL, two servers at once', () => {
  let s: MasterSide;
  beforeEach(async () => {
    s = await openPgSide(cluster);
  });
  afterEach(async () => {
    await s?.close();
  });

  it('of two saves of one product from the same version, one writes and the other writes nothing', async () => {
    const p = await s.records.insertProduct(row(), 1);
    let updated!: () => void;
    const aUpdated = new Promise<void>((resolve) => (updated = resolve));
    let commit!: () => void;
    const aMayCommit = new Promise<void>((resolve) => (commit = resolve));
    // Server A saves from version 1 and holds its transaction open; server B saves from version 1 meanwhile.
    const a = s.records.transaction(async (tx) => {
      const ok = await tx.updateProduct(p, row({ name: 'Saved by A' }), { version: 1, userId: ADMIN, at: 10 });
      updated();
      await aMayCommit;
      return ok;
    });
    await aUpdated;
    const b = s.records.transaction((tx) => tx.updateProduct(p, row({ name: 'Saved by B' }), { version: 1, userId: 1, at: 11 }));
    commit();
    expect(await Promise.all([a, b])).toEqual([true, false]);
    expect(await s.records.product(p)).toMatchObject({ name: 'Saved by A', version: 2 });
    expect(await s.records.recordStamp('product', p)).toEqual({ version: 2, changedBy: 'Administrator', changedAt: 10 });
  });

  it('of two new sites whose codes differ only in case, created at once, the database refuses one and writes nothing of it', async () => {
    let inserted!: () => void;
    const aInserted = new Promise<void>((resolve) => (inserted = resolve));
    let commit!: () => void;
    const aMayCommit = new Promise<void>((resolve) => (commit = resolve));
    // Each server has checked that no site is called KIT (none was); both insert.
    const a = s.records.transaction(async (tx) => {
      const id = await tx.insertSite(site('KIT', 'Kitchen'));
      inserted();
      await aMayCommit;
      return id;
    });
    await aInserted;
    const b = s.records.transaction((tx) => tx.insertSite(site('kit', 'Pastry kitchen')));
    commit();
    const [ra, rb] = await Promise.allSettled([a, b]);
    expect(ra.status).toBe('fulfilled');
    // Worded as the rules word it: the other server's save got there first.
    expect(rb).toMatchObject({ status: 'rejected', reason: { code: 'CONFLICT', message: 'Another site already has the code kit. Choose a different code.', details: { field: 'code' } } });
    expect((await s.records.sites()).map((x) => x.code)).toEqual(['KIT', 'EXTERNAL']);
    expect(await s.records.siteIdByName('Pastry kitchen')).toBeNull();
  });

  it('of two bins at one site whose codes differ only in case, created at once, the loser is told the code is taken, not a key name', async () => {
    const wh = await s.records.insertSite(site('WH9', 'Ninth warehouse'));
    let inserted!: () => void;
    const aInserted = new Promise<void>((resolve) => (inserted = resolve));
    let commit!: () => void;
    const aMayCommit = new Promise<void>((resolve) => (commit = resolve));
    const a = s.records.transaction(async (tx) => {
      const id = await tx.insertBin({ siteId: wh, code: 'A-01', name: 'Aisle A', stockStatus: 'sellable', active: true });
      inserted();
      await aMayCommit;
      return id;
    });
    await aInserted;
    const b = s.records.transaction((tx) => tx.insertBin({ siteId: wh, code: 'a-01', name: 'Aisle a', stockStatus: 'sellable', active: true }));
    commit();
    const [ra, rb] = await Promise.allSettled([a, b]);
    expect(ra.status).toBe('fulfilled');
    expect(rb).toMatchObject({ status: 'rejected', reason: { code: 'CONFLICT', message: 'This site already has a bin a-01. Choose a different code.', details: { field: 'code' } } });
    expect((await s.records.bins(wh)).map((x) => x.code)).toEqual(['A-01']);
  });
});
