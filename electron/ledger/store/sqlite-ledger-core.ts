import type Database from 'better-sqlite3';
import type { PostDocumentInput } from '../../../shared/contract/schemas';
import type { PostedDocument } from '../../../shared/domain';
import type { CoreVerifyReport, LedgerCore } from '../ledger-core';
import type { DocumentPoster } from './document-poster';
import type { PostContext } from './document-rules';
import { verifyLedger } from './verify';

/**
 * SQLite's side of the ledger core: the synchronous single writer (DocumentPoster, verifyLedger) behind the async
 * interface. Each call runs to completion before it returns, so the promise is already settled; a refusal rejects it.
 */
export class SqliteLedgerCore implements LedgerCore {
  private readonly balanceStmt: Database.Statement<[number, number], { q: number }>;

  constructor(private readonly db: Database.Database, private readonly poster: DocumentPoster) {
    this.balanceStmt = db.prepare('SELECT COALESCE(SUM(qty), 0) AS q FROM stock_levels WHERE product_id = ? AND site_id = ?');
  }

  async post(doc: PostDocumentInput, userId: number, context?: PostContext): Promise<PostedDocument> {
    return this.poster.post(doc, userId, context);
  }

  async postMany(docs: readonly PostDocumentInput[], userId: number, context?: PostContext): Promise<PostedDocument[]> {
    return this.poster.postMany(docs, userId, context);
  }

  async balance(productId: number, siteId: number): Promise<number> {
    return this.balanceStmt.get(productId, siteId)!.q;
  }

  async verify(): Promise<CoreVerifyReport> {
    const r = verifyLedger(this.db, { mode: 'full' });
    return { ok: r.ok, movements: r.movements, head: { seq: r.head.seq, hash: r.head.hash }, checks: r.checks };
  }
}
