import { AppError } from '../../shared/contract/errors';
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
  ReviewableOperation,
} from '../../shared/operations';
import type { WorkerContext } from '../ledger/worker-context';
import { AdjustmentDrafts } from './adjustment-drafts';
import { buildDespatch, buildWriteOff } from './despatch';
import { importContentHash } from './import-file';
import { refuseDuplicateImport } from './import-job';
import { ImportStore } from './import-store';
import { OperationLookups } from './lookups';
import { effectiveAt, postOperation, type BuiltOperation } from './operation-writer';
import { OpsStore } from './ops-store';
import { buildPeriodVariance, buildProduction } from './production';
import { buildInboundReturn, buildReceipt } from './receive';
import { receiptSuppliers } from '../suppliers/receipt-supplier';
import { buildReceiptReversal, buildRefund } from './reversals';
import { reviewOperation } from './review';
import { buildInternalTransfer, buildTransfer } from './transfer';

/** Stock operations in the ledger worker: every document that moves stock, drafts, imports, lookups. */
export interface OperationsOps {
  opsReceive(input: ReceiveInput, userId: number): OperationResult;
  opsReverseReceipt(input: ReverseReceiptInput, userId: number): OperationResult;
  opsDespatch(input: DespatchInput, userId: number): OperationResult;
  opsRefund(input: RefundInput, userId: number): OperationResult;
  opsInboundReturn(input: InboundReturnInput, userId: number): OperationResult;
  opsTransfer(input: TransferInput, userId: number): OperationResult;
  opsInternalTransfer(input: InternalTransferInput, userId: number): OperationResult;
  opsWriteOff(input: WriteOffInput, userId: number): OperationResult;
  opsProduce(input: ProductionInput, userId: number): OperationResult;
  opsPeriodVariance(input: PeriodVarianceInput, userId: number): OperationResult;
  opsReview(input: ReviewInput, userId: number): OperationReview;
  opsDraftCreate(input: DraftCreateInput, userId: number): DraftDetail;
  opsDraftUpdate(input: DraftUpdateInput, userId?: number): DraftDetail;
  opsDraftSaveLine(input: DraftLineInput, userId?: number): DraftLine;
  opsDraftDeleteLine(draftId: number, lineNo: number): DraftDetail;
  opsDraftDelete(draftId: number): { deleted: true };
  opsDraftList(status: 'draft' | 'posted' | 'all'): DraftSummary[];
  opsDraftGet(draftId: number): DraftDetail;
  opsDraftPost(draftId: number, idempotencyKey: string, userId: number): OperationResult;
  opsAdjustmentHistory(limit: number, offset: number): AdjustmentHistoryEntry[];
  opsImportPreview(input: ImportPreviewInput): Promise<ImportPreview>;
  opsImportStart(input: ImportStartInput, userId: number): { started: true };
  opsProducts(search: string, limit: number): ProductOption[];
  opsBins(siteId: number): BinOption[];
  opsAvailability(productId: number, siteId: number): AvailabilityRow[];
  opsDocument(documentId: number): DocumentDetail;
  opsRecentDocuments(types: string[] | undefined, limit: number): DocumentSummary[];
}

