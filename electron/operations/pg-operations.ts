import type pg from 'pg';
import type { StockChange } from '../../shared/contract/events';
import type { PostedDocument } from '../../shared/domain';
import type { OperationResult, OperationReview, ReviewableOperation } from '../../shared/operations';
import { pgTransaction, postInTransaction } from '../ledger/pg/store/pg-ledger-store';
import { runLater } from '../ledger/steps';
import { postedInFormTermsAsync } from './form-lines';
import { kitLineRows } from './kit-lines';
import { buildOperation, operationBuilders, type OperationInput } from './operation-builders';
import { emptyResult, stockChangeOf, type BuiltOperation } from './operation-writer';
import type { OpsReads } from './ops-reads';
import type { NewKitLine } from './ops-store';
import { buildOver, emptyFacts, noNeed, OpsSnapshot, type OpsFacts, type OpsNeed } from './ops-snapshot';
import { PgOpsStore } from './pg-ops-store';
import { recordedUnder, reviewUnderKey, submitUnderKey, type OperationRequest } from './request-fingerprint';
import { reviewOf, Rollback } from './review';
import type { StockOperations } from './stock-operations';

/** The movement_kit_lines rows of a sale's kit lines, once its document is posted (its first movement's seq). */
function kitRows(built: BuiltOperation, posted: readonly PostedDocument[]): NewKitLine[] {
  const first = posted[0] && !posted[0].replayed ? posted[0].firstSeq : null;
  return built.kitLines && first !== null ? kitLineRows(first, built.kitLines) : [];
}

/** What of `need` is still to read once the key's statement has read products and sites into `facts` (the ids it can). */
function notYetRead(need: OpsNeed, facts: OpsFacts): OpsNeed {
  return { ...need, products: need.products.filter((id) => !facts.products.has(id)), sites: need.sites.filter((id) => !facts.sites.has(id)) };
}

/**
 * The stock operations on PostgreSQL (StockOperations, as stock-operations.ts's WorkerOperations on SQLite): the same
 * builders (operation-builders.ts) and the same idempotency rule (request-fingerprint.ts submitUnderKey) as on SQLite, each operation ONE PostgreSQL transaction on one client, with as few round
 * trips as possible while it holds the chain lock (every other server's posting waits for it):
 *   1. the chain lock (the ledger core's advisory lock), sent with the BEGIN, so what the build reads and what the
 *      ledger posts are one consistent state across servers, and a second server with the same key waits, then finds
 *      the first's request;
 *   2. what is recorded under the key, in one statement (the request, a document, value credits) that also reads the
 *      products and sites the build's first pass names: replay, or IDEMPOTENCY_CONFLICT for other input;
 *   3. the rest of what that first pass names (a despatch: its stock levels), then the build over a snapshot read under
 *      the lock (ops-snapshot.ts: one statement per kind of read per further pass);
 *   4. the document through the ledger core (postInTransaction, not taking the lock again: its own read, then ONE write
 *      statement that carries the operation_documents, supplier, value-credit and operation_requests rows too), COMMIT.
 * A receive is 5 round trips (BEGIN with the lock, the key with its products and sites, the ledger's read, the write,
 * COMMIT); a despatch 6 (its stock levels too), whatever its number of lines.
 * A refusal or a crash anywhere rolls the whole transaction back: nothing is left. Serialization failures and
 * deadlocks run it again from the start (pgTransaction).
 */
export class PgOperations implements StockOperations {
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
  review<O extends ReviewableOperation>(operation: O, input: OperationInput<O>, userId: number): Promise<OperationReview> {
    const now = this.clock();
    return this.reviewPrepared(input.idempotencyKey, userId, { operation, input }, (c) => {
      const store = new PgOpsStore(c);
      return buildOver(new OpsSnapshot(), (need, facts) => store.read(need, facts), (ops) => buildOperation(operationBuilders(ops, () => now, true), operation, input, userId));
    });
  }

  /** The review of what `prepare` builds in the transaction (an adjustment draft's posting reads the draft there too), as `review`. */
  async reviewPrepared(idempotencyKey: string, userId: number, request: OperationRequest, prepare: (c: pg.PoolClient) => Promise<BuiltOperation>): Promise<OperationReview> {
    const { clock } = this;
    try {
      await pgTransaction(this.pool, async (c) => {
        const store = new PgOpsStore(c);
        // What posting would do under the key decides first, by posting's own rule (reviewUnderKey, as SQLite's review).
        const replay = await runLater(reviewUnderKey(recordedUnder(await store.underKey(idempotencyKey)), idempotencyKey, request));
        if (replay) {
          const r = await store.reviewOf(replay.documentId, idempotencyKey);
          throw new Rollback({ ...reviewOf(r.rows, r.levels, r.credits, []), alreadyPosted: true, alreadyPostedDocumentId: replay.documentId });
        }
        const built = await prepare(c);
        const doc = built.doc;
        // What posting writes beside the movements, but the document's records (the review reads none of them).
        const also = (posted: readonly PostedDocument[]) => store.records(null, built, null, kitRows(built, posted));
        const documentId = doc ? (await postedInFormTermsAsync(doc, () => postInTransaction(c, [doc], userId, {}, clock, { chainHeld: true, also })))[0]!.documentId : null;
        if (!doc && built.credits) await store.insertCredits(built.credits);
        const r = await store.reviewOf(documentId, idempotencyKey);
        throw new Rollback({ ...reviewOf(r.rows, r.levels, r.credits, built.notes ?? []), kits: built.kits ?? [] });
      }, { chainLock: true });
    } catch (e) {
      if (e instanceof Rollback) return e.review;
      throw e;
    }
    throw new Error('unreachable: the review transaction always rolls back');
  }

