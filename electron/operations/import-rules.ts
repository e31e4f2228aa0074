import { AppError } from '../../shared/contract/errors';
import type { ImportStartInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import type { DuplicateImportDetails, EarlierImport } from '../../shared/operations';
import type { CompanySettings } from '../../shared/company';
import { formatCalendarDay, formatQuantityIn } from '../../shared/company-format';
import { companyDaysFor } from '../company/company-time';
import { IMPORT_WORDING, refuseExpired } from './expired-receipt';
import { count, plural } from '../../shared/plural';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import { readImportFile } from './import-file';
import { csvRowName } from './csv-parse';
import { planImport, type ImportPlan } from './import-plan';
import type { ImportPlanSource } from './import-plan-store';
import type Database from 'better-sqlite3';
import type { ImportFileRecord, ImportPostingRow } from './import-store';
import { earlierRequest, type KeyRecords, type OperationRequest } from './request-fingerprint';

/**
 * Movements per chunk of an import: each chunk is one ledger document, posted in its own short transaction on the
 * writer, so a clerk's commit waits behind at most one chunk instead of the whole file. A chunk's time is its rows
 * times the poster's per-row cost (about 65 µs a row on a quiet 2-core machine, several times that under load): the
 * writer trace of the jobs bench showed the clerks' slowest commits waiting almost wholly behind 250-row chunks
 * (p50 16 ms, p99 78 ms quiet), not behind a sync, so a chunk is kept to about 3 ms of quiet writer time. A file of one
 * chunk or less posts in one write, as before.
 */
export const IMPORT_CHUNK_LINES = 50;

/**
 * The rules an import is refused or replayed by, and the documents it posts, written once for both stores (steps over ImportRecords): SQLite's
 * job and writer run them with runNow on their statements (import-job.ts, import-chunks.ts), PostgreSQL's with
 * runLater in its transactions (pg-imports.ts), so the same file gets the same answer, code and message on both.
 * What is recorded under the import's key (its request, a document posted under it) is read as the operations read it.
 */
export interface ImportRecords extends Pick<KeyRecords, 'request' | 'replay'> {
  /** An import posted in chunks under this key (SQLite's import_postings), if any. */
  postingByKey(idempotencyKey: string): Awaitable<ImportPostingRow | undefined>;
  /** Every earlier import of this content, first first. */
  earlier(contentHash: string): Awaitable<EarlierImport[]>;
  /** The imports of this content that are not posted whole: staging, posting or stopped part-way. */
  unfinishedOf(contentHash: string): Awaitable<ImportPostingRow[]>;
  /** An instant as a refusal names it: in the company's date format and time zone (company-time.ts), never the server's own. */
  dateTime(at: number): Awaitable<string>;
  /** The locale the company writes numbers in (companyLocale): a refusal's counts are grouped as the windows group them. */
  locale(): Awaitable<string>;
  /** How many times this content was imported (the next import is copy n + 1). */
  copies(contentHash: string): Awaitable<number>;
  /** Records an import posted whole; a second copy n of one content fails on UQ_import_files_content_copy ("posted once"). */
  record(r: ImportFileRecord): Awaitable<void>;
  /** A posted document's import records: its operation row, and (with the first document) the request under the import's key. */
  recordDocument(documentId: number, meta: { kind: string; reason: string | null }, request: { idempotencyKey: string; hash: string; at: number } | null): Awaitable<void>;
}

export const REPLAYED = 'This file was already imported under this key; nothing was posted again.';
export const IN_PROGRESS = 'This file is already being imported under this key; it posts once, so nothing was started again.';

const list = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** A document id list as a reader takes it: runs of consecutive ids as ranges ("12–61 and 70"). */
export function documentList(ids: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    if (j < i + 2) j = i; // two in a row are two ids, three or more a range
    runs.push(j > i ? `${ids[i]}–${ids[j]}` : String(ids[i]));
    i = j + 1;
  }
  const text = runs.length < 2 ? runs.join('') : `${runs.slice(0, -1).join(', ')} and ${runs.at(-1)}`;
  return `${ids.length === 1 ? 'document' : 'documents'} ${text}`;
}

/** The file sent is empty: refused before anything starts. */
export function refuseEmptyImport(input: Pick<ImportStartInput, 'csv' | 'xlsxBase64'>): void {
  if (!input.csv?.trim() && !input.xlsxBase64) throw new AppError('VALIDATION', 'The file is empty. Choose a CSV or XLSX file with a header row and data rows.');
}

