import { enquiryMethods } from '../../shared/contract/enquiry.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from '../ledger/ledger-client';

/** Every enquiry method forwards to the worker operation of its name (electron/enquiry/enquiry.ops.ts). */
export function createEnquiryHandlers(ledger: LedgerClient): HandlersFor<typeof enquiryMethods> {
  return forwardToLedger(enquiryMethods, ledger);
}
