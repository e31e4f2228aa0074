import type { FinanceAccount } from '../../../shared/posting';
import type { PgPostingStore } from '../pg-posting-store';
import { BUILTIN_TARGET } from './builtin-ledger';
import { NO_START, type BatchStart, type FreshChunk, type PostingTarget } from './finance-target';
import { runLater } from '../../ledger/steps';
import { fileSyncSteps } from './chunk-file-sync';
import { CsvJournalFolder, type CsvFormat } from './csv-journal';
import { HledgerJournalFile } from './hledger-file';
import { parseTargetKey } from './open-target';

/** The built-in general ledger of a PostgreSQL ledger: its journal tables (as BuiltinLedgerTarget is on SQLite). */
export class PgBuiltinTarget implements PostingTarget {
  readonly key = BUILTIN_TARGET;
  readonly label = 'Built-in general ledger';

  constructor(private readonly store: PgPostingStore) {}

  chartOfAccounts(): Promise<FinanceAccount[]> {
    return this.store.accounts();
  }

  lastEntryId(): Promise<number> {
    return this.store.lastEntryOf(this.key);
  }

  entriesHeld(): Promise<number> {
    return this.store.entriesHeld(this.key);
  }

  sync(): void {}

  startMark(): BatchStart {
    return NO_START;
  }

  findBatch(batchId: number): Promise<{ found: boolean; entries: number }> {
    return this.store.findBatch(batchId, this.key);
  }
}

/**
 * An hledger journal file posted from a PostgreSQL ledger: the same file code as on SQLite (HledgerJournalFile), fed
 * by the same sync rule (fileSyncSteps) with the chunks in PostgreSQL's journal tables.
 */
export class PgHledgerTarget extends HledgerJournalFile implements PostingTarget {
  constructor(private readonly store: PgPostingStore, path: string) {
    super(path);
  }

  sync(fresh?: FreshChunk): Promise<void> {
    return runLater(fileSyncSteps(this.store, this, fresh));
  }

  async startMark(): Promise<BatchStart> {
    return this.batchStart(await this.store.currency());
  }
}

/** A Sage 50 or Xero CSV folder posted from a PostgreSQL ledger: the same files as on SQLite (CsvJournalFolder), the same sync rule. */
export class PgCsvTarget extends CsvJournalFolder implements PostingTarget {
  constructor(private readonly store: PgPostingStore, format: CsvFormat, dir: string) {
    super(format, dir);
  }

  sync(fresh?: FreshChunk): Promise<void> {
    return runLater(fileSyncSteps(this.store, this, fresh));
  }
}

/**
 * 'builtin', 'hledger:PATH' or 'csv:FORMAT:DIR' on a PostgreSQL ledger (as openTarget on SQLite); a new journal file or
 * folder starts with the ledger's chart. A file or folder is on the disk of the server that runs the posting.
 */
export async function openPgTarget(store: PgPostingStore, key: string): Promise<PostingTarget> {
  const spec = parseTargetKey(key);
  if (spec.kind === 'hledger') {
    const t = new PgHledgerTarget(store, spec.path);
    t.ensureFile(await store.accounts(), await store.currency());
    return t;
  }
  if (spec.kind === 'csv') {
    const t = new PgCsvTarget(store, spec.format, spec.dir);
    t.ensureFolder(await store.accounts());
    return t;
  }
  return new PgBuiltinTarget(store);
}
