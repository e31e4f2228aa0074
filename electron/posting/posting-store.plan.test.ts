import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Statement } from 'better-sqlite3';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { PostingStore } from './posting-store';
import { UNPOSTED_QUEUES, unqueue } from '../ledger/migrations/0045-unposted-queues';

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

describe('what is left to post (migration 0045)', () => {
  /** PostingStore's own statements (their text as prepared), planned with every parameter NULL. */
  const storePlan = (name: 'countUnposted' | 'movements' | 'countValueCredits' | 'valueCredits' | 'unqueued') => {
    const sql = (new PostingStore(f.ledger.db) as unknown as { s: Record<string, Statement> }).s[name]!.source;
    const named = [...new Set(sql.match(/@\w+/g) ?? [])].map((p) => [p.slice(1), null]);
    const plan = f.ledger.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
    return (named.length > 0 ? plan.all(Object.fromEntries(named)) : plan.all(...(sql.match(/\?/g) ?? []).map(() => null))) as { detail: string }[];
  };

  it.each(['countUnposted', 'countValueCredits'] as const)('%s counts from the queue\'s key alone', (name) => {
    expect(storePlan(name).map((r) => r.detail)).toEqual([expect.stringMatching(/^SEARCH unposted_\w+ USING PRIMARY KEY \(occurred_at<\?\)$/)]);
  });

  it.each(['movements', 'valueCredits'] as const)('%s walks the queue in its order and reads each row by its key: no scan of the history, no sort', (name) => {
    const plan = storePlan(name).map((r) => r.detail);
    expect(plan[0]).toMatch(/^SEARCH u USING PRIMARY KEY \(occurred_at/);
    expect(plan.filter((s) => s.startsWith('SCAN') || s.includes('TEMP B-TREE'))).toEqual([]);
    expect(plan[1]).toMatch(/^SEARCH [mc] USING INTEGER PRIMARY KEY/);
  });

  it('the batch start\'s check reads movements after its mark up to the head by their keys, each probed by key: no scan of the history (migration 0046)', () => {
    const plan = storePlan('unqueued').map((r) => r.detail);
    expect(plan).toContain('SEARCH m USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)');
    expect(plan.filter((s) => /^SCAN (m|movements|u|p)\b/.test(s))).toEqual([]);
    expect(plan).toContain('SCAN c'); // value credits are few: every one is looked at
  });

  it.each(UNPOSTED_QUEUES.map((u) => [u.postings, u] as const))('a %s insert (trigger) removes its queue row by the whole key: no scan', (_name, u) => {
    const plan = (f.ledger.db.prepare(`EXPLAIN QUERY PLAN ${unqueue(u, '?')}`).all(1, 1) as { detail: string }[]).map((r) => r.detail);
    expect(plan).toEqual([
      expect.stringMatching(new RegExp(`^SEARCH ${u.queue} USING PRIMARY KEY \\(occurred_at=\\? AND ${u.key}=\\?\\)$`)),
      'SCALAR SUBQUERY 1',
      expect.stringMatching(new RegExp(`^SEARCH ${u.source} USING INTEGER PRIMARY KEY \\(rowid=\\?\\)$`)),
    ]);
  });
});
