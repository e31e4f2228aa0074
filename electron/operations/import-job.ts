import { AppError } from '../../shared/contract/errors';
import type { ImportPreviewInput, ImportStartInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import type { DuplicateImportDetails, EarlierImport, ImportPreview } from '../../shared/operations';
import { inSnapshot, type JobScope, type JobWriterSide } from '../jobs/job-scope';
import { documentList, IMPORT_CHUNK_LINES, IMPORT_CHUNK_WRITES, importWriterParts, IN_PROGRESS, refuseKeyConflict, refuseUnfinishedImport, REPLAYED, nextStageCount, type ChunkPosted, type ImportChunkStage, type StageResult } from './import-chunks';
import { readImportFile } from './import-file';
import { planImport } from './import-plan';
import { ImportStore } from './import-store';
import { OpsStore } from './ops-store';
import { earlierRequest } from './request-fingerprint';
import { plural } from '../../shared/plural';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const list = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/**
 * Refuses a file whose content was imported before, naming when, by whom and as which documents, unless the user
 * confirmed a second import. The refusal carries the earlier imports in its details for the confirmation dialog.
 * A file still being imported (or stopped part-way) is refused too.
 */
export function refuseDuplicateImport(store: ImportStore, contentHash: string, confirmed: boolean | undefined): void {
  if (confirmed) return;
  const earlier = store.earlier(contentHash);
  if (earlier.length === 0) return refuseUnfinishedImport(store, contentHash, confirmed);
  const said = earlier.map((e: EarlierImport) => `on ${when(e.recordedAt)} by ${e.userName} as ${documentList(e.documentIds)}${e.fileName ? ` (${e.fileName})` : ''}`);
  const details: DuplicateImportDetails = { duplicateImport: { earlier } };
  throw new AppError(
    'CONFLICT',
    `This file was already imported ${list(said)}. Importing it again would add its stock a second time, so nothing was imported. If you do mean to import it again, confirm the second import.`,
    details,
  );
}

/** An import file's preview in a job thread: read and checked on one read snapshot, nothing written. */
export function importPreviewJob(job: JobScope, input: ImportPreviewInput): Promise<ImportPreview> {
  return inSnapshot(job.db, async () => (await planImport(job.db, await readImportFile(input), input.kind)).preview);
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
    const ops = new OpsStore(job.db);
    const request = earlierRequest(ops, input.idempotencyKey, { operation: 'import', input: { kind: input.kind, csv: input.csv, xlsxBase64: input.xlsxBase64, occurredAt: input.occurredAt } });
    const store = new ImportStore(job.db);
    const key = request.replay ? 'replay' : refuseKeyConflict(ops, store, input.idempotencyKey, request.hash);
    if (key !== 'new') return { kind: 'replayed', message: key === 'replay' ? REPLAYED : IN_PROGRESS } as const;
    refuseDuplicateImport(store, input.contentHash, input.confirmDuplicate);
    let plan;
    try {
      plan = await planImport(job.db, await readImportFile(input), input.kind, { signal, progress: (done, total) => progress({ done, total: total * 2, phase: 'checking' }) });
    } catch (e) {
      if ((e as { cancelled?: boolean }).cancelled) throw new AppError('CANCELLED', 'The import was cancelled while checking the file; nothing was written.');
      throw e;
    }
    return { kind: 'checked', request, plan } as const;
  });
  if (built.kind === 'replayed') return built.message;
  const { request, plan } = built;
  if (plan.problemCount > 0) {
    const first = plan.problems[0]!;
    throw new AppError(
      'VALIDATION',
      `${plural(plan.problemCount, 'problem')} in the file (first: row ${first.row}, ${first.field}: ${first.message}); nothing was imported. Preview the file, fix the rows and import again.`,
      { problems: plan.problems.slice(0, 50) },
    );
  }
  const lines = plan.lines as MovementLineInput[];
  if (lines.length === 0) throw new AppError('VALIDATION', 'The file has no data rows; nothing was imported.');
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
  const total = lines.length * 2;
  progress({ done: lines.length, total, phase: 'posting' });
  await new Promise((resolve) => setImmediate(resolve)); // a cancel sent meanwhile arrives here
  const cancelled = () => new AppError('CANCELLED', 'The import was cancelled before posting; nothing was written.');
  if (signal.aborted) throw cancelled();
  const postStart = performance.now();
  const took = () => `posting took ${((performance.now() - postStart) / 1000).toFixed(2)} s`;
  if (parts === 1) {
    const posted = job.write('import.post', [{ input, userId, requestHash: request.hash, docs: [docOf(0)], rows: lines.length } satisfies ImportPosting]) as boolean;
    if (!posted) return REPLAYED;
    progress({ done: total, total, phase: 'done' });
    return `Imported ${plural(lines.length, 'row')} in 1 document; ${took()}.`;
  }

  // Kept aside first: nothing is posted yet, so a cancel (or a crash) here leaves nothing.
  let importId: number | null = null;
  const posting = {
    idempotencyKey: input.idempotencyKey,
    requestHash: request.hash,
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
  return `Imported ${plural(lines.length, 'row')} in ${plural(parts, 'document')}; ${took()}.${cancelRefused ? CANCEL_REFUSED : ''}`;
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
  const post = db.transaction(() => {
    if (refuseKeyConflict(ops, store, input.idempotencyKey, p.requestHash) !== 'new') return false;
    refuseDuplicateImport(store, input.contentHash, input.confirmDuplicate);
    const documentIds: number[] = [];
    for (const doc of p.docs) {
      const [posted] = poster.postMany([doc], p.userId);
      ops.insertMeta(posted!.documentId, { kind: input.kind, reason: input.fileName ?? null });
      if (documentIds.length === 0) ops.insertRequest(input.idempotencyKey, 'import', p.requestHash, posted!.documentId, Date.now());
      documentIds.push(posted!.documentId);
    }
    store.record({
      contentHash: input.contentHash,
      copyNo: store.copies(input.contentHash) + 1,
      kind: input.kind,
      fileName: input.fileName ?? null,
      idempotencyKey: input.idempotencyKey,
      rows: p.rows,
      documentIds,
      userId: p.userId,
      recordedAt: Date.now(),
    });
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
