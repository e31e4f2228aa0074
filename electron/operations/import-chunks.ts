import { AppError } from '../../shared/contract/errors';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import { count, plural } from '../../shared/plural';
import type { JobWriterSide } from '../jobs/job-scope';
import type { WorkerContext } from '../ledger/worker-context';
import { ImportStore, type ImportPostingHead, type NewImportPosting } from './import-store';
import { OpsStore } from './ops-store';
import { nextChunkSize } from '../posting/batch-runner';
import { runNow } from '../ledger/steps';
import { documentList, importReason, IN_PROGRESS, keyConflict, recordImportFile, REPLAYED, unfinishedImport, type ImportRecords } from './import-rules';

export { documentList, IMPORT_CHUNK_LINES, IN_PROGRESS, REPLAYED } from './import-rules';

const writerParts = new WeakMap<JobWriterSide['db'], { ops: OpsStore; store: ImportStore }>();
/** The writer's statements for imports, prepared once per connection. */
export function importWriterParts(db: JobWriterSide['db']): { ops: OpsStore; store: ImportStore } {
  let w = writerParts.get(db);
  if (!w) writerParts.set(db, (w = { ops: new OpsStore(db), store: new ImportStore(db) }));
  return w;
}

/** The import rules' records on SQLite: the operations' and the imports' statements. */
export const sqliteImportRecords = (ops: OpsStore, store: ImportStore): ImportRecords => ({
  request: (key) => ops.request(key),
  replay: (key) => ops.replay(key),
  postingByKey: (key) => store.postingByKey(key),
  earlier: (hash) => store.earlier(hash),
  unfinishedOf: (hash) => store.unfinishedOf(hash),
  dateTime: (at) => store.dateTime(at),
  locale: () => store.locale(),
  copies: (hash) => store.copies(hash),
  record: (r) => store.record(r),
  recordDocument: (documentId, meta, request) => {
    ops.insertMeta(documentId, meta);
    if (request) ops.insertRequest(request.idempotencyKey, 'import', request.hash, documentId, request.at);
  },
});

/** A key reused for another import (another file, kind or date) is a conflict; the same import under it replays (import-rules.ts). */
export function refuseKeyConflict(ops: OpsStore, store: ImportStore, idempotencyKey: string, requestHash: string): 'new' | 'replay' | 'in progress' {
  return runNow(keyConflict(sqliteImportRecords(ops, store), idempotencyKey, requestHash));
}

/** Refuses a file while another import of the same content is not posted whole, unless confirmed (import-rules.ts). */
export function refuseUnfinishedImport(store: ImportStore, contentHash: string, confirmed: boolean | undefined, exceptId?: number): void {
  runNow(unfinishedImport(store, contentHash, confirmed, exceptId));
}

/** Writer time one staging write aims at (as finance posting's chunks do): a clerk's commit waits behind at most about this. */
export const STAGE_WRITE_BUDGET_MS = 3;
/** The most chunks one staging write keeps aside (about 64 × 40 KB of documents). */
export const STAGE_MAX_CHUNKS = 64;

/** Chunks in the next staging write: the last write's count scaled to the budget by its time, between 1 and STAGE_MAX_CHUNKS. */
export function nextStageCount(last: number, lastMs: number, budgetMs = STAGE_WRITE_BUDGET_MS): number {
  return nextChunkSize(last, lastMs, budgetMs, STAGE_MAX_CHUNKS, 1);
}

/** Chunks' documents (as JSON, made in the job thread), sent to the writer to keep aside until they are posted. */
export interface ImportChunkStage {
  /** null for the first write: the record is created with it. */
  importId: number | null;
  posting: NewImportPosting;
  chunks: { chunkNo: number; document: string }[];
}
/** The import's id and how long the write held the writer (ms), for sizing the next; or the key's answer. */
export type StageResult = { importId: number; heldMs: number } | { replayed: string };

