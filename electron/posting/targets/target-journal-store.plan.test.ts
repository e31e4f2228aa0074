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

it("a file target's chunks still to write are read from the target's batches by IDX_journal_batches_target and IDX_journal_chunks_export: no scan of every batch or chunk (migrations 0053, 0054)", () => {
  const sql = (TargetJournalStore.of(f.ledger.db) as unknown as { s: Record<string, Statement> }).s.pendingChunks!.source;
  const plan = (f.ledger.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(null) as { detail: string }[]).map((r) => r.detail);
  // the target's batches by their index (migration 0054), then each one's chunks by the export mark's; no scan of either
  expect(plan[0]).toMatch(/^SEARCH b USING (COVERING )?INDEX IDX_journal_batches_target \(target=\?\)/);
  expect(plan.some((s) => /^SEARCH c USING (COVERING )?INDEX IDX_journal_chunks_export /.test(s))).toBe(true);
  expect(plan.some((s) => /^SEARCH c2 USING (COVERING )?INDEX IDX_journal_chunks_export /.test(s))).toBe(true);
  expect(plan.filter((s) => s.startsWith('SCAN'))).toEqual([]);
});