/**
 * An import's file with the locale its numbers are read in, as worked out from the request (fileNumberLocale), and the
 * company's locale, whose short date an expiry may be written in (companyLocale; not part of the request), and the
 * import's business day (importDay), before which a batch's expiry makes its row a warning to confirm.
 */
export type ImportFileRead = Pick<ImportStartInput, 'csv' | 'xlsxBase64' | 'kind'> & { locale: string; dateLocale?: string; today?: string };

/**
 * The request an import is recorded under (operation_requests.input_hash is its fingerprint): the file's bytes and
 * the locale its numbers were read in, so the same key with the same bytes read another way is a conflict, not a replay.
 */
export const importRequest = (input: ImportFileRead & Pick<ImportStartInput, 'occurredAt'>): OperationRequest => ({
  operation: 'import',
  input: { kind: input.kind, csv: input.csv, xlsxBase64: input.xlsxBase64, occurredAt: input.occurredAt, locale: input.locale },
});

/** A key reused for another import (another file, kind or date) is a conflict; the same import under it replays. */
export function* keyConflict(r: ImportRecords, idempotencyKey: string, requestHash: string): Steps<'new' | 'replay' | 'in progress'> {
  const earlier = yield* value(r.request(idempotencyKey));
  const staged = yield* value(r.postingByKey(idempotencyKey));
  const hash = earlier?.inputHash ?? staged?.requestHash;
  if (hash !== undefined && hash !== requestHash) {
    throw new AppError('IDEMPOTENCY_CONFLICT', `A different operation was already posted with idempotency key "${idempotencyKey}". Start a new document instead of reusing its key.`, {
      idempotencyKey,
      documentId: earlier?.documentId ?? staged?.documentIds[0] ?? null,
    });
  }
  if (staged && staged.status !== 'posted') return 'in progress';
  return earlier || staged || (yield* value(r.replay(`${idempotencyKey}:1`))) ? 'replay' : 'new';
}

/**
 * Refuses a file while another import of the same content is not posted whole (staging, posting, or stopped part-way
 * by a refusal), unless the user confirmed a second import: importing it now could add its stock twice.
 */
export function* unfinishedImport(r: Pick<ImportRecords, 'unfinishedOf' | 'dateTime' | 'locale'>, contentHash: string, confirmed: boolean | undefined, exceptId?: number): Steps<void> {
  if (confirmed) return;
  const other = (yield* value(r.unfinishedOf(contentHash))).find((p) => p.id !== exceptId);
  if (!other) return;
  const locale = yield* value(r.locale());
  const posted = `${count(other.postedRows, locale)} of ${plural(other.rows, 'row', undefined, locale)} posted`;
  const started = yield* value(r.dateTime(other.createdAt));
  if (other.status === 'stopped') {
    throw new AppError(
      'CONFLICT',
      `An import of this file (started ${started} by ${other.userName}) stopped part-way with ${posted}${other.documentIds.length ? ` as ${documentList(other.documentIds)}` : ''}. Importing it again would add those rows a second time, so nothing was imported. Import a file of the rows not yet posted instead.`,
      { field: 'file' },
    );
  }
  throw new AppError(
    'CONFLICT',
    `This file is being imported now (started ${started} by ${other.userName}; ${posted}). Importing it again would add its stock a second time, so nothing was imported. Wait for that import to finish.`,
    { field: 'file' },
  );
}

/**
 * Refuses a file whose content was imported before, naming when, by whom and as which documents, unless the user
 * confirmed a second import. The refusal carries the earlier imports in its details for the confirmation dialog.
 * A file still being imported (or stopped part-way) is refused too.
 */
export function* duplicateImport(r: Pick<ImportRecords, 'earlier' | 'unfinishedOf' | 'dateTime' | 'locale'>, contentHash: string, confirmed: boolean | undefined): Steps<void> {
  if (confirmed) return;
  const earlier = yield* value(r.earlier(contentHash));
  if (earlier.length === 0) return yield* unfinishedImport(r, contentHash, confirmed);
  const said: string[] = [];
  for (const e of earlier) {
    const on = yield* value(r.dateTime(Date.parse(e.recordedAt)));
    said.push(`on ${on} by ${e.userName} as ${documentList(e.documentIds)}${e.fileName ? ` (${e.fileName})` : ''}`);
  }
  const details: DuplicateImportDetails = { duplicateImport: { earlier } };
  throw new AppError(
    'CONFLICT',
    `This file was already imported ${list(said)}. Importing it again would add its stock a second time, so nothing was imported. If you do mean to import it again, confirm the second import.`,
    details,
  );
}

