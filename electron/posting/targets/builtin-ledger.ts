import type { FinanceAccount } from '../../../shared/posting';
import type { PostingStore } from '../posting-store';
import type { FinanceTarget } from './finance-target';

export const BUILTIN_TARGET = 'builtin';

/** The built-in general ledger: journal tables in the same database; its chart is finance_accounts. */
export class BuiltinLedgerTarget implements FinanceTarget {
  readonly key = BUILTIN_TARGET;
  readonly label = 'Built-in general ledger';

  constructor(private readonly store: PostingStore) {}

  chartOfAccounts(): FinanceAccount[] {
    return this.store.accounts();
  }

  lastEntryId(): number {
    // Entry numbers only grow, batch by batch and chunk by chunk: the last entry is in the newest chunk holding lines.
    const db = this.store.db;
    const batch = db.prepare('SELECT MAX(id) AS id FROM journal_batches WHERE target = ? AND line_count > 0').get(this.key) as { id: number | null };
    if (batch.id === null) return 0;
    const row = db
      .prepare('SELECT MAX(entry_no) AS n FROM journal_lines WHERE batch_id = @b AND chunk_no = (SELECT MAX(chunk_no) FROM journal_lines WHERE batch_id = @b)')
      .get({ b: batch.id }) as { n: number | null };
    return row.n ?? 0;
  }

  entriesHeld(): number {
    const row = this.store.db
      .prepare('SELECT COUNT(*) AS n FROM (SELECT DISTINCT l.batch_id, l.entry_no FROM journal_lines l JOIN journal_batches b ON b.id = l.batch_id WHERE b.target = ?)')
      .get(this.key) as { n: number };
    return row.n;
  }

  sync(): void {}

  startMark(): number | null {
    return null;
  }

  findBatch(batchId: number): { found: boolean; entries: number } {
    const row = this.store.db
      .prepare('SELECT COUNT(DISTINCT l.entry_no) AS n FROM journal_lines l JOIN journal_batches b ON b.id = l.batch_id WHERE l.batch_id = ? AND b.target = ?')
      .get(batchId, this.key) as { n: number };
    const exists = this.store.db.prepare('SELECT 1 FROM journal_batches WHERE id = ? AND target = ?').get(batchId, this.key) !== undefined;
    return { found: exists, entries: row.n };
  }
}
