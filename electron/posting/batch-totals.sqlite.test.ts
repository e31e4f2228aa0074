import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { JournalBatchTotals1732400003400 } from '../ledger/migrations/0034-journal-batch-totals';
import { runPosting } from './batch-runner';
import { PostingStore } from './posting-store';
import { BuiltinLedgerTarget } from './targets/builtin-ledger';

/** SQLite-only remainder of batch-totals.test.ts: SQLite's migration 0034, run again on a SQLite ledger whose totals were dropped. */
let f: Fixture;
let store: PostingStore;
const T0 = Date.UTC(2026, 0, 5, 9);
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

beforeEach(async () => {
  f = await openFixture();
  store = new PostingStore(f.ledger.db);
});
afterEach(async () => f.cleanup());

const keptTotals = (batchId: number) => ({ accounts: store.accountTotals({ batchId }), types: store.batchTypeCounts(batchId) });
const batchIds = () => f.ledger.db.prepare('SELECT id FROM journal_batches ORDER BY id').pluck().all() as number[];

describe('migration 0034', () => {
  it('gives the batches already in the ledger their totals from their lines and postings', async () => {
    const { bulk, wh, admin } = f.ids;
    for (let i = 0; i < 8; i++) {
      const occurredAt = iso(T0 + i * 3_600_000);
      f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 2_000, unitCost: 15_000 + i, onCosts: { freight: 120 } }], { occurredAt }), admin);
      f.ledger.poster.post(f.doc('despatch', [{ productId: bulk, siteId: wh, type: 'stock_despatch', qty: -1_500, onCosts: { freight: 120, excise: 40 } }], { occurredAt }), admin);
    }
    const target = new BuiltinLedgerTarget(store);
    await runPosting(store, target, { to: T0 + 3 * 3_600_000, summarised: false, userId: admin, chunkSize: 3 });
    await runPosting(store, target, { to: T0 + DAY, summarised: true, userId: admin });
    const expected = batchIds().map((id) => keptTotals(id));
    expect(expected.map((t) => t.types.reduce((sum, x) => sum + x.movements, 0))).toEqual([8, 8]);
    f.ledger.db.exec('DROP TABLE journal_batch_types; DROP TABLE journal_batch_accounts;');
    await new JournalBatchTotals1732400003400().up({ query: async (sql: string) => f.ledger.db.prepare(sql).run() } as never);
    expect(batchIds().map((id) => keptTotals(id))).toEqual(expected);
  });
});
