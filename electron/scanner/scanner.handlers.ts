import { scannerMethods } from '../../shared/contract/scanner.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from '../ledger/ledger-client';
import type { ScannerService } from './scanner-service';

/** Attaching a barcode forwards to the worker operation of its name; the rest is the main process's scan queue and driver. */
export function createScannerHandlers(ledger: LedgerClient, scanner: ScannerService): HandlersFor<typeof scannerMethods> {
  return forwardToLedger(scannerMethods, ledger, {
    // Hand-written: the scan queue, the driver's status and its settings live in the main process.
    'scanner.submit': (input) => scanner.submit(input),
    'scanner.status': async () => ({ status: scanner.status(), config: scanner.config() }),
    'scanner.configure': async (input) => scanner.configure(input),
  });
}