/**
 * Keeps several chunks of an import aside in one writer transaction (nothing posted yet). With the first write the
 * key and the content are checked: a key already used replays (or conflicts), and a file already imported or being
 * imported is refused. A write is all or nothing: a refusal keeps none of its chunks.
 */
export function stageImportChunks({ db }: JobWriterSide, p: ImportChunkStage, clock: () => number = Date.now): StageResult {
  const { ops, store } = importWriterParts(db);
  const t0 = performance.now();
  const result = db.transaction((): StageResult => {
    let importId = p.importId;
    if (importId === null) {
      const key = refuseKeyConflict(ops, store, p.posting.idempotencyKey, p.posting.requestHash);
      if (key !== 'new') return { replayed: key === 'replay' ? REPLAYED : IN_PROGRESS };
      refuseUnfinishedImport(store, p.posting.contentHash, p.posting.confirmDuplicate);
      importId = store.begin(p.posting, clock());
    } else if (store.head(importId)?.status !== 'staging') {
      throw new AppError('CONFLICT', 'This import is no longer being prepared (it was cancelled or has started posting); nothing more was added to it.');
    }
    for (const c of p.chunks) store.stage(importId, c.chunkNo, c.document);
    return { importId, heldMs: 0 };
  })();
  if ('importId' in result) result.heldMs = performance.now() - t0;
  return result;
}

/** Drops an import that has posted nothing: cancelled, or refused, while its chunks were being kept aside. */
export function discardImport({ db }: JobWriterSide, importId: number): void {
  const { store } = importWriterParts(db);
  db.transaction(() => {
    if (store.head(importId)?.status === 'staging') store.discard(importId);
  })();
}

export interface ChunkPosted {
  /** Every chunk is posted: the file is recorded as imported. */
  done: boolean;
  /** Another import under this key was posted first; this one posted nothing. */
  replayed: boolean;
  rows: number;
  postedRows: number;
  chunks: number;
  postedChunks: number;
}

const figures = (h: ImportPostingHead, done: boolean, replayed = false): ChunkPosted => ({
  done,
  replayed,
  rows: h.rows,
  postedRows: h.postedRows,
  chunks: h.chunks,
  postedChunks: h.postedChunks,
});

/**
 * Posts the next chunk of an import in ONE short transaction on the writer: its document through the writer's poster,
 * its operation record, the chunk dropped from the staging table and counted. The first chunk is the commit point: the
 * key and content are checked again and the request recorded; from then on the import only rolls forward (a restart
 * finishes it). The last chunk records the file as imported. A chunk the ledger refuses posts nothing: before the
 * commit point the import is dropped (nothing written, as before); after it, the import is marked stopped with the
 * reason, never recorded as imported, and the message says how much was posted.
 */
