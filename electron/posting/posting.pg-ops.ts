import { upToInstant } from '../../shared/business-time';
import { AppError } from '../../shared/contract/errors';
import { pgJobGate, POSTING_JOB, REVERSAL_JOB } from '../exports/export-gate';
import type { PgOpsFactory } from '../ledger/pg/pg-ops';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { runLater } from '../ledger/steps';
import { runPosting } from './batch-runner';
import { controlAccountsSteps, loadPresetSteps, saveControlAccountsSteps } from './control-accounts';
import { PgPostingStore } from './pg-posting-store';
import { ALREADY_RUNNING, previewOf, refuseStaleConfirmation, reverseWhileRunning } from './posting-confirmation';
import { batchReportSteps, reportCsvFile } from './posting-report';
import { reportPdfName } from './posting-report-file';
import { reportPdf } from './posting-report-pdf';
import { correctCustomsDutyPaid, receiptCustomsState } from './receipt-customs';
import { refuseReversal, reverseBatchOn } from './reverse-batch';
import { reversalAsJob } from './reversal-job';
import { BUILTIN_TARGET } from './targets/builtin-ledger';
import { canonicalTargetKey } from './targets/open-target';
import { openPgTarget } from './targets/pg-targets';

/**
 * The Posting window's operations on a PostgreSQL ledger (the twins of posting.ops.ts): the same rules (control
 * accounts, confirmation, batch runner, report, reversal, customs correction) over PgPostingStore. A posting run is a
 * background job in this process; one batch runs at a time across servers (the store's claim): a run started while
 * another server posts waits for it, saying so, and its cancel stops the wait with nothing posted.
 *
 * A file target (hledger journal, CSV folder) is a path on this server's disk; see docs/postgresql.md for several servers.
 *
 * Not here, by design: the checked backup SQLite takes before a run (a PostgreSQL server's backups are pg_dump and
 * point-in-time recovery, outside the app: recovering to just before a run is recovery_target_time = the batch's
 * start, which its report gives, so no restore point is named, which would need a grant the server's user seldom has;
 * docs/postgresql.md, "Finance posting on PostgreSQL"), and the PDF saved beside the ledger file (there is no ledger file: the PDF is made from the
 * batch's saved report whenever it is downloaded).
 */
