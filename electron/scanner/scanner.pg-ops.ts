import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import type { PgOpsFactory } from '../ledger/pg/pg-ops';
import { runLater } from '../ledger/steps';
import { attachBarcodeSteps } from './barcode-attach';
import { PgBarcodeStore } from './pg-barcode-store';
import { PgScanStore } from './pg-scan-store';
import { resolveScanSteps } from './scan-resolver';

/**
 * The scanner's operations on a PostgreSQL ledger (the twins of scanner.ops.ts's), with the same rules: a scan
 * resolved by resolveScanSteps (reads on the pool), a barcode attached by attachBarcodeSteps in one transaction.
 */
export const scannerPgOps: PgOpsFactory = (ctx) => ({
  scannerResolve: (scan) => runLater(resolveScanSteps(new PgScanStore(ctx.pool), scan)),
  'scanner.attachBarcode': ({ productId, barcode }) => pgTransaction(ctx.pool, (c) => runLater(attachBarcodeSteps(new PgBarcodeStore(c), productId, barcode))),
});
