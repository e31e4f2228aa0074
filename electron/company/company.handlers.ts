import { companyMethods } from '../../shared/contract/company.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from '../ledger/ledger-client';

/** Every company method forwards to the worker operation of its name (electron/company/company.ops.ts). */
export function createCompanyHandlers(ledger: LedgerClient): HandlersFor<typeof companyMethods> {
  return forwardToLedger(companyMethods, ledger);
}
