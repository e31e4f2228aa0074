import type { suppliersMethods } from '../../shared/contract/suppliers.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';

/** Thin: forwards each suppliers method to the ledger worker with the caller's user id. */
export function createSuppliersHandlers(ledger: LedgerClient): HandlersFor<typeof suppliersMethods> {
  return {
    'suppliers.list': (input) => ledger.call('suppliersList', input),
    'suppliers.create': (input, ctx) => ledger.call('suppliersCreate', input, ctx.userId),
    'suppliers.update': (input, ctx) => ledger.call('suppliersUpdate', input, ctx.userId),
    'suppliers.codes': (input) => ledger.call('suppliersCodes', input),
    'suppliers.codeAdd': (input, ctx) => ledger.call('suppliersCodeAdd', input, ctx.userId),
    'suppliers.codeRemove': (input, ctx) => ledger.call('suppliersCodeRemove', input.id, ctx.userId),
  };
}
