import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import type { PgOpsFactory } from '../ledger/pg/pg-ops';
import { runLater } from '../ledger/steps';
import { attachBarcodeSteps } from './barcode-attach';
import { PgBarcodeStore } from './pg-barcode-store';

/** Attaching a scanned barcode to a product on a PostgreSQL ledger (the twin of scanner.ops.ts's): the same rule, in one transaction. */
export const scannerPgOps: PgOpsFactory = (ctx) => ({
  'scanner.attachBarcode': ({ productId, barcode }) => pgTransaction(ctx.pool, (c) => runLater(attachBarcodeSteps(new PgBarcodeStore(c), productId, barcode))),
});