/** importStart's check before the job starts: a resubmit under a known key is left to the job (replay or conflict); any other import of known content is refused here. */
export function* duplicateAtStart(r: ImportRecords, input: Pick<ImportStartInput, 'idempotencyKey' | 'confirmDuplicate'>, contentHash: string): Steps<void> {
  if ((yield* value(r.request(input.idempotencyKey))) || (yield* value(r.postingByKey(input.idempotencyKey)))) return;
  yield* duplicateImport(r, contentHash, input.confirmDuplicate);
}

/**
 * Checked again in the transaction that posts an import: another import under this key or of this content may have
 * posted while this one was being checked (a double click, a second window, another server). True to post; false when
 * the key replays (nothing is written); the content is refused.
 */
export function* mayPostImport(r: ImportRecords, input: Pick<ImportStartInput, 'idempotencyKey' | 'confirmDuplicate'> & { contentHash: string }, requestHash: string): Steps<boolean> {
  if ((yield* keyConflict(r, input.idempotencyKey, requestHash)) !== 'new') return false;
  yield* duplicateImport(r, input.contentHash, input.confirmDuplicate);
  return true;
}

/**
 * An import's check under its key before its file is read (both stores, in one read snapshot: what the key and the
 * content find must agree): the same import under the key replays (REPLAYED, or IN_PROGRESS while it is posted in
 * chunks), another under it is an IDEMPOTENCY_CONFLICT, and a file imported before is refused unless confirmed.
 * Otherwise `replayed` is null and `hash` is the request's fingerprint, recorded when the import posts.
 */
export function* importUnderKey(
  r: ImportRecords,
  input: Pick<ImportStartInput, 'idempotencyKey' | 'confirmDuplicate'> & { contentHash: string },
  request: OperationRequest,
): Steps<{ replayed: string } | { replayed: null; hash: string }> {
  const earlier = earlierRequest(yield* value(r.request(input.idempotencyKey)), input.idempotencyKey, request);
  const key = earlier.replay ? 'replay' : yield* keyConflict(r, input.idempotencyKey, earlier.hash);
  if (key !== 'new') return { replayed: key === 'replay' ? REPLAYED : IN_PROGRESS };
  yield* duplicateImport(r, input.contentHash, input.confirmDuplicate);
  return { replayed: null, hash: earlier.hash };
}

/** The file's record once every document of its import is posted, as the content's next copy (both stores). */
export function* recordImportFile(r: Pick<ImportRecords, 'copies' | 'record'>, file: Omit<ImportFileRecord, 'copyNo'>): Steps<void> {
  const copyNo = (yield* value(r.copies(file.contentHash))) + 1;
  yield* value(r.record({ ...file, copyNo }));
}

/**
 * The records of an import posted whole, in the transaction that posted its documents (both stores): each document's
 * operation row, the request under the import's key with the first, and the file's record.
 */
export function* recordImport(
  r: ImportRecords,
  input: Pick<ImportStartInput, 'idempotencyKey' | 'kind' | 'fileName'> & { contentHash: string },
  posted: { requestHash: string; documentIds: number[]; rows: number; userId: number; now: number },
): Steps<void> {
  const { requestHash, documentIds, rows, userId, now } = posted;
  for (const [i, id] of documentIds.entries()) {
    yield* value(r.recordDocument(id, { kind: input.kind, reason: importReason(input.fileName) }, i === 0 ? { idempotencyKey: input.idempotencyKey, hash: requestHash, at: now } : null));
  }
  yield* recordImportFile(r, { contentHash: input.contentHash, kind: input.kind, fileName: input.fileName ?? null, idempotencyKey: input.idempotencyKey, rows, documentIds, userId, recordedAt: now });
}

/** Reads and checks an import's file against a store's products, sites and bins; cancellable between chunks of rows (nothing is written either way). */
export async function checkImportFile(
  from: Database.Database | ImportPlanSource,
  input: ImportFileRead,
  signal: AbortSignal,
  progress: (p: { done: number; total: number; phase: string }) => void,
): Promise<ImportPlan> {
  try {
    return await planImport(from, await readImportFile(input, input.locale), input.kind, { locale: input.locale, dateLocale: input.dateLocale, today: input.today, signal, progress: (done, total) => progress({ done, total: total * 2, phase: 'checking' }) });
  } catch (e) {
    if ((e as { cancelled?: boolean }).cancelled) throw checkingCancelled();
    throw e;
  }
}

