import type { FinanceAccount } from '../../../shared/posting';
import type { PostingStore } from '../posting-store';
import { NO_START, type BatchStart, type FinanceTarget } from './finance-target';
import { TargetJournalStore } from './target-journal-store';

export const BUILTIN_TARGET = 'builtin';

/** The built-in general ledger: journal tables in the same database; its chart is finance_accounts. */
export class BuiltinLedgerTarget implements FinanceTarget {
  readonly key = BUILTIN_TARGET;
  readonly label = 'Built-in general ledger';

  private readonly journal: TargetJournalStore;

  constructor(private readonly store: PostingStore) {
    this.journal = TargetJournalStore.of(store.db);
  }

  chartOfAccounts(): FinanceAccount[] {
    return this.store.accounts();
  }

  lastEntryId(): number {
    // Entry numbers only grow, batch by batch and chunk by chunk: the last entry is in the newest chunk holding lines.
    const batchId = this.journal.lastBatchWithLines(this.key);
    if (batchId === null) return 0;
    return this.journal.lastEntryOfBatch(batchId) ?? 0;
  }

  entriesHeld(): number {
    return this.journal.entriesHeld(this.key);
  }

  sync(): void {}

  startMark(): BatchStart {
    return NO_START;
  }

  findBatch(batchId: number): { found: boolean; entries: number } {
    const entries = this.journal.batchEntries(batchId, this.key);
    const exists = this.journal.batchExists(batchId, this.key);
    return { found: exists, entries };
  }
}
