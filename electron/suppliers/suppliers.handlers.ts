import { suppliersMethods } from '../../shared/contract/suppliers.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from '../ledger/ledger-client';

/** Every suppliers method forwards to the worker operation of its name (electron/suppliers/suppliers.ops.ts). */
export function createSuppliersHandlers(ledger: LedgerClient): HandlersFor<typeof suppliersMethods> {
  return forwardToLedger(suppliersMethods, ledger);
}
