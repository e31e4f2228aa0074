import { AppError } from '../../shared/contract/errors';
import type { CurrentStockPage, SiteInfo } from '../../shared/domain';
import { UsersStore } from '../auth/users-store';
import { isDemoLoading } from '../demo/demo-marker-store';
import { generateDemo, refuseUnlessNewLedger } from '../demo/generate-demo';
import { ledgerUser, type LedgerCounts } from './core-reads';
import type { VerifyReport } from './store/verify';
import { runNow } from './steps';
import type { WorkerContext } from './worker-context';
import { plural } from '../../shared/plural';
import { externalAnchors } from '../safety/external-anchors-store';
import type { MethodParsedInput } from '../../shared/contract/methods';

export interface LedgerUser {
  id: number;
  username: string;
  displayName: string;
  permissions: string[];
}

/** The core ledger's worker operations. */
export interface CoreOps {
  counts(): LedgerCounts;
  'sites.list'(): SiteInfo[];
  'stock.current'(q: MethodParsedInput<'stock.current'>): CurrentStockPage;
  user(username: string): LedgerUser;
  'demo.load'(jobId: string, options: { movements: number; products?: number; seed?: number }): { started: true };
  'jobs.cancel'(input: MethodParsedInput<'jobs.cancel'>): { cancelled: boolean };
  'ledger.verify'(): VerifyReport;
}

export function coreOps(ctx: WorkerContext): CoreOps {
  const { ledger } = ctx;
  return {
    counts: () => ledger.queries.counts(),
    'sites.list': () => ledger.sites.list(),
    'stock.current': (q) => ledger.queries.current(q),
    user: (username) => runNow(ledgerUser(new UsersStore(ledger.db), username)),
    'demo.load': (jobId, options) => {
      if (isDemoLoading(ledger.db)) {
        throw new AppError('CONFLICT', 'Loading demo data stopped part-way. Restart Stockbook: it clears the partial demo data, and then you can load demo data again.');
      }
      refuseUnlessNewLedger(ledger.db);
      ctx.startJob(jobId, 'demo', async (signal, progress) => {
        try {
          const r = await generateDemo(ledger, { ...options, signal, onProgress: progress });
          progress({ done: r.movements, total: r.movements, phase: 'done' });
          return `Loaded ${plural(r.products, 'product')} and ${plural(r.movements, 'movement')}.`;
        } finally {
          ctx.emit('stock.changed', { documentId: null, reason: 'demo' });
        }
      });
      return { started: true };
    },
    'jobs.cancel': ({ jobId }) => ({ cancelled: ctx.cancelJob(jobId) }),
    // Held to the anchors outside the file too, as `stockbook verify` on the file is.
    'ledger.verify': () => ledger.verify({ externalAnchors: externalAnchors(ledger.db) }),
  };
}
