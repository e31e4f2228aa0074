import type { operationsMethods } from '../../shared/contract/operations.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';

/** Thin: forwards each operation to the ledger worker with the caller's user id. */
export function createOperationsHandlers(ledger: LedgerClient): HandlersFor<typeof operationsMethods> {
  return {
    'operations.receive': (input, ctx) => ledger.call('opsReceive', input, ctx.userId),
    'operations.reverseReceipt': (input, ctx) => ledger.call('opsReverseReceipt', input, ctx.userId),
    'operations.despatch': (input, ctx) => ledger.call('opsDespatch', input, ctx.userId),
    'operations.refund': (input, ctx) => ledger.call('opsRefund', input, ctx.userId),
    'operations.inboundReturn': (input, ctx) => ledger.call('opsInboundReturn', input, ctx.userId),
    'operations.transfer': (input, ctx) => ledger.call('opsTransfer', input, ctx.userId),
    'operations.internalTransfer': (input, ctx) => ledger.call('opsInternalTransfer', input, ctx.userId),
    'operations.writeOff': (input, ctx) => ledger.call('opsWriteOff', input, ctx.userId),
    'operations.produce': (input, ctx) => ledger.call('opsProduce', input, ctx.userId),
    'operations.periodVariance': (input, ctx) => ledger.call('opsPeriodVariance', input, ctx.userId),
    'operations.review': (input, ctx) => ledger.call('opsReview', input, ctx.userId),
    'operations.draftCreate': (input, ctx) => ledger.call('opsDraftCreate', input, ctx.userId),
    'operations.draftUpdate': (input, ctx) => ledger.call('opsDraftUpdate', input, ctx.userId),
    'operations.draftSaveLine': (input, ctx) => ledger.call('opsDraftSaveLine', input, ctx.userId),
    'operations.draftDeleteLine': (input) => ledger.call('opsDraftDeleteLine', input.draftId, input.lineNo),
    'operations.draftDelete': (input) => ledger.call('opsDraftDelete', input.draftId),
    'operations.draftList': (input) => ledger.call('opsDraftList', input.status),
    'operations.draftGet': (input) => ledger.call('opsDraftGet', input.draftId),
    'operations.draftPost': (input, ctx) => ledger.call('opsDraftPost', input.draftId, input.idempotencyKey, ctx.userId),
    'operations.adjustmentHistory': (input) => ledger.call('opsAdjustmentHistory', input.limit, input.offset),
    'operations.importPreview': (input) => ledger.call('opsImportPreview', input),
    'operations.importStart': (input, ctx) => ledger.call('opsImportStart', input, ctx.userId),
    'operations.products': (input) => ledger.call('opsProducts', input.search, input.limit),
    'operations.bins': (input) => ledger.call('opsBins', input.siteId),
    'operations.availability': (input) => ledger.call('opsAvailability', input.productId, input.siteId),
    'operations.document': (input) => ledger.call('opsDocument', input.documentId),
    'operations.recentDocuments': (input) => ledger.call('opsRecentDocuments', input.types, input.limit),
  };
}
