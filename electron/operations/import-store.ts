import type Database from 'better-sqlite3';
import type { EarlierImport } from '../../shared/operations';
import { companyLocale } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';
import { companyDateTime } from '../company/company-time';
import type { EntityFields, EntityRecord } from '../ledger/entities/columns';
import type { ImportFileEntity, ImportPostingEntity } from '../ledger/entities/operations.entities';
import type { UserEntity } from '../ledger/entities/user.entity';

type ImportFileFields = EntityRecord<typeof ImportFileEntity>;

/** An import_files row to write (documentIds still a list: the store writes it as JSON). */
export type ImportFileRecord = Pick<ImportFileFields, 'contentHash' | 'copyNo' | 'fileName' | 'idempotencyKey' | 'userId' | 'recordedAt'> & {
  kind: EarlierImport['kind'];
  rows: ImportFileFields['rowCount'];
  documentIds: number[];
};

/** An earlier import as both stores read it (recorded_at still epoch ms, document_ids still JSON text). */
export type EarlierImportRow = Omit<EarlierImport, 'recordedAt' | 'documentIds'> & Pick<ImportFileFields, 'recordedAt' | 'documentIds'>;

type PostingFields = EntityFields<typeof ImportPostingEntity>;

/** An import posted in chunks (import_postings): see migration 0032 for what each status means. */
export type ImportPostingRow = Pick<
  PostingFields,
  'id' | 'idempotencyKey' | 'requestHash' | 'contentHash' | 'confirmDuplicate' | 'fileName' | 'userId' | 'postedChunks' | 'postedRows' | 'error' | 'createdAt'
> & {
  kind: EarlierImport['kind'];
  userName: EntityRecord<typeof UserEntity>['displayName'];
  rows: PostingFields['rowCount'];
  chunks: PostingFields['chunkCount'];
  documentIds: number[];
  status: PostingFields['status'] & ('staging' | 'posting' | 'stopped' | 'posted');
};

/** An import's record without its documents: what posting a chunk reads (the document list is read only when a message or the file's record needs it). */
export type ImportPostingHead = Omit<ImportPostingRow, 'documentIds'>;

export type NewImportPosting = Pick<ImportPostingRow, 'idempotencyKey' | 'requestHash' | 'contentHash' | 'confirmDuplicate' | 'kind' | 'fileName' | 'userId' | 'rows' | 'chunks'>;

const POSTING_SELECT = `SELECT p.id, p.idempotency_key AS idempotencyKey, p.request_hash AS requestHash, p.content_hash AS contentHash,
  p.confirm_duplicate AS confirmDuplicate, p.kind, p.file_name AS fileName, p.user_id AS userId, u.display_name AS userName, p.row_count AS rows,
  p.chunk_count AS chunks, p.posted_chunks AS postedChunks, p.posted_rows AS postedRows, p.status, p.error,
  p.created_at AS createdAt FROM import_postings p JOIN users u ON u.id = p.user_id`;
type RawPosting = Omit<ImportPostingHead, 'confirmDuplicate'> & { confirmDuplicate: number };
const head = (r: RawPosting | undefined): ImportPostingHead | undefined => r && { ...r, confirmDuplicate: r.confirmDuplicate === 1 };

