import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import type { PgOpsFactory } from '../ledger/pg/pg-ops';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { runLater } from '../ledger/steps';
import { attachBarcodeSteps } from './barcode-attach';
import { PgBarcodeStore } from './pg-barcode-store';
import { PgScanStore } from './pg-scan-store';
import { resolveScanSteps } from './scan-resolver';

/**
 * The scanner's operations on a PostgreSQL ledger (the twins of scanner.ops.ts's), with the same rules: a scan
 * resolved by resolveScanSteps in one read snapshot (its look-ups by barcode, SKU, serial and batch all see the same
 * moment: a product whose code another server moves from its SKU to a barcode meanwhile is found by one or the other,
 * never missed by both), a barcode attached by attachBarcodeSteps in one transaction.
 */
export const scannerPgOps: PgOpsFactory = (ctx) => ({
  scannerResolve: (scan) => readSnapshot(ctx.pool, (c) => runLater(resolveScanSteps(new PgScanStore(c), scan))),
  'scanner.attachBarcode': ({ productId, barcode }) => pgTransaction(ctx.pool, (c) => runLater(attachBarcodeSteps(new PgBarcodeStore(c), productId, barcode))),
});
