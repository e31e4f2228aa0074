import type { BatchSummary, ControlAccounts, PostingPreview, PostingReport, ReceiptCustoms, ReceiptCustomsState, TrialBalance } from '../posting';
import { method, returns } from './define-method';
import { documentIdSchema } from './operations.schemas';
import { emptySchema } from './schemas';
import {
  batchIdSchema, documentCustomsSchema, postingPreviewSchema, postingRunSchema, presetSchema, reverseSchema, saveControlAccountsSchema, trialBalanceSchema,
} from './posting.schemas';

export const postingMethods = {
  'posting.controlAccounts': method({
    input: emptySchema,
    result: returns<ControlAccounts>(),
    permission: 'post:finance',
    description: 'Show the chart of accounts and the control-account rule table',
  }),
  'posting.saveControlAccounts': method({
    input: saveControlAccountsSchema,
    result: returns<ControlAccounts>(),
    permission: 'post:finance',
    description: 'Save the chart and rules; refuses codes that do not exist in the target finance system',
  }),
  'posting.loadPreset': method({
    input: presetSchema,
    result: returns<ControlAccounts>(),
    permission: 'post:finance',
    description: "Replace the control accounts with a shipped default (seed 004's table or a single-site shop)",
  }),
  'posting.preview': method({
    input: postingPreviewSchema,
    result: returns<PostingPreview>(),
    permission: 'post:finance',
    description: 'Count the movements unposted up to a date',
  }),
  'posting.start': method({
    input: postingRunSchema,
    result: returns<{ jobId: string }>(),
    permission: 'post:finance',
    description: 'Post every unposted movement up to a date as a background job',
  }),
  'posting.batches': method({
    input: emptySchema,
    result: returns<BatchSummary[]>(),
    permission: 'post:finance',
    description: 'List the posting batches, newest first',
  }),
  'posting.report': method({
    input: batchIdSchema,
    result: returns<PostingReport>(),
    permission: 'post:finance',
    description: 'Show the saved posting report of a batch',
  }),
  'posting.reportCsv': method({
    input: batchIdSchema,
    result: returns<{ fileName: string; csv: string }>(),
    permission: 'post:finance',
    description: 'Get the posting report of a batch as CSV',
  }),
  'posting.reportPdf': method({
    input: batchIdSchema,
    result: returns<{ fileName: string; path: string | null; base64: string }>(),
    permission: 'post:finance',
    description: 'Print the posting report of a batch as a PDF (base64), saved beside the ledger in reports/',
  }),
  'posting.reverse': method({
    input: reverseSchema,
    result: returns<PostingReport>(),
    permission: 'post:finance',
    description: 'Post the mirror of a batch and release its movements for posting again',
  }),
  'posting.trialBalance': method({
    input: trialBalanceSchema,
    result: returns<TrialBalance>(),
    permission: 'post:finance',
    description: 'Show the debits, credits and balance per account of a target',
  }),
  'posting.documentCustoms': method({
    input: documentIdSchema,
    result: returns<ReceiptCustomsState | null>(),
    permission: 'read:stock',
    description: "Show a receipt's customs facts (supplier, non-EC, customs duty paid, posted or not); none for another document or a receipt without a supplier",
  }),
  'posting.setDocumentCustoms': method({
    input: documentCustomsSchema,
    result: returns<ReceiptCustoms>(),
    permission: 'post:finance',
    description: "Correct a receipt's \"customs duty paid\" (audited; refused once the receipt is posted to finance). Non-EC stays the supplier's",
  }),
} as const;
