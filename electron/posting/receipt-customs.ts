import { AppError } from '../../shared/contract/errors';
import { documentLabel } from '../../shared/document-types';
import type { AuditAction } from '../../shared/auth';
import type { ReceiptCustoms, ReceiptCustomsState } from '../../shared/posting';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import type { AuditActor } from '../safety/audit';
import type { ReceiptCustomsRow } from './posting-store';

/** What a customs correction reads and writes, inside one transaction of either store (PostingStore.customsTransaction, PgPostingStore's). */
export interface CustomsRecords {
  /** The document's customs facts, held against a concurrent correction until the transaction ends. */
  documentCustoms(documentId: number): Awaitable<ReceiptCustomsRow | null>;
  setCustomsDutyPaid(documentId: number, customsDutyPaid: boolean): Awaitable<void>;
  username(userId: number): Awaitable<string>;
  audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number): Awaitable<void>;
}

const refuse = (code: 'VALIDATION' | 'CONFLICT' | 'NOT_FOUND', field: string, message: string) => new AppError(code, message, { field });

/** A receipt's customs facts for its document view; null for another document or a receipt without a supplier. */
export function receiptCustomsState(documentId: number, row: ReceiptCustomsRow | null): ReceiptCustomsState | null {
  if (!row || row.type !== 'receipt' || row.nonEc === null || row.customsDutyPaid === null || row.supplierName === null) return null;
  return {
    documentId,
    document: documentLabel(row.type, row.reference),
    supplierName: row.supplierName,
    nonEc: row.nonEc === 1,
    customsDutyPaid: row.customsDutyPaid === 1,
    postedBatch: row.postedBatch,
  };
}

/**
 * A later correction of a receipt's "customs duty paid" (seed 004's customs rule): explicit, audited (before → after,
 * who, when), one transaction. Non-EC is never changed here: it is the supplier's, recorded when the stock was received.
 * Refused, writing nothing, for a document that is not a receipt, a receipt without a supplier, or one already posted
 * to finance (its journal would no longer match: reverse the batch first).
 */
export function* correctCustomsDutyPaid(store: CustomsRecords, documentId: number, customsDutyPaid: boolean, userId: number, now: number): Steps<ReceiptCustoms> {
  const row = yield* value(store.documentCustoms(documentId));
  if (!row || row.type !== 'receipt') {
    throw refuse('NOT_FOUND', 'documentId', `${row ? documentLabel(row.type, row.reference) : 'The document picked'} is not a receipt; customs duty paid is recorded on receipts only. Pick a receipt.`);
  }
  const name = documentLabel(row.type, row.reference);
  if (row.nonEc === null || row.customsDutyPaid === null || row.supplierName === null) {
    throw refuse(
      'VALIDATION',
      'customsDutyPaid',
      `${name} has no supplier, so customs duty is never posted for it (it is posted only for stock from a supplier outside the EC). Nothing was changed.`,
    );
  }
  const before: ReceiptCustoms = { documentId, supplierName: row.supplierName, nonEc: row.nonEc === 1, customsDutyPaid: row.customsDutyPaid === 1 };
  if (before.customsDutyPaid === customsDutyPaid) return before;
  if (row.postedBatch !== null) {
    throw refuse(
      'CONFLICT',
      'customsDutyPaid',
      `${name} is already posted to finance (batch ${row.postedBatch}), so its customs duty paid cannot change. Reverse batch ${row.postedBatch} in the Posting window first, then correct it; nothing was changed.`,
    );
  }
  yield* value(store.setCustomsDutyPaid(documentId, customsDutyPaid));
  const after: ReceiptCustoms = { ...before, customsDutyPaid };
  const actor = { userId, username: yield* value(store.username(userId)) };
  yield* value(store.audit(actor, 'master-data-changed', { record: 'receipt-customs', id: documentId, label: name, before, after }, now));
  return after;
}
