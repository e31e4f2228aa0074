import { catalogMethods } from '../../shared/contract/catalog.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from '../ledger/ledger-client';

/** Every catalog method forwards to the worker operation of its name with the caller (each sheet checks the caller's permissions there). */
export function createCatalogHandlers(ledger: LedgerClient): HandlersFor<typeof catalogMethods> {
  return forwardToLedger(catalogMethods, ledger);
}
