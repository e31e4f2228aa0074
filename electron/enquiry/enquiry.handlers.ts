import { randomUUID } from 'node:crypto';
import type { enquiryMethods } from '../../shared/contract/enquiry.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';

/** Thin: each method forwards to the ledger worker. */
export function createEnquiryHandlers(ledger: LedgerClient): HandlersFor<typeof enquiryMethods> {
  return {
    'enquiry.movements': (input) => ledger.call('enquiryMovements', input),
    'enquiry.count': (input) => ledger.call('enquiryCount', input.filter, input.cap),
    'enquiry.batchJourney': (input) => ledger.call('enquiryBatchJourney', input.batchId),
    'enquiry.productDetails': (input) => ledger.call('enquiryProductDetails', input.productId),
    'enquiry.stockAt': (input) => ledger.call('enquiryStockAt', input),
    'enquiry.lowStock': (input) => ledger.call('enquiryLowStock', input),
    'enquiry.lookups': (input) => ledger.call('enquiryLookups', input.search),
    'enquiry.rebuildSnapshots': () => ledger.call('enquiryRebuildSnapshots'),
    'enquiry.exportStart': (input) => ledger.call('enquiryExportStart', `export-${randomUUID()}`, input.filter, input.format, input.summary),
    'enquiry.exports': () => ledger.call('enquiryExports'),
    'enquiry.dashboard': (input) => ledger.call('enquiryDashboard', input.days),
    'enquiry.stockBalance': (input) => ledger.call('enquiryStockBalance', input),
    'enquiry.countRefine': (input) => ledger.call('enquiryCountRefine', `count-${randomUUID()}`, input.filter),
  };
}
