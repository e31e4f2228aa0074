import type { LedgerClient } from '../ledger/ledger-client';
import { createAppHandlers, type AppFacts } from './app.handlers';
import type { Handlers } from './dispatcher';
import { createLedgerHandlers } from '../ledger/ledger.handlers';
import { createOperationsHandlers } from '../operations/operations.handlers';
import { createEnquiryHandlers } from '../enquiry/enquiry.handlers';
import { createCountsHandlers } from '../counts/counts.handlers';
import { createPostingHandlers } from '../posting/posting.handlers';
import { createScannerHandlers } from '../scanner/scanner.handlers';
import type { ScannerService } from '../scanner/scanner-service';
import { createAuthHandlers } from '../auth/auth.handlers';
import type { SessionStore } from '../auth/sessions';
import { createSafetyHandlers } from '../safety/safety.handlers';
import { createMasterDataHandlers } from '../masterdata/masterdata.handlers';
import { createSuppliersHandlers } from '../suppliers/suppliers.handlers';
import { createCompanyHandlers } from '../company/company.handlers';
import { createRecipesHandlers } from '../recipes/recipes.handlers';
import { createCatalogHandlers } from '../catalog/catalog.handlers';
import type { SafeModeInfo } from '../../shared/safety';
import { createExportsHandlers } from '../exports/exports.handlers';
import type { DownloadTickets } from '../exports/download-tickets';
import { createDesktopHandlers } from '../shell/desktop.handlers';
import type { DesktopServices } from '../shell/desktop-services';

/**
 * The contract's handlers, one factory per capability (`<capability>.handlers.ts`), merged.
 * `satisfies Handlers` makes a missing or extra handler a type error.
 */
export function createHandlers(
  ledger: LedgerClient,
  facts: AppFacts,
  scanner: ScannerService,
  security: { sessions: SessionStore; safeMode: SafeModeInfo | null },
  shell: { desktop: DesktopServices | null; downloads: DownloadTickets },
): Handlers {
  return {
    ...createAppHandlers(ledger, facts),
    ...createLedgerHandlers(ledger),
    ...createOperationsHandlers(ledger),
    ...createEnquiryHandlers(ledger),
    ...createCountsHandlers(ledger),
    ...createPostingHandlers(ledger),
    ...createScannerHandlers(ledger, scanner),
    ...createSafetyHandlers(ledger),
    ...createAuthHandlers(ledger, security.sessions, security.safeMode),
    ...createMasterDataHandlers(ledger),
    ...createSuppliersHandlers(ledger),
    ...createCompanyHandlers(ledger),
    ...createRecipesHandlers(ledger),
    ...createCatalogHandlers(ledger),
    ...createExportsHandlers(ledger, shell.desktop, shell.downloads),
    ...createDesktopHandlers((jobId) => ledger.call('exports.job', { jobId }), shell.desktop),
  } satisfies Handlers;
}
