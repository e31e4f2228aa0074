import type { LedgerClient } from '../ledger/ledger-client';
import { createAppHandlers, type AppFacts } from './app.handlers';
import type { Handlers } from './dispatcher';
import { createLedgerHandlers } from '../ledger/ledger.handlers';

/**
 * The contract's handlers, one factory per capability (`<capability>.handlers.ts`), merged.
 * `satisfies Handlers` makes a missing or extra handler a type error.
 */
export function createHandlers(ledger: LedgerClient, facts: AppFacts): Handlers {
  return {
    ...createAppHandlers(ledger, facts),
    ...createLedgerHandlers(ledger),
  } satisfies Handlers;
}
