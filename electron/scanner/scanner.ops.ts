import type { ParsedScan, ScanResolution } from '../../shared/scanning/scan-types';
import type { WorkerContext } from '../ledger/worker-context';
import { ScanResolver } from './scan-resolver';
import { ScanStore } from './scan-store';
import type { MethodParsedInput } from '../../shared/contract/methods';

/** Scanner operations in the ledger worker (op names prefixed `scanner`). */
export interface ScannerOps {
  scannerResolve(scan: ParsedScan): ScanResolution;
  'scanner.attachBarcode'(input: MethodParsedInput<'scanner.attachBarcode'>): { productId: number; sku: string; barcode: string };
}

export function scannerOps(ctx: WorkerContext): ScannerOps {
  const resolver = new ScanResolver(new ScanStore(ctx.ledger.db));
  return {
    scannerResolve: (scan) => resolver.resolve(scan),
    'scanner.attachBarcode': ({ productId, barcode }) => resolver.attachBarcode(productId, barcode),
  };
}