/** The import's business day (YYYY-MM-DD): its effective time's, else now's, in the company's time zone. */
export function importDay(company: CompanySettings | null, occurredAt: string | undefined, now = Date.now()): string {
  const at = occurredAt ? Date.parse(occurredAt) : now;
  return companyDaysFor(company).day(Number.isFinite(at) ? at : now);
}

/**
 * The ledger lines of a checked file; refuses a file with any bad row, or with none, and one with rows whose batch
 * expired before the import's day unless the user confirmed them (`confirmExpired`).
 */
export function importLines(plan: ImportPlan, confirmExpired?: boolean, dateLocale?: string): MovementLineInput[] {
  if (plan.problemCount > 0) {
    const first = plan.problems[0]!;
    throw new AppError(
      'VALIDATION',
      `${plural(plan.problemCount, 'problem')} in the file (first: ${first.row ? csvRowName(first.row) : 'the file'}, ${first.field}: ${first.message}); nothing was imported. Preview the file, fix the rows and import again.`,
      { problems: plan.problems.slice(0, 50) },
    );
  }
  const lines = plan.lines as MovementLineInput[];
  if (lines.length === 0) throw new AppError('VALIDATION', 'The file has no data rows; nothing was imported.');
  if (plan.expired.length && !confirmExpired) {
    refuseExpired(plan.expired, (day) => (dateLocale ? formatCalendarDay(day, dateLocale) : day), (lot) => `Row ${lot.line} of the file`, IMPORT_WORDING);
  }
  return lines;
}

/** operation_documents.reason holds 40 characters (varchar(40): enforced on PostgreSQL, not on SQLite). */
const REASON_CHARS = 40;

/**
 * The reason an import's documents are recorded with: the file's name, cut to the column's 40 characters (by code
 * point) so that a longer name (the contract allows 260) is stored the same on both stores instead of failing the import
 * on PostgreSQL. The whole name stays in import_files.file_name, and the first 80 characters in the document reference.
 */
export function importReason(fileName: string | null | undefined): string | null {
  return fileName == null ? null : Array.from(fileName).slice(0, REASON_CHARS).join('');
}

/** A file's documents: IMPORT_CHUNK_LINES rows each, keyed `<key>:<n>`, named after the file. */
export function importDocuments(input: Pick<ImportStartInput, 'idempotencyKey' | 'fileName' | 'occurredAt'>, lines: MovementLineInput[]): { parts: number; docOf: (i: number) => PostDocumentInput } {
  const parts = Math.ceil(lines.length / IMPORT_CHUNK_LINES);
  // Every chunk takes one effective time, so a chunk posted after a restart is the same document as before it.
  const occurredAt = input.occurredAt ?? (parts > 1 ? new Date().toISOString() : undefined);
  const docOf = (i: number): PostDocumentInput => {
    const doc: PostDocumentInput = {
      idempotencyKey: `${input.idempotencyKey}:${i + 1}`,
      type: 'import',
      reference: `${(input.fileName ?? 'Import').slice(0, 80)}${parts > 1 ? ` (${i + 1}/${parts})` : ''}`,
      lines: lines.slice(i * IMPORT_CHUNK_LINES, (i + 1) * IMPORT_CHUNK_LINES),
    };
    if (occurredAt) doc.occurredAt = occurredAt;
    return doc;
  };
  return { parts, docOf };
}

export const importCancelled = () => new AppError('CANCELLED', 'The import was cancelled before posting; nothing was written.');
export const checkingCancelled = () => new AppError('CANCELLED', 'The import was cancelled while checking the file; nothing was written.');

/** What a finished import says: rows, documents and how long posting took, counts and seconds written in the company's locale ("1.201 rows", "0,13 s" in de-DE). */
export const importedMessage = (rows: number, parts: number, startedAt: number, locale: string): string =>
  `Imported ${plural(rows, 'row', 'rows', locale)} in ${plural(parts, 'document', 'documents', locale)}; posting took ${formatQuantityIn(Math.round((performance.now() - startedAt) / 10), 2, locale)} s.`;

/**
 * The seconds a finished import's message says posting took, read back whatever locale wrote them ("0.13 s", "0,13 s",
 * "1.234,56 s", "1,234.56 s"): the last separator before the two decimals is the decimal one. Undefined if none is said.
 */
export function postingSecondsOf(message: string): number | undefined {
  const m = /posting took (\d[\d.,'\u00a0\u202f ]*?)[.,](\d\d) s\b/.exec(message);
  return m ? Number(`${m[1]!.replace(/\D/g, '')}.${m[2]}`) : undefined;
}
