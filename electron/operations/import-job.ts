import { AppError } from '../../shared/contract/errors';
import type { ImportStartInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import type { DuplicateImportDetails, EarlierImport } from '../../shared/operations';
import type { WorkerContext } from '../ledger/worker-context';
import { readImportFile } from './import-file';
import { planImport } from './import-plan';
import type { ImportStore } from './import-store';
import type { OpsDb } from './ops-db';
import { earlierRequest } from './request-fingerprint';
import { plural } from '../../shared/plural';

/**
 * Lines per ledger document; an import of 100,000 rows is 4 documents, posted together in one transaction.
 * Large documents keep the per-document work (idempotency check, payload hash, level flush) off the per-row path;
 * 10-line documents post at about half the rate (measured with test/bench).
 */
export const IMPORT_DOC_LINES = 25_000;

type Progress = (p: { done: number; total: number; phase: string }) => void;

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

/**
 * Checks the whole file (yielding between chunks, cancellable), then posts every row in ONE transaction:
 * all rows or none. Returns the message the job finishes with.
 */
export async function runImport(
  ctx: WorkerContext,
  ops: OpsDb,
  store: ImportStore,
  input: ImportStartInput & { contentHash: string },
  userId: number,
  signal: AbortSignal,
  progress: Progress,
): Promise<string> {
  const request = earlierRequest(ops, input.idempotencyKey, { operation: 'import', input: { kind: input.kind, csv: input.csv, xlsxBase64: input.xlsxBase64, occurredAt: input.occurredAt } });
  if (request.replay || ops.replay(`${input.idempotencyKey}:1`)) return 'This file was already imported under this key; nothing was posted again.';
  refuseDuplicateImport(store, input.contentHash, input.confirmDuplicate);
  let plan;
  try {
    plan = await planImport(ops.db, await readImportFile(input), input.kind, { signal, progress: (done, total) => progress({ done, total: total * 2, phase: 'checking' }) });
  } catch (e) {
    if ((e as { cancelled?: boolean }).cancelled) throw new AppError('CANCELLED', 'The import was cancelled while checking the file; nothing was written.');
    throw e;
  }
  if (plan.problemCount > 0) {
    const first = plan.problems[0]!;
    throw new AppError(
      'VALIDATION',
      `${plural(plan.problemCount, 'problem')} in the file (first: row ${first.row}, ${first.field}: ${first.message}); nothing was imported. Preview the file, fix the rows and import again.`,
      { problems: plan.problems.slice(0, 50) },
    );
  }
  if (signal.aborted) throw new AppError('CANCELLED', 'The import was cancelled before posting; nothing was written.');
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
  const { db, poster } = ctx.ledger;
  const total = lines.length * 2;
  progress({ done: lines.length, total, phase: 'posting' });
  const postStart = performance.now();
  const post = db.transaction(() => {
    // Checked again inside the one writer's transaction: another import of this file may have posted while this one was
    // being checked (a double click, a second window). UQ_import_files_content_copy refuses a race across writers too.
    refuseDuplicateImport(store, input.contentHash, input.confirmDuplicate);
    let done = 0;
    const documentIds: number[] = [];
    for (const doc of docs) {
      const [posted] = poster.postMany([doc], userId);
      ops.insertMeta(posted!.documentId, { kind: input.kind, reason: input.fileName ?? null });
      if (done === 0) ops.insertRequest(input.idempotencyKey, 'import', request.hash, posted!.documentId, Date.now());
      documentIds.push(posted!.documentId);
      done += doc.lines.length;
      progress({ done: lines.length + done, total, phase: 'posting' });
    }
    store.record({
      contentHash: input.contentHash,
      copyNo: store.copies(input.contentHash) + 1,
      kind: input.kind,
      fileName: input.fileName ?? null,
      idempotencyKey: input.idempotencyKey,
      rows: lines.length,
      documentIds,
      userId,
      recordedAt: Date.now(),
    });
  });
  try {
    post();
  } catch (e) {
    poster.reset();
    throw e;
  } finally {
    ctx.emit('stock.changed', { documentId: null, reason: 'import' });
  }
  const postSecs = (performance.now() - postStart) / 1000;
  progress({ done: total, total, phase: 'done' });
  return `Imported ${plural(lines.length, 'row')} in ${plural(parts, 'document')}; posting took ${postSecs.toFixed(2)} s.`;
}
