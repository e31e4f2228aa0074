import type pg from 'pg';
import type { StockChange } from '../../shared/contract/events';
import type { OperationResult, OperationReview, ReviewableOperation } from '../../shared/operations';
import { pgTransaction, postInTransaction } from '../ledger/pg/store/pg-ledger-store';
import { postedInFormTermsAsync } from './form-lines';
import { buildOperation, operationBuilders, type OperationInput } from './operation-builders';
import { emptyResult, replayedResult, stockChangeOf, type BuiltOperation } from './operation-writer';
import type { OpsReads } from './ops-reads';
import { buildOver, OpsSnapshot } from './ops-snapshot';
import { PgOpsStore } from './pg-ops-store';
import { earlierRequest, type OperationRequest } from './request-fingerprint';
import { reviewOf, Rollback } from './review';

/**
 * The stock operations on PostgreSQL: the same builders (operation-builders.ts) and the same idempotency rule
 * (request-fingerprint.ts) as on SQLite, each operation ONE PostgreSQL transaction on one client:
 *   1. the chain lock (the ledger core's advisory lock), so what the build reads and what the ledger posts are one
 *      consistent state across servers, and a second server with the same key waits, then finds the first's request;
 *   2. the request recorded under the key: replay, or IDEMPOTENCY_CONFLICT for other input;
 *   3. the build over a snapshot read under the lock (ops-snapshot.ts: one statement per kind of read per pass);
 *   4. the document through the ledger core (postInTransaction: its own rules and locks, in this transaction), then the
 *      operation_documents, supplier, value-credit and operation_requests rows.
 * A refusal or a crash anywhere rolls the whole transaction back: nothing is left. Serialization failures and
 * deadlocks run it again from the start (pgTransaction).
 */
export class PgOperations {
  private readonly store = new PgOpsStore();
  /** `changed` is told of each posted document once its transaction has committed (the stock.changed event). */
  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: () => number = Date.now,
    private readonly changed: (change: StockChange) => void = () => {},
  ) {}

  /** Posts `operation` with its input as `userId`. */
  post<O extends ReviewableOperation>(operation: O, input: OperationInput<O>, userId: number): Promise<OperationResult> {
    // One instant for the whole operation: every pass of the build must read the same recipe versions and times.
    const now = this.clock();
    return this.postBuilt(input.idempotencyKey, userId, { operation, input }, (ops) => buildOperation(operationBuilders(ops, () => now), operation, input, userId));
  }

  /**
   * The review step on PostgreSQL: builds and posts the document in a transaction that is always rolled back, so the
   * user sees exactly the movements posting would write (or the error it would raise); the same review as SQLite's.
   */
  async review<O extends ReviewableOperation>(operation: O, input: OperationInput<O>, userId: number): Promise<OperationReview> {
    const { store, clock } = this;
    const now = clock();
    const request: OperationRequest = { operation, input };
    try {
      await pgTransaction(this.pool, async (c) => {
        await store.lockChain(c);
        const recorded = await store.request(c, input.idempotencyKey);
        const earlier = earlierRequest({ request: () => recorded }, input.idempotencyKey, request);
        if (earlier.replay) {
          const r = await store.reviewOf(c, earlier.documentId, input.idempotencyKey);
          throw new Rollback({ ...reviewOf(r.rows, r.levels, r.credits, []), alreadyPostedDocumentId: earlier.documentId });
        }
        const built = await buildOver(new OpsSnapshot(), (need, facts) => store.read(c, need, facts), (ops) => buildOperation(operationBuilders(ops, () => now, true), operation, input, userId));
        const doc = built.doc;
        const documentId = doc ? (await postedInFormTermsAsync(doc, () => postInTransaction(c, [doc], userId, {}, clock)))[0]!.documentId : null;
        if (built.credits) await store.insertCredits(c, built.credits);
        const r = await store.reviewOf(c, documentId, input.idempotencyKey);
        throw new Rollback(reviewOf(r.rows, r.levels, r.credits, built.notes ?? []));
      });
    } catch (e) {
      if (e instanceof Rollback) return e.review;
      throw e;
    }
    throw new Error('unreachable: the review transaction always rolls back');
  }

  private postBuilt(idempotencyKey: string, userId: number, request: OperationRequest, build: (ops: OpsReads) => BuiltOperation): Promise<OperationResult> {
    return this.postPrepared(idempotencyKey, userId, request, (c) => buildOver(new OpsSnapshot(), (need, facts) => this.store.read(c, need, facts), build));
  }

  /**
   * Posts what `prepare` builds, as `post` does (the chain lock, the request under the key, the document through the
   * ledger core, its records), for an operation whose own rows change with the posting: `prepare` reads (and may lock)
   * them in the transaction, after the key's check, and `settle` writes them with the posted document's id — all in ONE
   * transaction, so the posting and its rows commit together or not at all (a draft is never posted twice).
   */
  async postPrepared(
    idempotencyKey: string,
    userId: number,
    request: OperationRequest,
    prepare: (c: pg.PoolClient) => Promise<BuiltOperation>,
    settle?: (c: pg.PoolClient, documentId: number | null) => Promise<void>,
  ): Promise<OperationResult> {
    const { store, clock } = this;
    const { result, change } = await pgTransaction(this.pool, async (c): Promise<{ result: OperationResult; change?: StockChange }> => {
      await store.lockChain(c);
      const recorded = await store.request(c, idempotencyKey);
      const earlier = earlierRequest({ request: () => recorded }, idempotencyKey, request);
      if (earlier.replay) {
        const doc = await store.replay(c, idempotencyKey);
        return { result: replayedResult(doc, earlier.documentId, doc ? 0 : await store.creditsByKey(c, idempotencyKey)) };
      }
      // Posted by the ledger directly under this key: replay by the document's key.
      const legacy = await store.replay(c, idempotencyKey);
      if (legacy) return { result: replayedResult(legacy, null, 0) };
      // Value-only credits written before requests were recorded (as operations.ops.ts replays them on SQLite).
      const credits = request.operation === 'refund' ? await store.creditsByKey(c, idempotencyKey) : 0;
      if (credits > 0) return { result: replayedResult(null, null, credits) };
      const built = await prepare(c);
      if (built.after) throw new Error('An operation with SQLite-only extra rows (after) was posted on PostgreSQL; give it declarative rows.');
      let result = emptyResult(built);
      let change: StockChange | undefined;
      if (built.doc) {
        const doc = built.doc;
        const [posted] = await postedInFormTermsAsync(doc, () => postInTransaction(c, [doc], userId, {}, clock));
        await store.insertMeta(c, posted!.documentId, built.meta);
        result = { ...result, ...posted!, documentType: built.doc.type, reference: built.doc.reference ?? null };
        change = stockChangeOf(built, posted!.documentId);
        if (built.supplier) await store.recordReceiptSupplier(c, posted!.documentId, built.supplier.supplier, built.supplier.customsDutyPaid);
      }
      if (built.credits) await store.insertCredits(c, built.credits);
      await settle?.(c, result.documentId);
      await store.insertRequest(c, idempotencyKey, request.operation, earlier.hash, result.documentId, clock());
      return { result, ...(change ? { change } : {}) };
    });
    if (change) this.changed(change);
    return result;
  }
}
