import type { ImportPreviewInput, ImportStartInput } from '../../shared/contract/operations.schemas';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import type { ImportPreview } from '../../shared/operations';
import { inSnapshot, type JobScope, type JobWriterSide } from '../jobs/job-scope';
import { runNow } from '../ledger/steps';
import { IMPORT_CHUNK_WRITES, importWriterParts, REPLAYED, nextStageCount, sqliteImportRecords, type ChunkPosted, type ImportChunkStage, type StageResult } from './import-chunks';
import { readImportFile } from './import-file';
import { planImport } from './import-plan';
import { checkImportFile, importDay, importCancelled, importDocuments, importedMessage, importLines, importRequest, importUnderKey, mayPostImport, recordImport } from './import-rules';
import { ImportStore } from './import-store';
import { OpsStore } from './ops-store';
import { CompanyStore } from '../company/company-store';
import { companyLocale, fileNumberLocale } from '../company/company-rules';

/** An import file's preview in a job thread: read and checked on one read snapshot, nothing written. */
export function importPreviewJob(job: JobScope, input: ImportPreviewInput): Promise<ImportPreview> {
  return inSnapshot(job.db, async () => {
    const company = new CompanyStore(job.db).settings();
    const locale = fileNumberLocale(input.locale, company);
    return (await planImport(job.db, await readImportFile(input, locale), input.kind, { locale, dateLocale: companyLocale(company), today: importDay(company, undefined) })).preview;
  });
}

export interface ImportJobArgs {
  input: ImportStartInput & { contentHash: string };
  userId: number;
}

/** What an import of one chunk posts, checked and built in its job thread: sent to the writer as one named write. */
export interface ImportPosting {
  input: ImportJobArgs['input'];
  userId: number;
  /** The request's fingerprint (operation_requests.input_hash). */
  requestHash: string;
  docs: PostDocumentInput[];
  rows: number;
}

const CANCEL_REFUSED = ' A cancel came after posting had begun: an import is posted whole or not at all, so it was finished rather than left part-posted.';

/**
 * An import in a job thread: reads and checks the whole file (cancellable, off the writer) on one read snapshot and
 * builds its documents of IMPORT_CHUNK_LINES rows each. A file of one chunk goes to the writer as ONE named write that
 * posts it in one transaction. A larger file is posted in chunks, one short transaction each, so clerks' commits run
 * between them: its documents are first kept aside on the writer, several per write within a time budget (cancel
 * still writes nothing), then posted a chunk at a time. Once the first chunk is posted the import only rolls forward: a cancel is refused (the job finishes and
 * says so) and a restart after a crash posts the rest (finishInterruptedImports). Returns the message the job ends with.
 */