export const postingPgOps: PgOpsFactory = (ctx) => {
  const store = new PgPostingStore(ctx.pool);
  const gate = pgJobGate(ctx.pool);
  /** This server's run (another server's is held off by the store's claim). */
  let running = false;
  /** "Up to" read in the business time zone, to the second. */
  const upTo = async (to: string) => upToInstant(to, await store.timeZone());
  /**
   * An answer of several statements read from one snapshot (the preview, a report, the trial balance, the control accounts): another
   * server's write never shows in half of it. The preset chart is loaded (a write) before, when the answer needs it.
   */
  const read = async <T>(work: (s: PgPostingStore) => Promise<T>, defaults = false) => {
    if (defaults) await store.ensureDefaults();
    return readSnapshot(ctx.pool, (c) => work(store.readingIn(c)));
  };
  /**
   * A batch's report, from one snapshot. No preset chart is loaded for it (a write): a batch exists only after a run that
   * loaded it, so a report asked for a wrong id is refused and changes nothing, as on SQLite.
   */
  const reportOf = (batchId: number) => read((s) => runLater(batchReportSteps(s, batchId)));
  /** A report with the company's currency, locale and time zone it is printed in, from the same snapshot. */
  const reportInStyle = (batchId: number) => read(async (s) => ({ report: await runLater(batchReportSteps(s, batchId)), style: await s.format() }));
  return {
    'posting.controlAccounts': () => read((s) => runLater(controlAccountsSteps(s)), true),
    'posting.saveControlAccounts': async (input) => {
      // a file target is opened (its chart read) before the transaction: the save never waits for a second connection while it holds one
      const target = input.target === BUILTIN_TARGET ? null : await openPgTarget(store, input.target);
      return store.controlAccountsTransaction((records) => runLater(saveControlAccountsSteps(records, () => target!, input)));
    },
    'posting.loadPreset': ({ preset }) => store.controlAccountsTransaction((records) => runLater(loadPresetSteps(records, preset))),
    'posting.preview': (input) =>
      read(async (s) => {
        const at = upToInstant(input.to, await s.timeZone());
        return previewOf(input, at, await s.unposted(at));
      }),
    'posting.start': async (jobId, input, userId) => {
      if (running) throw new AppError('CONFLICT', ALREADY_RUNNING);
      running = true;
      try {
        const to = await upTo(input.to);
        const stillConfirmed = async () => refuseStaleConfirmation((await store.unposted(to)).movements, input.expectedMovements);
        await stillConfirmed();
        const target = await openPgTarget(store, input.target);
        ctx.startJob(jobId, 'posting', async (signal, progress) => {
          try {
            const waitingPhase = (phase: string) => progress({ done: 0, total: input.expectedMovements, phase });
            // its claim's session and a chunk's transaction count against the pool's gate, with the exports (export-gate.ts)
            const r = await gate.run(signal, waitingPhase, async () => {
              // the gate may have kept it waiting behind exports and imports: what the user confirmed must still hold
              await stillConfirmed();
              const waiting = store.waitingFor({ signal, waiting: waitingPhase, afterWait: stillConfirmed });
              return runPosting(waiting, target, { to, summarised: input.summarised, userId, clock: ctx.clock, signal, onProgress: progress });
            }, POSTING_JOB);
            if (r.status === 'cancelled') throw new AppError('CANCELLED', `Batch ${r.batchId}: ${r.message}`, { batchId: r.batchId });
            return { message: `Batch ${r.batchId}: ${r.message}`, batchId: r.batchId };
          } finally {
            running = false;
          }
        });
      } catch (e) {
        running = false;
        throw e;
      }
      return { started: true };
    },
    'posting.batches': () => store.batches(),
    'posting.report': ({ batchId }) => reportOf(batchId),
    'posting.reportCsv': async ({ batchId }) => {
      const { report, style } = await reportInStyle(batchId);
      return reportCsvFile(report, style);
    },
    'posting.reportPdf': async ({ batchId }) => {
      const { report, style } = await reportInStyle(batchId);
      const bytes = await reportPdf(report, style);
      return { fileName: reportPdfName(batchId), path: null, base64: bytes.toString('base64') };
    },
    'posting.reverse': async ({ batchId, jobId }, { userId }) => {
      // this server's own run holds the posting lock: said as such, not as another server's
      if (running) throw new AppError('CONFLICT', reverseWhileRunning(batchId));
      const b = await store.batch(batchId);
      const target = await openPgTarget(store, b.target);
      // refused now, not after a wait for its turn
      refuseReversal(b, target.key);
      // its claim's session and the mirroring transaction count against the pool's gate, with the exports and posting
      // runs (export-gate.ts): it waits its turn rather than take the connections kept for the clerks' commits, as the
      // client's job saying what it waits behind, and cancelled there with nothing written
      return reversalAsJob(ctx, jobId, (signal, waiting, admitted) =>
        gate.run(signal, waiting, () => {
          admitted();
          // this server's run may have started while the reversal waited its turn
          if (running) throw new AppError('CONFLICT', reverseWhileRunning(batchId));
          return reverseBatchOn(store, target, batchId, userId, ctx.clock());
        }, REVERSAL_JOB));
    },
    'posting.trialBalance': ({ target }) => read((s) => s.trialBalance(canonicalTargetKey(target)), true),
    'posting.documentCustoms': async ({ documentId }) => receiptCustomsState(documentId, await store.documentCustoms(documentId)),
    'posting.setDocumentCustoms': ({ documentId, customsDutyPaid: paid }, { userId }) =>
      store.customsTransaction((records) => runLater(correctCustomsDutyPaid(records, documentId, paid, userId, ctx.clock()))),
  };
};
