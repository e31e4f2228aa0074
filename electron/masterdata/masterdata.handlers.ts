import type { masterdataMethods } from '../../shared/contract/masterdata.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';

/** Thin: forwards each master-data method to the ledger worker with the caller's user id. */
export function createMasterDataHandlers(ledger: LedgerClient): HandlersFor<typeof masterdataMethods> {
  return {
    'masterdata.sites': () => ledger.call('mdSites'),
    'masterdata.siteCreate': (input, ctx) => ledger.call('mdSiteCreate', input, ctx.userId),
    'masterdata.siteUpdate': (input, ctx) => ledger.call('mdSiteUpdate', input, ctx.userId),
    'masterdata.bins': (input) => ledger.call('mdBins', input.siteId),
    'masterdata.binCreate': (input, ctx) => ledger.call('mdBinCreate', input, ctx.userId),
    'masterdata.binUpdate': (input, ctx) => ledger.call('mdBinUpdate', input, ctx.userId),
    'masterdata.products': (input) => ledger.call('mdProducts', input),
    'masterdata.product': (input) => ledger.call('mdProduct', input.id),
    'masterdata.productStock': (input) => ledger.call('mdProductStock', input.productId),
    'masterdata.history': (input) => ledger.call('mdHistory', input),
    'masterdata.productCreate': (input, ctx) => ledger.call('mdProductCreate', input, ctx.userId),
    'masterdata.productUpdate': (input, ctx) => ledger.call('mdProductUpdate', input, ctx.userId),
    'masterdata.productDelete': (input, ctx) => ledger.call('mdProductDelete', input.id, ctx.userId),
    'masterdata.variants': (input) => ledger.call('mdVariants', input.parentId),
    'masterdata.variantsCreate': (input, ctx) => ledger.call('mdVariantsCreate', input, ctx.userId),
    'masterdata.groups': () => ledger.call('mdGroups'),
    'masterdata.groupCreate': (input, ctx) => ledger.call('mdGroupCreate', input, ctx.userId),
    'masterdata.groupUpdate': (input, ctx) => ledger.call('mdGroupUpdate', input, ctx.userId),
  };
}
