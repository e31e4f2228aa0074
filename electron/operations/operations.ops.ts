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
  ProductOption,
} from '../../shared/operations';
import type { WorkerContext } from '../ledger/worker-context';
import { AdjustmentDrafts } from './adjustment-drafts';
import { buildDespatch, buildWriteOff } from './despatch';
import { runImport } from './import-job';
import { planImport } from './import-plan';
import { OperationLookups } from './lookups';
import { postOperation } from './operation-writer';
import { OpsDb } from './ops-db';
import { buildPeriodVariance, buildProduction } from './production';
import { buildInboundReturn, buildReceipt } from './receive';
import { buildReceiptReversal, buildRefund } from './reversals';
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
  opsDraftCreate(input: DraftCreateInput, userId: number): DraftDetail;
  opsDraftUpdate(input: DraftUpdateInput): DraftDetail;
  opsDraftSaveLine(input: DraftLineInput): DraftLine;
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
  const ops = new OpsDb(ctx.ledger.db);
  const lookups = new OperationLookups(ctx.ledger.db);
  const drafts = new AdjustmentDrafts(ctx, ops, clock);
  const post = (key: string, userId: number, build: Parameters<typeof postOperation>[4]) => postOperation(ctx, ops, key, userId, build);
  return {
    opsReceive: (input, userId) => post(input.idempotencyKey, userId, () => buildReceipt(ops, input)),
    opsReverseReceipt: (input, userId) => post(input.idempotencyKey, userId, () => buildReceiptReversal(ops, input)),
    opsDespatch: (input, userId) => post(input.idempotencyKey, userId, () => buildDespatch(ops, input)),
    opsRefund: (input, userId) => {
      const n = (ops.db.prepare('SELECT COUNT(*) AS n FROM operation_value_credits WHERE idempotency_key = ?').get(input.idempotencyKey) as { n: number }).n;
      if (n > 0) return { documentId: null, replayed: true, movementCount: 0, firstSeq: null, lastSeq: null, notes: [], valueCredits: n };
      return post(input.idempotencyKey, userId, () => buildRefund(ops, input, userId, clock()));
    },
    opsInboundReturn: (input, userId) => post(input.idempotencyKey, userId, () => buildInboundReturn(ops, input)),
    opsTransfer: (input, userId) => post(input.idempotencyKey, userId, () => buildTransfer(ops, input)),
    opsInternalTransfer: (input, userId) => post(input.idempotencyKey, userId, () => buildInternalTransfer(ops, input)),
    opsWriteOff: (input, userId) => post(input.idempotencyKey, userId, () => buildWriteOff(ops, input)),
    opsProduce: (input, userId) => post(input.idempotencyKey, userId, () => buildProduction(ops, input)),
    opsPeriodVariance: (input, userId) => post(input.idempotencyKey, userId, () => buildPeriodVariance(ops, input)),
    opsDraftCreate: (input, userId) => drafts.create(input, userId),
    opsDraftUpdate: (input) => drafts.update(input),
    opsDraftSaveLine: (input) => drafts.saveLine(input),
    opsDraftDeleteLine: (draftId, lineNo) => drafts.deleteLine(draftId, lineNo),
    opsDraftDelete: (draftId) => drafts.delete(draftId),
    opsDraftList: (status) => drafts.list(status),
    opsDraftGet: (draftId) => drafts.get(draftId),
    opsDraftPost: (draftId, key, userId) => drafts.post(draftId, key, userId),
    opsAdjustmentHistory: (limit, offset) => drafts.history(limit, offset),
    opsImportPreview: async (input) => (await planImport(ops.db, input.csv, input.kind)).preview,
    opsImportStart: (input, userId) => {
      if (!input.csv.trim()) throw new AppError('VALIDATION', 'The file is empty. Choose a CSV file with a header row and data rows.');
      ctx.startJob(input.jobId, 'import', (signal, progress) => runImport(ctx, ops, input, userId, signal, progress));
      return { started: true };
    },
    opsProducts: (search, limit) => lookups.products(search, limit),
    opsBins: (siteId) => lookups.bins(siteId),
    opsAvailability: (productId, siteId) => lookups.availability(productId, siteId),
    opsDocument: (documentId) => lookups.document(documentId),
    opsRecentDocuments: (types, limit) => lookups.recent(types, limit),
  };
}
