import type { CurrentStockPage, SiteInfo } from '../domain';
import { method, returns } from './define-method';
import { currentStockQuerySchema, emptySchema } from './schemas';

/** Reads of the core ledger. Nothing here writes: every write is an operation (operations.*, counts.*), never a raw document. */
export const ledgerMethods = {
  'sites.list': method({
    input: emptySchema,
    result: returns<SiteInfo[]>(),
    permission: 'read:stock',
    description: 'All sites incl. the External pseudo-site',
  }),
  'stock.current': method({
    input: currentStockQuerySchema,
    result: returns<CurrentStockPage>(),
    permission: 'read:stock',
    description: 'Current stock per product and site',
  }),
} as const;