export function operationsOps(ctx: WorkerContext, clock: () => number = Date.now): OperationsOps {
  const ops = new OpsStore(ctx.ledger.db);
  const lookups = new OperationLookups(ctx.ledger.db);
  const imports = new ImportStore(ctx.ledger.db);
  const drafts = new AdjustmentDrafts(ctx, ops, clock);
  const suppliers = receiptSuppliers(ctx.ledger.db);
  /** Each posting operation's document builder, by its method name: posting and the review step share them. */
  const builders = {
    receive: (input: ReceiveInput) => buildReceipt(ops, input, suppliers),
    reverseReceipt: (input: ReverseReceiptInput) => buildReceiptReversal(ops, input),
    despatch: (input: DespatchInput) => buildDespatch(ops, input, effectiveAt(input, clock)),
    refund: (input: RefundInput, userId: number) => buildRefund(ops, input, userId, clock()),
    inboundReturn: (input: InboundReturnInput) => buildInboundReturn(ops, input),
    transfer: (input: TransferInput) => buildTransfer(ops, input),
    internalTransfer: (input: InternalTransferInput) => buildInternalTransfer(ops, input),
    writeOff: (input: WriteOffInput) => buildWriteOff(ops, input, effectiveAt(input, clock)),
    produce: (input: ProductionInput) => buildProduction(ops, input, effectiveAt(input, clock)),
    periodVariance: (input: PeriodVarianceInput) => buildPeriodVariance(ops, input),
  } satisfies Record<ReviewableOperation, (input: never, userId: number) => BuiltOperation>;
  const post = <O extends ReviewableOperation>(operation: O, input: Parameters<(typeof builders)[O]>[0], userId: number): OperationResult =>
    postOperation(ctx, ops, input.idempotencyKey, userId, { operation, input }, () => (builders[operation] as (i: typeof input, u: number) => BuiltOperation)(input, userId), clock);
  return {
    opsReceive: (input, userId) => post('receive', input, userId),
    opsReverseReceipt: (input, userId) => post('reverseReceipt', input, userId),
    opsDespatch: (input, userId) => post('despatch', input, userId),
    opsRefund: (input, userId) => {
      // Value-only credits written before requests were recorded: replay them.
      const n = ops.request(input.idempotencyKey) ? 0 : ops.creditsByKey(input.idempotencyKey);
      if (n > 0) return { documentId: null, documentType: null, reference: null, replayed: true, movementCount: 0, firstSeq: null, lastSeq: null, notes: [], valueCredits: n };
      return post('refund', input, userId);
    },
    opsInboundReturn: (input, userId) => post('inboundReturn', input, userId),
    opsTransfer: (input, userId) => post('transfer', input, userId),
    opsInternalTransfer: (input, userId) => post('internalTransfer', input, userId),
    opsWriteOff: (input, userId) => post('writeOff', input, userId),
    opsProduce: (input, userId) => post('produce', input, userId),
    opsPeriodVariance: (input, userId) => post('periodVariance', input, userId),
    opsReview: ({ operation, input }, userId) =>
      reviewOperation(ctx, ops, input.idempotencyKey, userId, { operation, input }, () => (builders[operation] as (i: typeof input, u: number) => BuiltOperation)(input, userId)),
    opsDraftCreate: (input, userId) => drafts.create(input, userId),
    opsDraftUpdate: (input, userId) => drafts.update(input, userId),
    opsDraftSaveLine: (input, userId) => drafts.saveLine(input, userId),
    opsDraftDeleteLine: (draftId, lineNo) => drafts.deleteLine(draftId, lineNo),
    opsDraftDelete: (draftId) => drafts.delete(draftId),
    opsDraftList: (status) => drafts.list(status),
    opsDraftGet: (draftId) => drafts.get(draftId),
    opsDraftPost: (draftId, key, userId) => drafts.post(draftId, key, userId),
    opsAdjustmentHistory: (limit, offset) => drafts.history(limit, offset),
    // Reading and checking a file runs in a job thread on its own read connection, never on the writer.
    opsImportPreview: (input) => ctx.jobs.run('importPreview', input, { signal: new AbortController().signal, progress: () => {} }),
    opsImportStart: (input, userId) => {
      if (!input.csv?.trim() && !input.xlsxBase64) throw new AppError('VALIDATION', 'The file is empty. Choose a CSV or XLSX file with a header row and data rows.');
      const contentHash = importContentHash(input);
      // A resubmit under the same key replays (or is a key conflict) in the job; any other import of known content is refused here, with its details.
      if (!ops.request(input.idempotencyKey) && !imports.postingByKey(input.idempotencyKey)) refuseDuplicateImport(imports, contentHash, input.confirmDuplicate);
      ctx.startJob(input.jobId, 'import', (signal, progress) =>
        ctx.jobs.run('import', { input: { ...input, contentHash }, userId }, { signal, progress }).finally(() => ctx.emit('stock.changed', { documentId: null, reason: 'import' })),
      );
      return { started: true };
    },
    opsProducts: (search, limit) => lookups.products(search, limit),
    opsBins: (siteId) => lookups.bins(siteId),
    opsAvailability: (productId, siteId) => lookups.availability(productId, siteId),
    opsDocument: (documentId) => lookups.document(documentId),
    opsRecentDocuments: (types, limit) => lookups.recent(types, limit),
  };
}
