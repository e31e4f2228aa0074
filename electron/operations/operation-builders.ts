import type {
  DespatchInput,
  InboundReturnInput,
  InternalTransferInput,
  PeriodVarianceInput,
  ProductionInput,
  ReceiveInput,
  RefundInput,
  ReverseReceiptInput,
  TransferInput,
  WriteOffInput,
} from '../../shared/contract/operations.schemas';
import type { ReviewableOperation } from '../../shared/operations';
import { buildDespatch, buildWriteOff } from './despatch';
import { effectiveAt, type BuiltOperation } from './operation-writer';
import type { OpsReads } from './ops-reads';
import { buildPeriodVariance, buildProduction } from './production';
import { buildInboundReturn, buildReceipt } from './receive';
import { buildReceiptReversal, buildRefund } from './reversals';
import { buildInternalTransfer, buildTransfer } from './transfer';

/**
 * Each posting operation's document builder, by its method name, over what a store reads: the one set of rules that
 * posting on SQLite, posting on PostgreSQL and the review step share. `reviewing`: the review step, where what posting
 * asks the clerk to confirm (an expired batch received, produced or returned) is said in the notes rather than refused.
 */
export function operationBuilders(ops: OpsReads, clock: () => number, reviewing = false) {
  return {
    receive: (input: ReceiveInput) => buildReceipt(ops, input, effectiveAt(input, clock), reviewing),
    reverseReceipt: (input: ReverseReceiptInput) => buildReceiptReversal(ops, input, effectiveAt(input, clock)),
    despatch: (input: DespatchInput) => buildDespatch(ops, input, effectiveAt(input, clock)),
    refund: (input: RefundInput, userId: number) => buildRefund(ops, input, userId, clock(), reviewing),
    inboundReturn: (input: InboundReturnInput) => buildInboundReturn(ops, input, effectiveAt(input, clock), reviewing),
    transfer: (input: TransferInput) => buildTransfer(ops, input, effectiveAt(input, clock)),
    internalTransfer: (input: InternalTransferInput) => buildInternalTransfer(ops, input, effectiveAt(input, clock), reviewing),
    writeOff: (input: WriteOffInput) => buildWriteOff(ops, input, effectiveAt(input, clock)),
    produce: (input: ProductionInput) => buildProduction(ops, input, effectiveAt(input, clock), reviewing),
    periodVariance: (input: PeriodVarianceInput) => buildPeriodVariance(ops, input, effectiveAt(input, clock)),
  } satisfies Record<ReviewableOperation, (input: never, userId: number) => BuiltOperation>;
}

export type OperationBuilders = ReturnType<typeof operationBuilders>;
/** The input of a posting operation, by its method name. */
export type OperationInput<O extends ReviewableOperation> = Parameters<OperationBuilders[O]>[0];

/** Builds `operation`'s document from its input with these builders. */
export function buildOperation<O extends ReviewableOperation>(builders: OperationBuilders, operation: O, input: OperationInput<O>, userId: number): BuiltOperation {
  return (builders[operation] as (i: OperationInput<O>, u: number) => BuiltOperation)(input, userId);
}
