import type Database from 'better-sqlite3';
import type { EarlierImport } from '../../shared/operations';

export interface ImportFileRecord {
  contentHash: string;
  copyNo: number;
  kind: EarlierImport['kind'];
  fileName: string | null;
  idempotencyKey: string;
  rows: number;
  documentIds: number[];
  userId: number;
  recordedAt: number;
}

/** The import_files table: which file contents were imported, by whom, when, as which documents. */
export class ImportStore {
  private readonly s;
  constructor(db: Database.Database) {
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
    };
  }

  /** Every earlier import of this content, first first. */
  earlier(contentHash: string): EarlierImport[] {
    const rows = this.s.earlier.all(contentHash) as (Omit<EarlierImport, 'recordedAt' | 'documentIds'> & { recordedAt: number; documentIds: string })[];
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
}
