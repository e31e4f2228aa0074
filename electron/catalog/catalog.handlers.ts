import type { catalogMethods } from '../../shared/contract/catalog.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';

/** Thin: forwards to the ledger worker with the caller's user id and permissions (each sheet checks its own). */
export function createCatalogHandlers(ledger: LedgerClient): HandlersFor<typeof catalogMethods> {
  return {
    'catalog.preview': (input, ctx) => ledger.call('catalogPreview', input, ctx.permissions),
    'catalog.importStart': (input, ctx) => ledger.call('catalogImportStart', input, ctx.userId, ctx.permissions),
    'catalog.export': (input) => ledger.call('catalogExport', input),
  };
}
