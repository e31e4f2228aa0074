import type { ParsedScan, ScanResolution } from '../../shared/scanning/scan-types';
import type { WorkerContext } from '../ledger/worker-context';
import { ScanResolver } from './scan-resolver';
import { ScanStore } from './scan-store';

/** Scanner operations in the ledger worker (op names prefixed `scanner`). */
export interface ScannerOps {
  scannerResolve(scan: ParsedScan): ScanResolution;
  scannerAttachBarcode(productId: number, barcode: string): { productId: number; sku: string; barcode: string };
}

export function scannerOps(ctx: WorkerContext): ScannerOps {
  const resolver = new ScanResolver(new ScanStore(ctx.ledger.db));
  return {
    scannerResolve: (scan) => resolver.resolve(scan),
    scannerAttachBarcode: (productId, barcode) => resolver.attachBarcode(productId, barcode),
  };
}
