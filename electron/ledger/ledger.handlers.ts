import type { ledgerMethods } from '../../shared/contract/ledger.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from './ledger-client';

export function createLedgerHandlers(ledger: LedgerClient): HandlersFor<typeof ledgerMethods> {
  return {
    'sites.list': () => ledger.call('sites'),
    'stock.current': (input) => ledger.call('currentStock', input),
    'ledger.verify': () => ledger.call('verify'),
  };
}
