import { operationsMethods } from '../../shared/contract/operations.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from '../ledger/ledger-client';

/** Every operation forwards to the worker operation of its name (electron/operations/operations.ops.ts). */
export function createOperationsHandlers(ledger: LedgerClient): HandlersFor<typeof operationsMethods> {
  return forwardToLedger(operationsMethods, ledger);
}
