import type { CurrentStockPage, SiteInfo } from '../domain';
import { method, returns } from './define-method';
import { currentStockQuerySchema, emptySchema } from './schemas';

/** What `stockbook verify` reports: each invariant, whether it holds, and the first problems found. */
export interface LedgerVerifyReport {
  ok: boolean;
  movements: number;
  checks: { name: string; invariant: string; ok: boolean; problems: string[] }[];
}

/** Reads of the core ledger. Nothing here writes: every write is an operation (operations.*, counts.*), never a raw document. */
export const ledgerMethods = {
  'sites.list': method({
    input: emptySchema,
    result: returns<SiteInfo[]>(),
    permission: 'read:stock',
    description: 'List all sites incl. the External pseudo-site',
  }),
  'stock.current': method({
    input: currentStockQuerySchema,
    result: returns<CurrentStockPage>(),
    permission: 'read:stock',
    description: 'Show current stock per product and site',
  }),
  'ledger.verify': method({
    input: emptySchema,
    result: returns<LedgerVerifyReport>(),
    permission: 'manage:data',
    description: 'Check every ledger invariant (what stockbook verify prints), e.g. from the CLI against a server',
  }),
} as const;