/** The import_files table: which file contents were imported, by whom, when, as which documents. */
export class ImportStore {
  private readonly s;
  constructor(private readonly db: Database.Database) {
    this.s = {
      earlier: db.prepare(
        `SELECT f.recorded_at AS recordedAt, u.display_name AS userName, f.file_name AS fileName, f.kind, f.row_count AS rows, f.document_ids AS documentIds
         FROM import_files f JOIN users u ON u.id = f.user_id WHERE f.content_hash = ? ORDER BY f.copy_no`,
      ),
      lastCopy: db.prepare('SELECT COALESCE(MAX(copy_no), 0) AS n FROM import_files WHERE content_hash = ?'),
      insert: db.prepare(
        `INSERT INTO import_files (content_hash, copy_no, kind, file_name, idempotency_key, row_count, document_ids, user_id, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      posting: db.prepare(`${POSTING_SELECT} WHERE p.id = ?`),
      // An import's chunk n is the document under the key "<import key>:n" (import-rules.ts importDocuments): its posted
      // chunks' documents, in chunk order, straight from the ledger's unique key index. Nothing per chunk is rewritten.
      documentIds: db
        .prepare(
          `SELECT id FROM documents WHERE idempotency_key > @key || ':' AND idempotency_key < @key || ';'
             AND substr(idempotency_key, length(@key) + 2) NOT GLOB '*[^0-9]*'
           ORDER BY CAST(substr(idempotency_key, length(@key) + 2) AS INTEGER)`,
        )
        .pluck(),
      postingByKey: db.prepare(`${POSTING_SELECT} WHERE p.idempotency_key = ?`),
      unfinishedOf: db.prepare(`${POSTING_SELECT} WHERE p.content_hash = ? AND p.status <> 'posted' ORDER BY p.id`),
      unfinished: db.prepare(`${POSTING_SELECT} WHERE p.status IN ('staging', 'posting') ORDER BY p.id`),
      begin: db.prepare(
        `INSERT INTO import_postings (idempotency_key, request_hash, content_hash, confirm_duplicate, kind, file_name, user_id, row_count, chunk_count, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'staging', ?, ?)`,
      ),
      stage: db.prepare('INSERT INTO import_posting_chunks (import_id, chunk_no, document) VALUES (?, ?, ?)'),
      nextChunk: db.prepare('SELECT chunk_no AS chunkNo, document FROM import_posting_chunks WHERE import_id = ? ORDER BY chunk_no LIMIT 1'),
      dropChunk: db.prepare('DELETE FROM import_posting_chunks WHERE import_id = ? AND chunk_no = ?'),
      chunkPosted: db.prepare(
        `UPDATE import_postings SET posted_chunks = posted_chunks + 1, posted_rows = posted_rows + ?, status = ?, updated_at = ? WHERE id = ?`,
      ),
      status: db.prepare('UPDATE import_postings SET status = ?, error = ?, updated_at = ? WHERE id = ?'),
      dropChunks: db.prepare('DELETE FROM import_posting_chunks WHERE import_id = ?'),
      dropPosting: db.prepare('DELETE FROM import_postings WHERE id = ?'),
    };
  }

  /** An instant as an import's refusal names it: the company's date format and time zone. */
  dateTime(at: number): string {
    return companyDateTime(this.db, at);
  }

  /** The locale the company writes numbers in: an import's refusals group their counts by it. */
  locale(): string {
    return companyLocale(new CompanyStore(this.db).settings());
  }

  /** Every earlier import of this content, first first. */
  earlier(contentHash: string): EarlierImport[] {
    const rows = this.s.earlier.all(contentHash) as EarlierImportRow[];
    return rows.map((r) => ({ ...r, recordedAt: new Date(r.recordedAt).toISOString(), documentIds: JSON.parse(r.documentIds) as number[] }));
  }

  /** How many times this content was imported (the next import is copy n + 1). */
  copies(contentHash: string): number {
    return (this.s.lastCopy.get(contentHash) as { n: number }).n;
  }

  /** Records an import; a second copy 1 (or n) of the same content fails on UQ_import_files_content_copy. */
  record(r: ImportFileRecord): void {
    this.s.insert.run(r.contentHash, r.copyNo, r.kind, r.fileName, r.idempotencyKey, r.rows, JSON.stringify(r.documentIds), r.userId, r.recordedAt);
  }

  /** An import posted in chunks, by id, without its documents (what posting its next chunk needs). */
  head(id: number): ImportPostingHead | undefined {
    return head(this.s.posting.get(id) as RawPosting | undefined);
  }

  /** An import posted in chunks, by id or by its idempotency key, with the documents it has posted. */
  posting(id: number): ImportPostingRow | undefined {
    return this.withDocuments(this.head(id));
  }
  postingByKey(idempotencyKey: string): ImportPostingRow | undefined {
    return this.withDocuments(head(this.s.postingByKey.get(idempotencyKey) as RawPosting | undefined));
  }

  /** The documents an import has posted so far, in chunk order. */
  documentIds(idempotencyKey: string): number[] {
    return this.s.documentIds.all({ key: idempotencyKey }) as number[];
  }

  /** The imports of this content that are not posted whole: staging, posting or stopped part-way. */
  unfinishedOf(contentHash: string): ImportPostingRow[] {
    return (this.s.unfinishedOf.all(contentHash) as RawPosting[]).map((r) => this.withDocuments(head(r))!);
  }

  /** Imports a stopped process left staging or posting (start-up drops the first and finishes the second). */
  unfinished(): ImportPostingRow[] {
    return (this.s.unfinished.all() as RawPosting[]).map((r) => this.withDocuments(head(r))!);
  }

  /** Starts staging an import; a second import under the same key fails on UQ_import_postings_key. */
  begin(p: NewImportPosting, now: number): number {
    return Number(
      this.s.begin.run(p.idempotencyKey, p.requestHash, p.contentHash, p.confirmDuplicate ? 1 : 0, p.kind, p.fileName, p.userId, p.rows, p.chunks, now, now).lastInsertRowid,
    );
  }

  /** Keeps one chunk's document (JSON) until it is posted. */
  stage(importId: number, chunkNo: number, document: string): void {
    this.s.stage.run(importId, chunkNo, document);
  }

  /** The first chunk still to post, or undefined when none is left. */
  nextChunk(importId: number): { chunkNo: number; document: string } | undefined {
    return this.s.nextChunk.get(importId) as { chunkNo: number; document: string } | undefined;
  }

  /** Drops a posted chunk and counts it, in the transaction that posts it (its document is found by its key). */
  chunkPosted(importId: number, chunkNo: number, rows: number, status: ImportPostingRow['status'], now: number): void {
    this.s.dropChunk.run(importId, chunkNo);
    this.s.chunkPosted.run(rows, status, now, importId);
  }

  setStatus(importId: number, status: ImportPostingRow['status'], error: string | null, now: number): void {
    this.s.status.run(status, error, now, importId);
  }

  private withDocuments(h: ImportPostingHead | undefined): ImportPostingRow | undefined {
    return h && { ...h, documentIds: h.postedChunks === 0 ? [] : this.documentIds(h.idempotencyKey) };
  }

  /** Forgets an import that posted nothing (cancelled or refused while staging): its chunks and its record. */
  discard(importId: number): void {
    this.s.dropChunks.run(importId);
    this.s.dropPosting.run(importId);
  }
}