export async function importJob(job: JobScope, { input, userId }: ImportJobArgs): Promise<string> {
  const { signal, progress } = job;
  const built = await inSnapshot(job.db, async () => {
    const company = new CompanyStore(job.db).settings();
    const file = { ...input, locale: fileNumberLocale(input.locale, company), dateLocale: companyLocale(company), today: importDay(company, input.occurredAt) };
    const keyed = runNow(importUnderKey(sqliteImportRecords(new OpsStore(job.db), new ImportStore(job.db)), input, importRequest(file)));
    if (keyed.replayed !== null) return { kind: 'replayed', message: keyed.replayed } as const;
    const plan = await checkImportFile(job.db, file, signal, progress);
    return { kind: 'checked', hash: keyed.hash, plan, locale: companyLocale(company) } as const;
  });
  if (built.kind === 'replayed') return built.message;
  const { hash, plan, locale } = built;
  const lines = importLines(plan, input.confirmExpired, locale);
  const { parts, docOf } = importDocuments(input, lines);
  const total = lines.length * 2;
  progress({ done: lines.length, total, phase: 'posting' });
  await new Promise((resolve) => setImmediate(resolve)); // a cancel sent meanwhile arrives here
  const cancelled = importCancelled;
  if (signal.aborted) throw cancelled();
  const postStart = performance.now();
  if (parts === 1) {
    const posted = job.write('import.post', [{ input, userId, requestHash: hash, docs: [docOf(0)], rows: lines.length } satisfies ImportPosting]) as boolean;
    if (!posted) return REPLAYED;
    progress({ done: total, total, phase: 'done' });
    return importedMessage(lines.length, 1, postStart, locale);
  }

  // Kept aside first: nothing is posted yet, so a cancel (or a crash) here leaves nothing.
  let importId: number | null = null;
  const posting = {
    idempotencyKey: input.idempotencyKey,
    requestHash: hash,
    contentHash: input.contentHash,
    confirmDuplicate: input.confirmDuplicate === true,
    kind: input.kind,
    fileName: input.fileName ?? null,
    userId,
    rows: lines.length,
    chunks: parts,
  };
  // Several chunks per write, as many as fit the write budget (the first write is one chunk: it also checks the key).
  for (let next = 0, count = 1; next < parts; ) {
    if (signal.aborted) {
      if (importId !== null) job.write('import.discard', [importId]);
      throw cancelled();
    }
    const chunks = [];
    for (let i = next; i < Math.min(parts, next + count); i++) chunks.push({ chunkNo: i + 1, document: JSON.stringify(docOf(i)) });
    const staged = job.write('import.stage', [{ importId, posting, chunks } satisfies ImportChunkStage]) as StageResult;
    if ('replayed' in staged) return staged.replayed;
    importId = staged.importId;
    next += chunks.length;
    count = nextStageCount(chunks.length, staged.heldMs);
    await new Promise((resolve) => setImmediate(resolve)); // a cancel sent meanwhile arrives here
  }
  // Posted chunk by chunk, each its own short commit; from the first on, the import rolls forward to the end.
  let cancelRefused = false;
  for (let posted = false; ; posted = true) {
    await new Promise((resolve) => setImmediate(resolve)); // a cancel sent meanwhile arrives here, to be answered
    if (signal.aborted && !posted) {
      job.write('import.discard', [importId]);
      throw cancelled();
    }
    cancelRefused ||= signal.aborted;
    const r = job.write('import.postChunk', [importId]) as ChunkPosted;
    if (r.replayed) return REPLAYED;
    progress({ done: lines.length + r.postedRows, total, phase: r.done ? 'done' : 'posting (it can no longer be cancelled)' });
    if (r.done) break;
  }
  return `${importedMessage(lines.length, parts, postStart, locale)}${cancelRefused ? CANCEL_REFUSED : ''}`;
}

/**
 * The writer's side of an import: every document in ONE transaction through the writer's poster, with the request,
 * the documents' import details and the file's record. Checked again inside it: another import under this key or of
 * this content may have posted while this one was being checked (a double click, a second window); the key then
 * replays (returns false, nothing written) and the content is refused (UQ_import_files_content_copy backs that up).
 */
export function postImport({ db, poster }: JobWriterSide, p: ImportPosting): boolean {
  const { ops, store } = importWriterParts(db);
  const { input } = p;
  const records = sqliteImportRecords(ops, store);
  const post = db.transaction(() => {
    if (!runNow(mayPostImport(records, input, p.requestHash))) return false;
    const documentIds = p.docs.map((doc) => poster.postMany([doc], p.userId)[0]!.documentId);
    runNow(recordImport(records, input, { requestHash: p.requestHash, documentIds, rows: p.rows, userId: p.userId, now: Date.now() }));
    return true;
  });
  try {
    return post();
  } catch (e) {
    poster.reset();
    throw e;
  }
}

/** The writer's side of an import job's writes. */
export const IMPORT_JOB_WRITES = {
  'import.post': (w: JobWriterSide, p: ImportPosting) => postImport(w, p),
  ...IMPORT_CHUNK_WRITES,
};
