import type { PostDocumentInput } from '../../shared/contract/schemas';
import type { PostedDocument } from '../../shared/domain';
import type { PostContext } from './store/document-rules';
import type { VerifyCheck } from './store/verify';

/** What a verify run of the ledger core found: one check per invariant, ok when all hold. */
export interface CoreVerifyReport {
  ok: boolean;
  /** Movements hashed. */
  movements: number;
  /** The newest movement's seq and hash (0 and the genesis hash on an empty ledger). */
  head: { seq: number; hash: string };
  checks: VerifyCheck[];
}

/**
 * The ledger core both stores implement (issue 17, step two): post whole documents (all or none, once per
 * idempotency key, hash chain and balances kept), read a current balance, verify the invariants of ARCHITECTURE §5.
 *
 * Async, because PostgreSQL is a network database. SQLite meets it with its synchronous single writer
 * (store/sqlite-ledger-core.ts: each call runs to completion on the ledger worker's thread and returns a settled
 * promise), so the two are interchangeable behind this interface; PostgreSQL (pg/store/pg-ledger-store.ts) holds the
 * same rules across several servers with locks in the database instead of one writer process.
 */
export interface LedgerCore {
  /** Posts one document atomically and idempotently; a refusal throws an AppError and writes nothing. */
  post(doc: PostDocumentInput, userId: number, context?: PostContext): Promise<PostedDocument>;
  /** Posts many documents in one transaction: all or none. */
  postMany(docs: readonly PostDocumentInput[], userId: number, context?: PostContext): Promise<PostedDocument[]>;
  /** A product's current quantity at a site (all bins and batches), in base units. */
  balance(productId: number, siteId: number): Promise<number>;
  /** Recomputes the chain and the balances from the movements. */
  verify(): Promise<CoreVerifyReport>;
}
