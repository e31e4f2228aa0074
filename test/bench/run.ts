import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchOptions } from './bench-options';
import { enquiryBench } from './enquiry.bench';
import { enquiryPagesBench } from './enquiry-pages.bench';
import { serialSearchBench } from './serial-search.bench';
import { countsBench } from './counts.bench';
import { documentPostingBench } from './document-posting.bench';
import { financePosting } from './finance-posting.bench';
import { bulkPosting, commitLatency } from './ledger.bench';
import { importBench } from './operations.bench';
import { jobsBench } from './jobs.bench';
import { productsListBench } from './products-list.bench';
import { backupBench } from './backup.bench';
import { verifyBench } from './verify.bench';
import { catalogBench } from './catalog.bench';
import { scanLatencyBench } from './scan-latency.bench';
import { startupBench } from './startup.bench';
import { windowsBench } from './windows.bench';
import { serverClientsBench } from './server-clients.bench';
import { pgBulkPosting } from './pg-posting.bench';
import { pgFinancePosting } from './pg-finance-posting.bench';
import { pgEnquiryPages } from './pg-enquiry.bench';
import { pgCommitLatency } from './pg-commit.bench';
import { pgTwoServers } from './pg-servers.bench';
import { pgServerClientsBench } from './pg-server-clients.bench';
import { pgStockAt } from './pg-stock-at.bench';
import { sideBySideTable } from './side-by-side';

/**
 * `npm run bench [-- --movements N --commits N --only NAME]`: the hot paths against the raw SQLite
 * ceiling measured in the same run. Prints rates and ratios; never asserted in tests.
 * Each capability adds its section (`<capability>.bench.ts`) to SECTIONS.
 */
const SECTIONS: Record<string, (o: BenchOptions) => Promise<void>> = {
  backup: backupBench,
  'bulk-posting': bulkPosting,
  catalog: catalogBench,
  'commit-latency': commitLatency,
  counts: countsBench,
  'document-posting': documentPostingBench,
  'finance-posting': financePosting,
  enquiry: enquiryBench,
  'enquiry-pages': enquiryPagesBench,
  'serial-search': serialSearchBench,
  import: importBench,
  jobs: jobsBench,
  'products-list': productsListBench,
  'scan-latency': scanLatencyBench,
  verify: verifyBench,
  startup: startupBench,
  windows: windowsBench,
  'server-clients': serverClientsBench,
};
/**
 * `--store postgres`: the sections that exist on PostgreSQL so far, run after the SQLite ones (same run, same machine).
 * Each pair (bulk-posting/pg-bulk-posting, commit-latency/pg-commit-latency, enquiry-pages/pg-enquiry-pages,
 * finance-posting/pg-finance-posting, server-clients/pg-server-clients) reports its figures to side-by-side.ts, printed as
 * one table at the end of the run.
 */
const PG_SECTIONS: Record<string, (o: BenchOptions) => Promise<void>> = {
  'pg-bulk-posting': pgBulkPosting,
  'pg-commit-latency': pgCommitLatency,
  'pg-enquiry-pages': pgEnquiryPages,
  'pg-finance-posting': pgFinancePosting,
  'pg-two-servers': pgTwoServers,
  'pg-server-clients': pgServerClientsBench,
  'pg-stock-at': pgStockAt,
};

const { values } = parseArgs({
  options: {
    movements: { type: 'string', default: '1000000' },
    commits: { type: 'string', default: '10000' },
    only: { type: 'string', multiple: true },
    'full-backup-check': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    store: { type: 'string', default: 'sqlite' },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'stockbook-bench-'));
const options: BenchOptions = { dir, movements: Number(values.movements), commits: Number(values.commits), quick: values.quick };
try {
  const sections = values.store === 'postgres' ? { ...SECTIONS, ...PG_SECTIONS } : SECTIONS;
  for (const [name, run] of Object.entries(sections)) {
    if (values.only && !values.only.includes(name)) continue;
    await run(options);
  }
} finally {
  if (values.store === 'postgres') for (const line of sideBySideTable()) console.log(line);
  rmSync(dir, { recursive: true, force: true });
}
