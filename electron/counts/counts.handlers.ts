import { countsMethods } from '../../shared/contract/counts.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from '../ledger/ledger-client';

/** Every count method forwards to the worker operation of its name (electron/counts/counts.ops.ts). */
export function createCountsHandlers(ledger: LedgerClient): HandlersFor<typeof countsMethods> {
  return forwardToLedger(countsMethods, ledger);
}
