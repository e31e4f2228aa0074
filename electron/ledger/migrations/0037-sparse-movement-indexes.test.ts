import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { undoMigrationsThrough } from '../../../test/fixtures/migrations';
import { BatchJourneyStore } from '../../enquiry/batch-journey-store';
import { OpsStore } from '../../operations/ops-store';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  await f.cleanup();
});

/** The entries an index holds (its leaf cells), read from SQLite's page statistics. */
const entriesOf = (f: Fixture, index: string) =>
  (f.ledger.db.prepare("SELECT SUM(ncell) AS n FROM dbstat WHERE name = ? AND pagetype = 'leaf'").get(index) as { n: number }).n;

describe('0037 sparse movement indexes', () => {
  it('keeps only movements with a correction or a batch in those indexes, and their readers still find them through them', async () => {
    const { poster } = f.ledger;
    const rice = poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound', qty: 1_000, unitCost: 20_000 }]), f.ids.admin);
    const claret = poster.post(f.doc('receipt', [{ productId: f.ids.lot, siteId: f.ids.wh, batch: { code: 'L19' }, type: 'inbound', qty: 6, unitCost: 90_000 }]), f.ids.admin);
    poster.post(
      f.doc('receipt_reversal', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'inbound_reversal', qty: -400, reversalOf: rice.firstSeq! }]),
      f.ids.admin,
    );
    poster.post(f.doc('despatch', [{ productId: f.ids.bulk, siteId: f.ids.wh, binId: f.ids.binA, type: 'sale', qty: -100 }]), f.ids.admin);

    // Before 0037 every movement had an entry in both; migrating a ledger that holds movements rebuilds them sparse.
    await undoMigrationsThrough(f.ledger, 'SparseMovementIndexes1732400003700');
    expect([entriesOf(f, 'IDX_movements_reversal_of'), entriesOf(f, 'IDX_movements_batch_occurred')]).toEqual([4, 4]);
    await f.ledger.dataSource.runMigrations({ transaction: 'each' });
    expect([entriesOf(f, 'IDX_movements_reversal_of'), entriesOf(f, 'IDX_movements_batch_occurred')]).toEqual([1, 1]);
    // A movement posted from now on pays an entry only where it has a value.
    f.ledger.poster.reset();
    poster.post(f.doc('despatch', [{ productId: f.ids.lot, siteId: f.ids.wh, batch: { code: 'L19' }, type: 'sale', qty: -1 }]), f.ids.admin);
    expect([entriesOf(f, 'IDX_movements_reversal_of'), entriesOf(f, 'IDX_movements_batch_occurred')]).toEqual([1, 2]);

    // The readers: how much of the receipt is corrected (operations), and the batch's journey (enquiry).
    const ops = new OpsStore(f.ledger.db);
    expect(ops.reversedQty(rice.firstSeq!)).toBe(-400);
    const plan = (sql: string) => (f.ledger.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan('SELECT COALESCE(SUM(qty), 0) AS q FROM movements WHERE reversal_of = ?')).toMatch(/SEARCH movements USING INDEX IDX_movements_reversal_of \(reversal_of=\?\)/);
    const batchId = (f.ledger.db.prepare('SELECT batch_id FROM movements WHERE seq = ?').pluck().get(claret.firstSeq!) as number);
    expect(new BatchJourneyStore(f.ledger.db).movements(batchId).map((m) => m.qty)).toEqual([6, -1]);
  });
});
