import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { csvFile, csvUnneutralise, numeral } from '../../../shared/csv';
import { businessDay } from '../../../shared/company-format';
import type { FinanceAccount } from '../../../shared/posting';
import type { PostingStore } from '../posting-store';
import type { BatchStart, FinanceTarget, FreshChunk } from './finance-target';
import { makeIdFile, readIdFile, writeDurably } from './target-id';
import { runNow } from '../../ledger/steps';
import { fileSyncSteps, type ChunkFile, type ChunkWriter } from './chunk-file-sync';
import { sqliteChunkSource, type ChunkLine, type PendingChunk } from './pending-chunks';

export const CSV_PREFIX = 'csv:';
export const CSV_FORMATS = ['sage50', 'xero'] as const;
export type CsvFormat = (typeof CSV_FORMATS)[number];

/** The file holding a CSV folder's id (see CsvJournalFolder.folderId). */
export const FOLDER_ID_FILE = 'stockbook-folder.id';
const FILE_RE = /^stockbook-b(\d+)-c(\d+)-e(\d+)\.csv$/;
const pence = (p: number) => numeral(`${p < 0 ? '-' : ''}${Math.floor(Math.abs(p) / 100)}.${String(Math.abs(p) % 100).padStart(2, '0')}`);
/** The entry's business day (in the company's time zone) as DD/MM/YYYY. */
const ddmmyyyy = (t: number, timeZone: string) => {
  const [y, m, d] = businessDay(t, timeZone).split('-');
  return `${d}/${m}/${y}`;
};

/**
 * Accounting packages import money in pence: each line is rounded half away from zero and any rounding
 * difference of the entry goes to its largest line, so every imported journal still balances to the penny.
 */
export function toPence(lines: readonly ChunkLine[]): number[] {
  const out = lines.map((l) => Math.sign(l.amount) * Math.round(Math.abs(l.amount) / 100));
  let start = 0;
  for (let i = 1; i <= lines.length; i++) {
    if (i < lines.length && lines[i]!.entryNo === lines[start]!.entryNo) continue;
    let sum = 0;
    let big = start;
    for (let j = start; j < i; j++) {
      sum += out[j]!;
      if (Math.abs(lines[j]!.amount) > Math.abs(lines[big]!.amount)) big = j;
    }
    out[big]! -= sum;
    start = i;
  }
  return out;
}

/** The import layouts: Sage 50 "Audit Trail Transactions" (JD/JC, as seed 004 names them) and Xero's manual-journal template. */
export function renderCsv(format: CsvFormat, lines: readonly ChunkLine[], timeZone = 'UTC'): string {
  const p = toPence(lines);
  if (format === 'sage50') {
    const head = ['Type', 'Account Reference', 'Nominal A/C Ref', 'Department Code', 'Date', 'Reference', 'Details', 'Net Amount', 'Tax Code', 'Tax Amount'];
    return csvFile(
      head,
      lines.flatMap((l, i) => (p[i] === 0 ? [] : [[p[i]! < 0 ? 'JC' : 'JD', '', l.account, 0, ddmmyyyy(l.entryDate, timeZone), `SB${l.entryNo}`, l.description.slice(0, 60), pence(Math.abs(p[i]!)), 'T9', numeral('0.00')]])),
    );
  }
  const head = ['*Narration', '*Date', 'Description', '*AccountCode', '*TaxRate', '*Amount'];
  return csvFile(head, lines.flatMap((l, i) => (p[i] === 0 ? [] : [[`Stockbook entry ${l.entryNo}`, ddmmyyyy(l.entryDate, timeZone), l.description, l.account, 'No VAT', pence(p[i]!)]])));
}

/**
 * CSV journal files for an accounting package's import: one file per committed chunk, named for its batch, chunk
 * and last entry id, written to a temporary name, fsynced and renamed — so a file is there whole or not at all,
 * and writing it again after a crash yields the same file. The chart comes from accounts.csv (Code,Name) in the folder.
 * The files alone, whichever store the journal lines come from (CsvJournalTarget on SQLite, PgCsvTarget on PostgreSQL).
 */
export class CsvJournalFolder implements ChunkFile {
  readonly key: string;
  readonly label: string;
  readonly dir: string;

  constructor(readonly format: CsvFormat, dir: string) {
    this.dir = resolve(dir);
    this.key = csvTargetKey(format, dir);
    this.label = `${format === 'sage50' ? 'Sage 50' : 'Xero'} CSV folder ${this.dir}`;
  }

  ensureFolder(accounts: readonly FinanceAccount[]): void {
    mkdirSync(this.dir, { recursive: true });
    const chart = join(this.dir, 'accounts.csv');
    if (!existsSync(chart)) writeDurably(chart, csvFile(['Code', 'Name'], accounts.map((a) => [a.code, a.name])));
  }

