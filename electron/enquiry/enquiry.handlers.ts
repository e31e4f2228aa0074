import { enquiryMethods } from '../../shared/contract/enquiry.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import { newJobId } from '../jobs/job-owners';
import type { LedgerClient } from '../ledger/ledger-client';

/**
 * Every enquiry method forwards to the worker operation of its name (electron/enquiry/enquiry.ops.ts), except the two that
 * start a job: their job id is made here, for the caller's session, before the job can report, so its progress and result
 * go to that session only.
 */
export function createEnquiryHandlers(ledger: LedgerClient): HandlersFor<typeof enquiryMethods> {
  return forwardToLedger(enquiryMethods, ledger, {
    'enquiry.exportStart': (input, ctx) => ledger.call('enquiry.exportStart', newJobId('export', ctx), input),
    'enquiry.countRefine': (input, ctx) => ledger.call('enquiry.countRefine', newJobId('count', ctx), input),
  });
}