export function postImportChunk({ db, poster }: JobWriterSide, importId: number, clock: () => number = Date.now): ChunkPosted {
  const { ops, store } = importWriterParts(db);
  const post = db.transaction((): ChunkPosted => {
    const h = store.head(importId);
    if (!h) throw new AppError('NOT_FOUND', 'This import is no longer prepared (it was cancelled); nothing was posted. Import the file again.');
    if (h.status === 'posted') return figures(h, true);
    if (h.status === 'stopped') throw new AppError('CONFLICT', h.error ?? 'This import stopped part-way.');
    if (h.status === 'staging') {
      const key = refuseKeyConflict(ops, store, h.idempotencyKey, h.requestHash);
      if (key === 'replay') {
        store.discard(importId);
        return figures(h, true, true);
      }
      // Another import of this content may have finished while this one was being checked and kept aside.
      if (!h.confirmDuplicate && store.copies(h.contentHash) > 0) throw new AppError('CONFLICT', 'This file was imported meanwhile by another import; nothing was imported twice.');
      refuseUnfinishedImport(store, h.contentHash, h.confirmDuplicate, importId);
    }
    const chunk = store.nextChunk(importId);
    if (!chunk) throw new AppError('INTERNAL', 'This import has no rows left to post but is not recorded as imported.');
    const doc = JSON.parse(chunk.document) as PostDocumentInput;
    const [posted] = poster.postMany([doc], h.userId);
    const documentId = posted!.documentId;
    const now = clock();
    // The document's records as every posted import writes them (the request under its key with its first document).
    sqliteImportRecords(ops, store).recordDocument(documentId, { kind: h.kind, reason: importReason(h.fileName) }, h.postedChunks === 0 ? { idempotencyKey: h.idempotencyKey, hash: h.requestHash, at: now } : null);
    const after = { ...h, postedChunks: h.postedChunks + 1, postedRows: h.postedRows + doc.lines.length };
    const done = after.postedChunks === h.chunks;
    // Constant work per chunk: the chunk is counted, and its document is found later by its key (never a growing list rewritten).
    store.chunkPosted(importId, chunk.chunkNo, doc.lines.length, done ? 'posted' : 'posting', now);
    if (done) {
      runNow(recordImportFile(store, {
        contentHash: h.contentHash,
        kind: h.kind,
        fileName: h.fileName,
        idempotencyKey: h.idempotencyKey,
        rows: after.postedRows,
        documentIds: store.documentIds(h.idempotencyKey),
        userId: h.userId,
        recordedAt: now,
      }));
    }
    return figures(after, done);
  });
  try {
    return post();
  } catch (e) {
    poster.reset();
    const h = store.posting(importId);
    if (h?.status === 'staging') discardImport({ db, poster }, importId);
    // A refusal after the commit point stops the import where it is; anything else (a full disk) leaves it to roll forward.
    if (h?.status === 'posting' && e instanceof AppError) {
      const locale = store.locale();
      const message = `The import stopped after posting ${count(h.postedRows, locale)} of ${plural(h.rows, 'row', undefined, locale)} (${documentList(h.documentIds)}): the ledger refused the next part (${e.message}). The rows posted stay in the ledger and the file is not recorded as imported; import a file of the remaining rows once the cause is fixed.`;
      db.transaction(() => store.setStatus(importId, 'stopped', message, clock()))();
      throw new AppError(e.code, message, e.details);
    }
    throw e;
  }
}

/**
 * At start-up, the imports a stopped process left: one still being kept aside posted nothing and is dropped; one that
 * had started posting is finished (roll forward: the same documents under the same keys, a chunk per write between
 * the clerks' requests), as a job with progress the user sees.
 */
export function finishInterruptedImports(ctx: WorkerContext): number {
  const { store } = importWriterParts(ctx.ledger.db);
  let resumed = 0;
  for (const p of store.unfinished()) {
    if (p.status === 'staging') {
      discardImport(ctx.ledger, p.id);
      continue;
    }
    resumed++;
    ctx.startJob(`import-resume-${p.id}`, 'import', async (_signal, progress) => {
      const phase = `finishing the import of ${p.fileName ?? 'a file'} that was interrupted (it cannot be cancelled)`;
      let r: ChunkPosted;
      do {
        progress({ done: p.rows + p.postedRows, total: p.rows * 2, phase });
        await new Promise((resolve) => setImmediate(resolve)); // the clerks' requests run between chunks
        r = postImportChunk(ctx.ledger, p.id);
        p.postedRows = r.postedRows;
      } while (!r.done);
      ctx.emit('stock.changed', { documentId: null, reason: 'import' });
      return `Finished the import of ${p.fileName ?? 'a file'} that was interrupted: ${plural(r.rows, 'row')} in ${plural(r.chunks, 'document')}, each row posted once.`;
    });
  }
  return resumed;
}

/** The writer's side of a chunked import's writes. */
export const IMPORT_CHUNK_WRITES = {
  'import.stage': (w: JobWriterSide, p: ImportChunkStage) => stageImportChunks(w, p),
  'import.postChunk': (w: JobWriterSide, importId: number) => postImportChunk(w, importId),
  'import.discard': (w: JobWriterSide, importId: number) => discardImport(w, importId),
};