  chartOfAccounts(): FinanceAccount[] {
    const chart = join(this.dir, 'accounts.csv');
    if (!existsSync(chart)) return [];
    return readFileSync(chart, 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter((l) => l.trim())
      .map((l) => {
        const [code = '', ...name] = l.split(',');
        return { code: csvUnneutralise(code.replace(/"/g, '').trim()), name: csvUnneutralise(name.join(',').replace(/"/g, '').trim()) };
      });
  }

  private files(): { name: string; batch: number; chunk: number; lastEntry: number }[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).flatMap((name) => {
      const m = FILE_RE.exec(name);
      return m ? [{ name, batch: Number(m[1]), chunk: Number(m[2]), lastEntry: Number(m[3]) }] : [];
    });
  }

  lastEntryId(): number {
    return this.files().reduce((max, f) => Math.max(max, f.lastEntry), 0);
  }

  /** The files' names carry their last entry id; an entry whose every line rounds to 0.00 has no row, so rows cannot be counted. */
  entriesHeld(): number {
    return this.lastEntryId();
  }

  /**
   * The folder's own id (target-id.ts) kept in stockbook-folder.id, made the first time a batch starts here (under the
   * posting claim, so two servers sharing one folder make it once). Each batch records it: see openWriter.
   */
  folderId(): number {
    const file = join(this.dir, FOLDER_ID_FILE);
    return readIdFile(file, 'folder') ?? makeIdFile(file);
  }

  /** Where a batch begins: this folder (its chunks are then written to this folder only); a folder has no offset. */
  startMark(): BatchStart {
    return { targetStart: null, targetId: this.folderId() };
  }

  /** Every chunk is a file of its own, written whole at once: none is ever held. */
  readonly holding = false;

  unwritten(pending: readonly PendingChunk[]): readonly PendingChunk[] {
    return pending;
  }

  /** A pass writing each pending chunk with lines as a file of its own (a chunk without lines has none); its mark is 1. */
  openWriter(timeZone: string): ChunkWriter {
    let id: number | undefined;
    return {
      write: (p, rows) => {
        // A batch recorded the folder it began in (batches from before migration 0043 in target_start, older ones none).
        // On PostgreSQL another server may post to a folder of its own at the same path: its batch's chunks are never written here.
        const began = p.target_id ?? p.target_start;
        if (began !== null && began !== (id ??= this.folderId())) throw this.foreignBatch(p, began, id);
        if (rows.length > 0) {
          const last = rows[rows.length - 1]!.entryNo;
          const name = `stockbook-b${String(p.batch_id).padStart(6, '0')}-c${String(p.chunk_no).padStart(5, '0')}-e${String(last).padStart(10, '0')}.csv`;
          writeDurably(join(this.dir, name), renderCsv(this.format, rows, timeZone));
        }
        return [{ batchId: p.batch_id, chunkNo: p.chunk_no, end: 1 }];
      },
      flush: () => [],
      close: () => {},
    };
  }

  private foreignBatch(p: PendingChunk, began: number, id: number): AppError {
    return new AppError(
      'CONFLICT',
      `Batch ${p.batch_id} was started in another folder at ${this.dir} (folder id ${began}; this folder's ${FOLDER_ID_FILE} holds ${id}): another Stockbook server posts to a folder of its own at the same path. ` +
        `Nothing more was written here. Post from that server so that it writes the rest of batch ${p.batch_id} to its folder, and give each server a folder path of its own; if this is that batch's folder, put ${began} back in ${FOLDER_ID_FILE} and post again.`,
    );
  }

  findBatch(batchId: number): { found: boolean; entries: number } {
    const files = this.files().filter((f) => f.batch === batchId);
    const refs = new Set<string>();
    for (const f of files) {
      for (const line of readFileSync(join(this.dir, f.name), 'utf8').split(/\r?\n/).slice(1)) {
        const m = /(?:SB|Stockbook entry )(\d+)/.exec(line);
        if (m) refs.add(m[1]!);
      }
    }
    return { found: files.length > 0, entries: refs.size };
  }
}

/** A CSV folder as a target of the SQLite ledger: its pending chunks read from, and marked in, the same database. */
export class CsvJournalTarget extends CsvJournalFolder implements FinanceTarget {
  constructor(private readonly store: PostingStore, format: CsvFormat, dir: string) {
    super(format, dir);
  }

  sync(fresh?: FreshChunk): void {
    runNow(fileSyncSteps(sqliteChunkSource(this.store.db), this, fresh));
  }
}

/** The key a CSV folder is recorded under: its format and absolute folder. */
export const csvTargetKey = (format: CsvFormat, dir: string): string => `${CSV_PREFIX}${format}:${resolve(dir)}`;

export function parseCsvTargetKey(key: string): { format: CsvFormat; dir: string } {
  const m = /^csv:(sage50|xero):(.+)$/.exec(key);
  if (!m) throw new AppError('VALIDATION', `"${key}" is not a CSV target. Use "csv:sage50:/folder" or "csv:xero:/folder".`);
  return { format: m[1] as CsvFormat, dir: m[2]! };
}
