import type { companyMethods } from '../../shared/contract/company.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';

/** Thin: forwards each company method to the ledger worker with the caller's user id. */
export function createCompanyHandlers(ledger: LedgerClient): HandlersFor<typeof companyMethods> {
  return {
    'company.get': () => ledger.call('companyGet'),
    'company.update': (input, ctx) => ledger.call('companyUpdate', input, ctx.userId),
    'company.setupStep': (input) => ledger.call('companySetupStep', input.step),
  };
}