  private postBuilt(idempotencyKey: string, userId: number, request: OperationRequest, build: (ops: OpsReads) => BuiltOperation): Promise<OperationResult> {
    // The build's first pass over no facts names what it reads first (a receive: its products and sites; a despatch:
    // their stock levels too), before the transaction: its products and sites are read with the key, in its statement
    // under the chain lock, and the rest of that need right after (postPrepared). Only that pass's need counts.
    const first = new OpsSnapshot();
    try {
      build(first);
    } catch {
      // a stand-in answer may make it throw: what it asked for before is all it is run for
    }
    const read = (c: pg.PoolClient) => {
      const store = new PgOpsStore(c);
      return (need: OpsNeed, facts: OpsFacts) => store.read(need, facts);
    };
    return this.postPrepared(idempotencyKey, userId, request, (c, facts) => buildOver(new OpsSnapshot(facts), read(c), build), undefined, first.need);
  }

  /**
   * Posts what `prepare` builds, as `post` does (the chain lock, the request under the key, the document through the
   * ledger core, its records), for an operation whose own rows change with the posting: `prepare` reads (and may lock)
   * them in the transaction, after the key's check, and `settle` writes them with the posted document's id — all in ONE
   * transaction, so the posting and its rows commit together or not at all (a draft is never posted twice).
   * `ahead`: a build's whole first pass's need (postBuilt), read into the facts `prepare` is given before it runs: its
   * products and sites in the key's statement, the rest after the key's check. All of it, never a part: the snapshot's
   * stand-ins find every read of a depth in one pass only while that depth is all read or all stood in. Real sites
   * beside stood-in levels refuse at the first line short of stock, so each pass found one line's reads (a despatch of
   * 12 lines from a site without negative stock ran out of passes).
   */
  async postPrepared(
    idempotencyKey: string,
    userId: number,
    request: OperationRequest,
    prepare: (c: pg.PoolClient, facts: OpsFacts) => Promise<BuiltOperation>,
    settle?: (c: pg.PoolClient, documentId: number | null) => Promise<void>,
    ahead: OpsNeed = noNeed(),
  ): Promise<OperationResult> {
    const { clock } = this;
    const { result, change } = await pgTransaction(
      this.pool,
      async (c): Promise<{ result: OperationResult; change?: StockChange }> => {
        const store = new PgOpsStore(c);
        const facts = emptyFacts();
        // What is recorded under the key, read in one statement, decides by the rule SQLite's posting runs (submitUnderKey).
        const keyed = await runLater(submitUnderKey(recordedUnder(await store.underKey(idempotencyKey, ahead, facts)), idempotencyKey, request));
        if (keyed.replayed) return { result: keyed.replayed };
        await store.read(notYetRead(ahead, facts), facts);
        const built = await prepare(c, facts);
        if (built.after) throw new Error('An operation with SQLite-only extra rows (after) was posted on PostgreSQL; give it declarative rows.');
        let result = emptyResult(built);
        let change: StockChange | undefined;
        // The operation's own rows and its request go in the posting's write statement (or alone, without a document);
        // a `settle` writes after them, in the same transaction.
        const toRecord = { idempotencyKey, operation: request.operation, inputHash: keyed.hash, now: clock() };
        if (built.doc) {
          const doc = built.doc;
          const also = (posted: readonly PostedDocument[]) => store.records(posted[0]!.documentId, built, toRecord, kitRows(built, posted));
          const [posted] = await postedInFormTermsAsync(doc, () => postInTransaction(c, [doc], userId, {}, clock, { chainHeld: true, also }));
          result = { ...result, ...posted!, documentType: doc.type, reference: doc.reference ?? null };
          change = stockChangeOf(built, posted!.documentId);
        } else {
          await store.write(store.records(null, built, toRecord));
        }
        await settle?.(c, result.documentId);
        return { result, ...(change ? { change } : {}) };
      },
      { chainLock: true },
    );
    if (change) this.changed(change);
    return result;
  }
}
