import { upToInstant } from '../../shared/business-time';
import { AppError } from '../../shared/contract/errors';
import type { BatchSummary, ControlAccounts, PostingPreview, PostingReport, ReceiptCustoms, ReceiptCustomsState, TrialBalance } from '../../shared/posting';
import { businessTimeZone } from '../company/business-time-zone';
import type { WorkerContext } from '../ledger/worker-context';
import { backupBeforePosting } from '../safety/backup-service';
import { checkCodesExist } from './batch-runner';
import { presetControlAccounts } from './default-rules';
import { buildReport, reportCsv } from './posting-report';
import { PostingStore } from './posting-store';
import { correctCustomsDutyPaid, receiptCustomsState } from './receipt-customs';
import { reverseBatch } from './reverse-batch';
import { BUILTIN_TARGET } from './targets/builtin-ledger';
import type { FinanceTarget } from './targets/finance-target';
import { canonicalTargetKey, openTarget } from './targets/open-target';
import { plural } from '../../shared/plural';
import type { Caller } from '../ledger/caller';
import type { MethodParsedInput } from '../../shared/contract/methods';

export interface PostingOps {
  'posting.controlAccounts'(): ControlAccounts;
  'posting.saveControlAccounts'(input: ControlAccounts & { target: string }): ControlAccounts;
  'posting.loadPreset'(input: MethodParsedInput<'posting.loadPreset'>): ControlAccounts;
  'posting.preview'(input: { to: string; target: string; summarised: boolean }): PostingPreview;
  postingStart(jobId: string, input: { to: string; target: string; summarised: boolean; expectedMovements: number }, userId: number): { started: true };
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
  const codes = input.rules.flatMap((r) => [r.debit, r.credit]);
  const chart: FinanceTarget = { key: 'chart', label: 'the chart of accounts', chartOfAccounts: () => input.accounts, lastEntryId: () => 0, entriesHeld: () => 0, sync: () => {}, startMark: () => null, findBatch: () => ({ found: false, entries: 0 }) };
  checkCodesExist(chart, codes);
  if (input.target !== BUILTIN_TARGET) checkCodesExist(openTarget(store, input.target), codes);
  store.replaceControlAccounts({ accounts: input.accounts, rules: input.rules });
  return { accounts: store.accounts(), rules: store.rules() };
}

export function postingOps(ctx: WorkerContext): PostingOps {
  let cached: PostingStore | null = null;
  const store = () => (cached ??= new PostingStore(ctx.ledger.db));
  let running = false;
  /** "Up to" read in the business time zone, to the second. */
  const upTo = (to: string) => upToInstant(to, businessTimeZone(ctx.ledger.db));
  const reportOf = (batchId: number): PostingReport => {
    const b = store().batch(batchId);
    return b.report ? (JSON.parse(b.report) as PostingReport) : buildReport(store(), b, b.next_entry - 1, 'Still running.');
  };
  /** The printable report is laid out in a job thread (no cancel: it is short and writes its file atomically). */
  const noCancel = { signal: new AbortController().signal, progress: () => {} };
  /** The printable report is saved beside the ledger; the posting stands even if that write fails (it is made again on download). */
  const savePdf = async (r: PostingReport): Promise<string> => {
    try {
      await ctx.jobs.run('reportPdf', { ledgerPath: ctx.ledger.path, report: r, timeZone: businessTimeZone(ctx.ledger.db), mode: 'save' }, noCancel);
      return '';
    } catch (e) {
      return ` (the PDF report was not saved: ${e instanceof Error ? e.message : String(e)}; it is made again when you download it)`;
    }
  };
  return {
    'posting.controlAccounts': () => ({ accounts: store().accounts(), rules: store().rules() }),
    'posting.saveControlAccounts': (input) => saveControlAccounts(store(), input),
    'posting.loadPreset': ({ preset }) => {
      store().replaceControlAccounts(presetControlAccounts(preset));
      return { accounts: store().accounts(), rules: store().rules() };
    },
    'posting.preview': ({ to, target, summarised }) => {
      const at = upTo(to);
      const u = store().unposted(at);
      const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
      return { to: new Date(at).toISOString(), target, summarised, unposted: u.movements, unpostedValueCredits: u.valueCredits, firstAt: iso(u.first), lastAt: iso(u.last) };
    },
    postingStart: (jobId, input, userId) => {
      if (running) throw new AppError('CONFLICT', 'A posting run is already in progress. Wait for it to finish or cancel it.');
      // A stale confirmation must not post something different from what the user confirmed.
      const now = store().unposted(upTo(input.to)).movements;
      if (now !== input.expectedMovements) {
        throw new AppError(
          'CONFLICT',
          `${plural(now, 'movement')} ${now === 1 ? 'is' : 'are'} unposted up to that time now, not the ${input.expectedMovements.toLocaleString('en-GB')} you confirmed: movements were recorded or posted since. Nothing was posted; review the posting again and confirm the new count.`,
          { expectedMovements: input.expectedMovements, unposted: now },
        );
      }
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
          if (r.status === 'cancelled') throw new AppError('CANCELLED', `Batch ${r.batchId}: ${r.message}`);
          return `Batch ${r.batchId}: ${r.message}${pdf}`;
        } finally {
          running = false;
        }
      });
      return { started: true };
    },
    'posting.batches': () => store().listBatches(),
    'posting.report': ({ batchId }) => reportOf(batchId),
    'posting.reportCsv': ({ batchId }) => ({ fileName: `posting-batch-${batchId}.csv`, csv: reportCsv(reportOf(batchId), businessTimeZone(ctx.ledger.db)) }),
    'posting.reportPdf': async ({ batchId }) => {
      const pdf = await ctx.jobs.run('reportPdf', { ledgerPath: ctx.ledger.path, report: reportOf(batchId), timeZone: businessTimeZone(ctx.ledger.db), mode: 'load' }, noCancel);
      if (!('bytes' in pdf)) throw new Error('the PDF report came back without its bytes');
      return { fileName: pdf.fileName, path: pdf.path, base64: Buffer.from(pdf.bytes).toString('base64') };
    },
    'posting.reverse': async ({ batchId }, { userId }) => {
      const b = store().batch(batchId);
      const r = reverseBatch(store(), openTarget(store(), b.target), batchId, userId, Date.now());
      await savePdf(r);
      return r;
    },
    'posting.trialBalance': ({ target }) => store().trialBalance(canonicalTargetKey(store(), target)),
    'posting.documentCustoms': ({ documentId }) => receiptCustomsState(store(), documentId),
    'posting.setDocumentCustoms': ({ documentId, customsDutyPaid: paid }, { userId }) => correctCustomsDutyPaid(store(), documentId, paid, userId, Date.now()),
  };
}
