import { masterdataMethods } from '../../shared/contract/masterdata.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from '../ledger/ledger-client';

/** Every master-data method forwards to the worker operation of its name (electron/masterdata/masterdata.ops.ts). */
export function createMasterDataHandlers(ledger: LedgerClient): HandlersFor<typeof masterdataMethods> {
  return forwardToLedger(masterdataMethods, ledger);
}
