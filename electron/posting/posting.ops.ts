import { upToInstant } from '../../shared/business-time';
import { AppError } from '../../shared/contract/errors';
import type { BatchSummary, ControlAccounts, PostingPreview, PostingReport, ReceiptCustoms, ReceiptCustomsState, TrialBalance } from '../../shared/posting';
import { businessFormat, businessTimeZone } from '../company/business-time-zone';
import type { WorkerContext } from '../ledger/worker-context';
import { backupBeforePosting } from '../safety/backup-service';
import { controlAccountsSteps, loadPresetSteps, saveControlAccountsSteps } from './control-accounts';
import { ALREADY_RUNNING, previewOf, refuseStaleConfirmation, reverseWhileRunning } from './posting-confirmation';
import { batchReportSteps, reportCsvFile } from './posting-report';
import { PostingStore } from './posting-store';
import { correctCustomsDutyPaid, receiptCustomsState } from './receipt-customs';
import { refuseReversal, reverseBatch } from './reverse-batch';
import { reversalAsJob } from './reversal-job';
import { canonicalTargetKey, openTarget } from './targets/open-target';
import { runNow } from '../ledger/steps';
import type { Caller } from '../ledger/caller';
import type { MethodParsedInput } from '../../shared/contract/methods';

export interface PostingOps {
  'posting.controlAccounts'(): ControlAccounts;
  'posting.saveControlAccounts'(input: ControlAccounts & { target: string }): ControlAccounts;
  'posting.loadPreset'(input: MethodParsedInput<'posting.loadPreset'>): ControlAccounts;
  'posting.preview'(input: { to: string; target: string; summarised: boolean }): PostingPreview;
  'posting.start'(jobId: string, input: { to: string; target: string; summarised: boolean; expectedMovements: number }, userId: number): { started: true };
  'posting.batches'(): BatchSummary[];
  'posting.report'(input: MethodParsedInput<'posting.report'>): PostingReport;
  'posting.reportCsv'(input: MethodParsedInput<'posting.reportCsv'>): { fileName: string; csv: string };
  'posting.reportPdf'(input: MethodParsedInput<'posting.reportPdf'>): Promise<{ fileName: string; path: string | null; base64: string }>;
  'posting.reverse'(input: MethodParsedInput<'posting.reverse'>, caller: Caller): Promise<PostingReport>;
  'posting.trialBalance'(input: MethodParsedInput<'posting.trialBalance'>): TrialBalance;
  'posting.documentCustoms'(input: MethodParsedInput<'posting.documentCustoms'>): ReceiptCustomsState | null;
  'posting.setDocumentCustoms'(input: MethodParsedInput<'posting.setDocumentCustoms'>, caller: Caller): ReceiptCustoms;
}

/** Seed 004's control-account check: every code of the rules exists in the chart being saved and in the target. */
export function saveControlAccounts(store: PostingStore, input: ControlAccounts & { target: string }): ControlAccounts {
  return runNow(saveControlAccountsSteps(store, (key) => openTarget(store, key), input));
}

export function postingOps(ctx: WorkerContext): PostingOps {
  let cached: PostingStore | null = null;
  const store = () => (cached ??= new PostingStore(ctx.ledger.db));
  let running = false;
  /** "Up to" read in the business time zone, to the second. */
  const upTo = (to: string) => upToInstant(to, businessTimeZone(ctx.ledger.db));
  const reportOf = (batchId: number): PostingReport => runNow(batchReportSteps(store(), batchId));
  /** The printable report is laid out in a job thread (no cancel: it is short and writes its file atomically). */
  const noCancel = { signal: new AbortController().signal, progress: () => {} };
  /** The printable report is saved beside the ledger; the posting stands even if that write fails (it is made again on download). */
  const savePdf = async (r: PostingReport): Promise<string> => {
    try {
      await ctx.jobs.run('reportPdf', { ledgerPath: ctx.ledger.path, report: r, style: businessFormat(ctx.ledger.db), mode: 'save' }, noCancel);
      return '';
    } catch (e) {
      return ` (the PDF report was not saved: ${e instanceof Error ? e.message : String(e)}; it is made again when you download it)`;
    }
  };
  return {
    'posting.controlAccounts': () => runNow(controlAccountsSteps(store())),
    'posting.saveControlAccounts': (input) => saveControlAccounts(store(), input),
    'posting.loadPreset': ({ preset }) => runNow(loadPresetSteps(store(), preset)),
    'posting.preview': (input) => {
      const at = upTo(input.to);
      return previewOf(input, at, store().unposted(at));
    },
    'posting.start': (jobId, input, userId) => {
      if (running) throw new AppError('CONFLICT', ALREADY_RUNNING);
      refuseStaleConfirmation(store().unposted(upTo(input.to)).movements, input.expectedMovements);
      const target = openTarget(store(), input.target);
      running = true;
      ctx.startJob(jobId, 'posting', async (signal, progress) => {
        try {
          // A checked backup first (issue 8): posting never starts without a good copy to go back to.
          progress({ done: 0, total: 1, phase: 'Backing up before posting' });
          await backupBeforePosting(ctx.ledger);
          // The run reads, builds and writes the target's files in a job thread; its chunks commit here, between the clerks' requests.
          const r = await ctx.jobs.run('posting', { target: target.key, to: upTo(input.to), summarised: input.summarised, userId }, { signal, progress });
          const pdf = await savePdf(r);
          if (r.status === 'cancelled') throw new AppError('CANCELLED', `Batch ${r.batchId}: ${r.message}`, { batchId: r.batchId });
          return { message: `Batch ${r.batchId}: ${r.message}${pdf}`, batchId: r.batchId };
        } finally {
          running = false;
        }
      });
      return { started: true };
    },
    'posting.batches': () => store().batches(),
    'posting.report': ({ batchId }) => reportOf(batchId),
    'posting.reportCsv': ({ batchId }) => reportCsvFile(reportOf(batchId), businessFormat(ctx.ledger.db)),
    'posting.reportPdf': async ({ batchId }) => {
      const pdf = await ctx.jobs.run('reportPdf', { ledgerPath: ctx.ledger.path, report: reportOf(batchId), style: businessFormat(ctx.ledger.db), mode: 'load' }, noCancel);
      if (!('bytes' in pdf)) throw new Error('the PDF report came back without its bytes');
      return { fileName: pdf.fileName, path: pdf.path, base64: Buffer.from(pdf.bytes).toString('base64') };
    },
    'posting.reverse': async ({ batchId, jobId }, { userId }) => {
      // The run writes its chunks and the finance target's files between clerks' requests: a reversal among them would write the same journal.
      if (running) throw new AppError('CONFLICT', reverseWhileRunning(batchId));
      const b = store().batch(batchId);
      const target = openTarget(store(), b.target);
      refuseReversal(b, target.key);
      // nothing to wait for here (one writer): the client's job starts and ends with the reversal, as on PostgreSQL
      return reversalAsJob(ctx, jobId, async () => {
        const r = reverseBatch(store(), target, batchId, userId, Date.now());
        await savePdf(r);
        return r;
      });
    },
    'posting.trialBalance': ({ target }) => store().trialBalance(canonicalTargetKey(target)),
    'posting.documentCustoms': ({ documentId }) => receiptCustomsState(documentId, store().documentCustoms(documentId)),
    'posting.setDocumentCustoms': ({ documentId, customsDutyPaid: paid }, { userId }) =>
      store().customsTransaction((records) => runNow(correctCustomsDutyPaid(records, documentId, paid, userId, Date.now()))),
  };
}
