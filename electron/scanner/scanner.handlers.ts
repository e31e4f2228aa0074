import type { scannerMethods } from '../../shared/contract/scanner.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';
import type { ScannerService } from './scanner-service';

/** Thin: scans go to the main-process queue; barcode changes to the ledger worker. */
export function createScannerHandlers(ledger: LedgerClient, scanner: ScannerService): HandlersFor<typeof scannerMethods> {
  return {
    'scanner.submit': (input) => scanner.submit(input),
    'scanner.status': async () => ({ status: scanner.status(), config: scanner.config() }),
    'scanner.configure': async (input) => scanner.configure(input),
    'scanner.attachBarcode': (input) => ledger.call('scannerAttachBarcode', input.productId, input.barcode),
  };
}
