import type { postingMethods } from '../../shared/contract/posting.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';
import { newJobId } from '../jobs/job-owners';

export function createPostingHandlers(ledger: LedgerClient): HandlersFor<typeof postingMethods> {
  return {
    'posting.controlAccounts': () => ledger.call('postingControlAccounts'),
    'posting.saveControlAccounts': (input) => ledger.call('postingSaveControlAccounts', input),
    'posting.loadPreset': (input) => ledger.call('postingLoadPreset', input.preset),
    'posting.preview': (input) => ledger.call('postingPreview', input),
    'posting.start': async (input, ctx) => {
      const jobId = newJobId('posting', ctx);
      await ledger.call('postingStart', jobId, input, ctx.userId);
      return { jobId };
    },
    'posting.batches': () => ledger.call('postingBatches'),
    'posting.report': (input) => ledger.call('postingReport', input.batchId),
    'posting.reportCsv': (input) => ledger.call('postingReportCsv', input.batchId),
    'posting.reportPdf': (input) => ledger.call('postingReportPdf', input.batchId),
    'posting.reverse': (input, ctx) => ledger.call('postingReverse', input.batchId, ctx.userId),
    'posting.trialBalance': (input) => ledger.call('postingTrialBalance', input.target),
    'posting.documentCustoms': (input) => ledger.call('postingDocumentCustoms', input.documentId),
    'posting.setDocumentCustoms': (input, ctx) => ledger.call('postingSetDocumentCustoms', input.documentId, input.customsDutyPaid, ctx.userId),
  };
}
