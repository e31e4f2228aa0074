import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  await f.cleanup();
});

/** The query plan's steps for a statement, its parameters bound to NULL. */
const planOf = (sql: string) => (f.ledger.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(null) as { detail: string }[]).map((r) => r.detail);

describe('value-credit postings by batch (migration 0035)', () => {
  // PostingStore.reverseInto releases a batch's credits and valueCreditCount counts them for its report
  it.each(['DELETE FROM value_credit_postings WHERE batch_id = ?', 'SELECT COUNT(*) AS n FROM value_credit_postings WHERE batch_id = ?'])(
    'are found through IDX_value_credit_postings_batch, not a scan of every batch: %s',
    (sql) => {
      const plan = planOf(sql);
      expect(plan.some((s) => s.includes('IDX_value_credit_postings_batch'))).toBe(true);
      expect(plan.filter((s) => s.startsWith('SCAN'))).toEqual([]);
    },
  );
});
