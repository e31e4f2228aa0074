import type { CurrentStockPage, PostedDocument, SiteInfo } from '../domain';
import { method, returns } from './define-method';
import { currentStockQuerySchema, emptySchema, postDocumentSchema } from './schemas';

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
  'ledger.postDocument': method({
    input: postDocumentSchema,
    result: returns<PostedDocument>(),
    permission: 'post:movements',
    description: 'Post one document of movements atomically and idempotently',
  }),
} as const;
