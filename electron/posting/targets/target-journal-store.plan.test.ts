import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Statement } from 'better-sqlite3';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { TargetJournalStore } from './target-journal-store';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  await f.cleanup();
});

it("a file target's chunks still to write are read from the target's batches by IDX_journal_chunks_export: no scan of every chunk (migration 0053)", () => {
  const sql = (TargetJournalStore.of(f.ledger.db) as unknown as { s: Record<string, Statement> }).s.pendingChunks!.source;
  const plan = (f.ledger.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(null) as { detail: string }[]).map((r) => r.detail);
  expect(plan[0]).toBe('SCAN b');
  expect(plan).toContain('SEARCH c USING INDEX IDX_journal_chunks_export (batch_id=? AND exported_end=?)');
  expect(plan).toContain('SEARCH c2 USING COVERING INDEX IDX_journal_chunks_export (batch_id=? AND exported_end>?)');
  expect(plan.filter((s) => /^SCAN c/.test(s))).toEqual([]);
});
