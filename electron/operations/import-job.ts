import { AppError } from '../../shared/contract/errors';
import type { ImportPreviewInput, ImportStartInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import type { DuplicateImportDetails, EarlierImport, ImportPreview } from '../../shared/operations';
import { inSnapshot, type JobScope, type JobWriterSide } from '../jobs/job-scope';
import { readImportFile } from './import-file';
import { planImport } from './import-plan';
import { ImportStore } from './import-store';
import { OpsDb } from './ops-db';
import { earlierRequest } from './request-fingerprint';
import { plural } from '../../shared/plural';

/**
 * Lines per ledger document; an import of 100,000 rows is 4 documents, posted together in one transaction.
 * Large documents keep the per-document work (idempotency check, payload hash, level flush) off the per-row path;
 * 10-line documents post at about half the rate (measured with test/bench).
 */
export const IMPORT_DOC_LINES = 25_000;

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const list = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
const documents = (ids: number[]) => `${ids.length === 1 ? 'document' : 'documents'} ${list(ids.map(String))}`;

/**
 * Refuses a file whose content was imported before, naming when, by whom and as which documents, unless the user
 * confirmed a second import. The refusal carries the earlier imports in its details for the confirmation dialog.
 */
export function refuseDuplicateImport(store: ImportStore, contentHash: string, confirmed: boolean | undefined): void {
  if (confirmed) return;
  const earlier = store.earlier(contentHash);
  if (earlier.length === 0) return;
  const said = earlier.map((e: EarlierImport) => `on ${when(e.recordedAt)} by ${e.userName} as ${documents(e.documentIds)}${e.fileName ? ` (${e.fileName})` : ''}`);
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

/** What an import posts, checked and built in its job thread: sent to the writer as one named write. */
export interface ImportPosting {
  input: ImportJobArgs['input'];
  userId: number;
  /** The request's fingerprint (operation_requests.input_hash). */
  requestHash: string;
  docs: PostDocumentInput[];
  rows: number;
}

const REPLAYED = 'This file was already imported under this key; nothing was posted again.';

/**
 * An import in a job thread: reads and checks the whole file (cancellable, off the writer) on one read snapshot and
 * builds its documents, then sends them to the writer as ONE named write that posts every row in one transaction:
 * all rows or none, once. Returns the message the job finishes with.
 */
export async function importJob(job: JobScope, { input, userId }: ImportJobArgs): Promise<string> {
  const { signal, progress } = job;
  const built = await inSnapshot(job.db, async () => {
    const ops = new OpsDb(job.db);
    const request = earlierRequest(ops, input.idempotencyKey, { operation: 'import', input: { kind: input.kind, csv: input.csv, xlsxBase64: input.xlsxBase64, occurredAt: input.occurredAt } });
    if (request.replay || ops.replay(`${input.idempotencyKey}:1`)) return null;
    refuseDuplicateImport(new ImportStore(job.db), input.contentHash, input.confirmDuplicate);
    let plan;
    try {
      plan = await planImport(job.db, await readImportFile(input), input.kind, { signal, progress: (done, total) => progress({ done, total: total * 2, phase: 'checking' }) });
    } catch (e) {
      if ((e as { cancelled?: boolean }).cancelled) throw new AppError('CANCELLED', 'The import was cancelled while checking the file; nothing was written.');
      throw e;
    }
    return { request, plan };
  });
  if (!built) return REPLAYED;
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
  const parts = Math.ceil(lines.length / IMPORT_DOC_LINES);
  const docs: PostDocumentInput[] = [];
  for (let i = 0; i < parts; i++) {
    const doc: PostDocumentInput = {
      idempotencyKey: `${input.idempotencyKey}:${i + 1}`,
      type: 'import',
      reference: `${(input.fileName ?? 'Import').slice(0, 80)}${parts > 1 ? ` (${i + 1}/${parts})` : ''}`,
      lines: lines.slice(i * IMPORT_DOC_LINES, (i + 1) * IMPORT_DOC_LINES),
    };
    if (input.occurredAt) doc.occurredAt = input.occurredAt;
    docs.push(doc);
  }
  const total = lines.length * 2;
  progress({ done: lines.length, total, phase: 'posting' });
  await new Promise((resolve) => setImmediate(resolve)); // a cancel sent meanwhile arrives here
  if (signal.aborted) throw new AppError('CANCELLED', 'The import was cancelled before posting; nothing was written.');
  const postStart = performance.now();
  const posted = job.write('import.post', [{ input, userId, requestHash: request.hash, docs, rows: lines.length } satisfies ImportPosting]) as boolean;
  if (!posted) return REPLAYED;
  const postSecs = (performance.now() - postStart) / 1000;
  progress({ done: total, total, phase: 'done' });
  return `Imported ${plural(lines.length, 'row')} in ${plural(parts, 'document')}; posting took ${postSecs.toFixed(2)} s.`;
}

const writerOps = new WeakMap<JobWriterSide['db'], { ops: OpsDb; store: ImportStore }>();
function writerOpsOf(db: JobWriterSide['db']): { ops: OpsDb; store: ImportStore } {
  let w = writerOps.get(db);
  if (!w) writerOps.set(db, (w = { ops: new OpsDb(db), store: new ImportStore(db) }));
  return w;
}

/**
 * The writer's side of an import: every document in ONE transaction through the writer's poster, with the request,
 * the documents' import details and the file's record. Checked again inside it: another import under this key or of
 * this content may have posted while this one was being checked (a double click, a second window); the key then
 * replays (returns false, nothing written) and the content is refused (UQ_import_files_content_copy backs that up).
 */
export function postImport({ db, poster }: JobWriterSide, p: ImportPosting): boolean {
  const { ops, store } = writerOpsOf(db);
  const { input } = p;
  const post = db.transaction(() => {
    const earlier = ops.request(input.idempotencyKey);
    if (earlier && earlier.inputHash !== p.requestHash) {
      throw new AppError('IDEMPOTENCY_CONFLICT', `A different operation was already posted with idempotency key "${input.idempotencyKey}". Start a new document instead of reusing its key.`, {
        idempotencyKey: input.idempotencyKey,
        documentId: earlier.documentId,
      });
    }
    if (earlier || ops.replay(`${input.idempotencyKey}:1`)) return false;
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
};
