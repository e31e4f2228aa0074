import { REVIEWABLE_OPERATIONS, type OperationResult, type OperationReview, type ReviewableOperation } from '../../shared/operations';
import type { Caller } from '../ledger/caller';
import type { Awaitable } from '../ledger/steps';
import type { WorkerContext } from '../ledger/worker-context';
import { buildOperation, operationBuilders, type OperationInput } from './operation-builders';
import { postOperation } from './operation-writer';
import type { OpsStore } from './ops-store';
import { reviewOperation } from './review';

/**
 * The stock operations on either store: an operation's input built into its document by the same builders
 * (operation-builders.ts) and posted under its idempotency key by the same rule (request-fingerprint.ts
 * submitUnderKey), or reviewed: built and posted in a transaction that is always rolled back. SQLite's
 * (WorkerOperations, on the ledger worker's writer) answers at once; PostgreSQL's (pg-operations.ts PgOperations,
 * one transaction under the chain lock) later.
 */
export interface StockOperations {
  /** Posts `operation` with its input as `userId`. */
  post<O extends ReviewableOperation>(operation: O, input: OperationInput<O>, userId: number): Awaitable<OperationResult>;
  /** What posting would write (or the error it would raise), nothing kept. */
  review<O extends ReviewableOperation>(operation: O, input: OperationInput<O>, userId: number): Awaitable<OperationReview>;
}

/**
 * StockOperations as SQLite answers them, at once (the worker's operations answer in the same turn). Declared here
 * rather than as AnsweredNow<StockOperations> (store-answers.ts), which would fix `O` at every operation and let an
 * input of one operation through for another.
 */
export interface StockOperationsNow extends StockOperations {
  post<O extends ReviewableOperation>(operation: O, input: OperationInput<O>, userId: number): OperationResult;
  review<O extends ReviewableOperation>(operation: O, input: OperationInput<O>, userId: number): OperationReview;
}

/** The stock operations on SQLite: each one transaction on the ledger worker's writer (operation-writer.ts, review.ts). */
export class WorkerOperations implements StockOperationsNow {
  private readonly builders;
  private readonly reviewBuilders;
  constructor(
    private readonly ctx: WorkerContext,
    private readonly ops: OpsStore,
    private readonly clock: () => number = Date.now,
  ) {
    this.builders = operationBuilders(ops, clock);
    this.reviewBuilders = operationBuilders(ops, clock, true);
  }

  post<O extends ReviewableOperation>(operation: O, input: OperationInput<O>, userId: number): OperationResult {
    return postOperation(this.ctx, this.ops, input.idempotencyKey, userId, { operation, input }, () => buildOperation(this.builders, operation, input, userId), this.clock);
  }

  review<O extends ReviewableOperation>(operation: O, input: OperationInput<O>, userId: number): OperationReview {
    return reviewOperation(this.ctx, this.ops, input.idempotencyKey, userId, { operation, input }, () => buildOperation(this.reviewBuilders, operation, input, userId));
  }
}

/** The contract's posting operations (`operations.receive` … `operations.periodVariance`), each answered as `R`. */
export type PostingOps<R> = { [O in ReviewableOperation as `operations.${O}`]: (input: OperationInput<O>, caller: Caller) => R };

/**
 * Each posting operation of the contract posted through `post` as the caller, the same map on both stores
 * (operations.ops.ts gives WorkerOperations', operations.pg-ops.ts PgOperations').
 */
export function postingOps<R>(post: <O extends ReviewableOperation>(operation: O, input: OperationInput<O>, userId: number) => R): PostingOps<R> {
  return Object.fromEntries(REVIEWABLE_OPERATIONS.map((o) => [`operations.${o}`, (input: OperationInput<typeof o>, caller: Caller) => post(o, input, caller.userId)])) as PostingOps<R>;
}
