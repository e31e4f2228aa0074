import type {
  DespatchInput,
  DraftCreateInput,
  DraftLineInput,
  DraftUpdateInput,
  ImportPreviewInput,
  ImportStartInput,
  InboundReturnInput,
  InternalTransferInput,
  PeriodVarianceInput,
  ProductionInput,
  RefundInput,
  ReceiveInput,
  ReverseReceiptInput,
  ReviewInput,
  TransferInput,
  WriteOffInput,
} from '../../shared/contract/operations.schemas';
import type {
  AdjustmentHistoryEntry,
  AvailabilityRow,
  BinOption,
  DocumentDetail,
  DocumentSummary,
  DraftDetail,
  DraftLine,
  DraftSummary,
  ImportPreview,
  OperationResult,
  OperationReview,
  ProductOption,
} from '../../shared/operations';
import type { MethodParsedInput } from '../../shared/contract/methods';
import type { Caller } from '../ledger/caller';
import type { WorkerContext } from '../ledger/worker-context';
import { AdjustmentDrafts } from './adjustment-drafts';
import { sqliteImportRecords } from './import-chunks';
import { runNow } from '../ledger/steps';
import type { AnsweredNow } from '../ledger/store-answers';
import { ImportStore } from './import-store';
import { OperationLookups } from './lookups';
import { OpsStore } from './ops-store';
import { reviewEveryLine } from './review-every-line';
import { WorkerImports, type StockImports } from './stock-imports';
import { postingOps, WorkerOperations, type StockOperationsNow } from './stock-operations';

/** Stock operations in the ledger worker: every document that moves stock (stock-operations.ts, as PostgreSQL's), drafts, imports, lookups. */
export interface OperationsOps {
  'operations.receive'(input: ReceiveInput, caller: Caller): OperationResult;
  'operations.reverseReceipt'(input: ReverseReceiptInput, caller: Caller): OperationResult;
  'operations.despatch'(input: DespatchInput, caller: Caller): OperationResult;
  'operations.refund'(input: RefundInput, caller: Caller): OperationResult;
  'operations.inboundReturn'(input: InboundReturnInput, caller: Caller): OperationResult;
  'operations.transfer'(input: TransferInput, caller: Caller): OperationResult;
  'operations.internalTransfer'(input: InternalTransferInput, caller: Caller): OperationResult;
  'operations.writeOff'(input: WriteOffInput, caller: Caller): OperationResult;
  'operations.produce'(input: ProductionInput, caller: Caller): OperationResult;
  'operations.periodVariance'(input: PeriodVarianceInput, caller: Caller): OperationResult;
  'operations.review'(input: ReviewInput, caller: Caller): OperationReview;
  'operations.draftCreate'(input: DraftCreateInput, caller: Caller): DraftDetail;
  'operations.draftUpdate'(input: DraftUpdateInput, caller?: Caller): DraftDetail;
  'operations.draftSaveLine'(input: DraftLineInput, caller?: Caller): DraftLine;
  'operations.draftDeleteLine'(input: MethodParsedInput<'operations.draftDeleteLine'>): DraftDetail;
  'operations.draftDelete'(input: MethodParsedInput<'operations.draftDelete'>): { deleted: true };
  'operations.draftList'(input: MethodParsedInput<'operations.draftList'>): DraftSummary[];
  'operations.draftGet'(input: MethodParsedInput<'operations.draftGet'>): DraftDetail;
  'operations.draftPost'(input: MethodParsedInput<'operations.draftPost'>, caller: Caller): OperationResult;
  'operations.adjustmentHistory'(input: MethodParsedInput<'operations.adjustmentHistory'>): AdjustmentHistoryEntry[];
  'operations.importPreview'(input: ImportPreviewInput): Promise<ImportPreview>;
  'operations.importStart'(input: ImportStartInput, caller: Caller): { started: true };
  'operations.products'(input: MethodParsedInput<'operations.products'>): ProductOption[];
  'operations.bins'(input: MethodParsedInput<'operations.bins'>): BinOption[];
  'operations.availability'(input: MethodParsedInput<'operations.availability'>): AvailabilityRow[];
  'operations.document'(input: MethodParsedInput<'operations.document'>): DocumentDetail;
  'operations.recentDocuments'(input: MethodParsedInput<'operations.recentDocuments'>): DocumentSummary[];
}

export function operationsOps(ctx: WorkerContext, clock: () => number = Date.now): OperationsOps {
  const ops = new OpsStore(ctx.ledger.db);
  const lookups = new OperationLookups(ctx.ledger.db);
  const imports: AnsweredNow<StockImports> = new WorkerImports(ctx, sqliteImportRecords(ops, new ImportStore(ctx.ledger.db)));
  const drafts = new AdjustmentDrafts(ctx, ops, clock);
  const operations: StockOperationsNow = new WorkerOperations(ctx, ops, clock);
  return {
    ...postingOps((operation, input, userId) => operations.post(operation, input, userId)),
    // Every bad line told at once: a refused line is left out and the rest reviewed again (review-every-line.ts).
    'operations.review': (review, caller) => {
      if (review.operation === 'draftPost') return drafts.review(review.input.draftId, review.input.idempotencyKey, caller.userId, review.input.confirmExpired);
      const { operation, input } = review;
      return runNow(reviewEveryLine(input, (sent) => operations.review(operation, sent, caller.userId)));
    },
    'operations.draftCreate': (input, caller) => drafts.draftCreate(input, caller.userId),
    'operations.draftUpdate': (input, caller) => drafts.draftUpdate(input, caller?.userId),
    'operations.draftSaveLine': (input, caller) => drafts.draftSaveLine(input, caller?.userId),
    'operations.draftDeleteLine': ({ draftId, lineNo }) => drafts.draftDeleteLine(draftId, lineNo),
    'operations.draftDelete': ({ draftId }) => drafts.draftDelete(draftId),
    'operations.draftList': ({ status }) => drafts.draftList(status),
    'operations.draftGet': ({ draftId }) => drafts.draftGet(draftId),
    'operations.draftPost': ({ draftId, idempotencyKey, confirmExpired }, caller) => drafts.draftPost(draftId, idempotencyKey, caller.userId, confirmExpired),
    'operations.adjustmentHistory': ({ limit, offset }) => drafts.adjustmentHistory(limit, offset),
    'operations.importPreview': (input) => imports.importPreview(input),
    'operations.importStart': (input, caller) => imports.importStart(input, caller.userId),
    'operations.products': ({ search, limit }) => lookups.products(search, limit),
    'operations.bins': ({ siteId }) => lookups.bins(siteId),
    'operations.availability': ({ productId, siteId }) => lookups.availability(productId, siteId),
    'operations.document': ({ documentId }) => lookups.document(documentId),
    'operations.recentDocuments': ({ types, limit }) => lookups.recentDocuments(types, limit),
  };
}
