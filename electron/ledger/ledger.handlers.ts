import { ledgerMethods } from '../../shared/contract/ledger.methods';
import type { HandlersFor } from '../app/dispatcher';
import { forwardToLedger } from '../app/forward-to-ledger';
import type { LedgerClient } from './ledger-client';

/** Every ledger method forwards to the worker operation of its name (electron/ledger/ledger.ops.ts). */
export function createLedgerHandlers(ledger: LedgerClient): HandlersFor<typeof ledgerMethods> {
  return forwardToLedger(ledgerMethods, ledger);
}
