import { AppError } from '../../../shared/contract/errors';
import type { FinanceAccount } from '../../../shared/posting';
import type { PgPostingStore } from '../pg-posting-store';
import { BUILTIN_TARGET } from './builtin-ledger';
import type { FreshChunk, PostingTarget } from './finance-target';
import { CSV_PREFIX } from './csv-journal';
import { HLEDGER_PREFIX, HledgerJournalFile } from './hledger-file';
import type { ChunkLine, PendingChunk } from './pending-chunks';

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

  startMark(): null {
    return null;
  }

  findBatch(batchId: number): Promise<{ found: boolean; entries: number }> {
    return this.store.findBatch(batchId, this.key);
  }
}

/**
 * An hledger journal file posted from a PostgreSQL ledger: the same file code as on SQLite (HledgerJournalFile), fed
 * with the pending chunks read first from PostgreSQL; the export marks are written after the file is fsynced (a crash
 * in between leaves them unwritten, and the next sync truncates back to the last mark and appends again).
 */
export class PgHledgerTarget extends HledgerJournalFile implements PostingTarget {
  constructor(private readonly store: PgPostingStore, path: string) {
    super(path);
  }

  async sync(fresh?: FreshChunk): Promise<void> {
    const pending = await this.store.pendingChunks(this.key);
    if (pending.length === 0) return;
    const lines = new Map<PendingChunk, readonly ChunkLine[]>();
    for (const p of pending) lines.set(p, fresh && fresh.batchId === p.batch_id && fresh.chunkNo === p.chunk_no ? fresh.lines : await this.store.chunkLines(p.batch_id, p.chunk_no));
    const marks: [PendingChunk, number][] = [];
    this.writeChunks(pending, (p) => lines.get(p)!, (p, end) => marks.push([p, end]), await this.store.timeZone());
    for (const [p, end] of marks) await this.store.markExported(p.batch_id, p.chunk_no, end);
  }
}

/** 'builtin' or 'hledger:PATH' on a PostgreSQL ledger; a new journal file starts with the ledger's chart. */
export async function openPgTarget(store: PgPostingStore, key: string): Promise<PostingTarget> {
  if (key === BUILTIN_TARGET) return new PgBuiltinTarget(store);
  if (key.startsWith(HLEDGER_PREFIX) && key.length > HLEDGER_PREFIX.length) {
    const t = new PgHledgerTarget(store, key.slice(HLEDGER_PREFIX.length));
    t.ensureFile(await store.accounts());
    return t;
  }
  if (key.startsWith(CSV_PREFIX)) {
    throw new AppError(
      'UNAVAILABLE',
      `"${key}": a PostgreSQL ledger cannot post to a CSV journal folder (Sage 50, Xero) in this version of Stockbook; nothing was posted. Post to "builtin" or to an hledger journal ("hledger:/path/to/file.journal"), or post to the CSV folder from a SQLite ledger.`,
    );
  }
  throw new AppError('VALIDATION', `"${key}" is not a finance target a PostgreSQL ledger posts to yet. Use "builtin" or "hledger:/path/to/file.journal".`);
}
