import type { LedgerOp } from './ledger-protocol';

/**
 * The worker operations a reader thread answers instead of the writer: each only reads the ledger file (no write,
 * not even a lazy catch-up), in one read transaction, and reads nothing the writer holds in memory (its reference
 * cache and stock state, the running jobs, the backup timer). Everything else goes to the writer. Left on the writer
 * on purpose: stock at a date and the stock balance (they fold new movements into the snapshots first), the
 * dashboard (it catches its summary up), the job lists, backups and sign-in.
 */
export const READER_OPS: ReadonlySet<LedgerOp> = new Set<LedgerOp>([
  'sites.list', 'stock.current',
  'enquiry.movements', 'enquiry.count', 'enquiry.batchJourney', 'enquiry.productDetails', 'enquiry.lowStock', 'enquiry.lookups',
  'operations.products', 'operations.bins', 'operations.availability', 'operations.document', 'operations.recentDocuments', 'operations.draftList', 'operations.draftGet', 'operations.adjustmentHistory',
  'counts.list', 'counts.get', 'counts.bins', 'counts.lineCodes', 'counts.lineMovements',
  'masterdata.sites', 'masterdata.bins', 'masterdata.products', 'masterdata.product', 'masterdata.productStock', 'masterdata.history', 'masterdata.variants', 'masterdata.groups',
  'suppliers.list', 'suppliers.codes',
  'company.get',
  'recipes.products', 'recipes.versions', 'recipes.versionAt', 'recipes.explode',
  'posting.documentCustoms',
]);

/** How many reader threads: STOCKBOOK_READER_THREADS (0 turns them off: every read goes to the writer), else 1 per spare core, at most 2. */
export function readerThreads(env: NodeJS.ProcessEnv, cores: number): number {
  const set = env.STOCKBOOK_READER_THREADS;
  if (set !== undefined && set.trim() !== '') {
    const n = Number(set);
    if (Number.isInteger(n) && n >= 0 && n <= 16) return n;
  }
  return Math.max(1, Math.min(2, cores - 1));
}
