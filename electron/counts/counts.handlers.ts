import type { countsMethods } from '../../shared/contract/counts.methods';
import type { HandlersFor } from '../app/dispatcher';
import type { LedgerClient } from '../ledger/ledger-client';

/** Thin: each method forwards to the ledger worker with the caller's user id. */
export function createCountsHandlers(ledger: LedgerClient): HandlersFor<typeof countsMethods> {
  return {
    'counts.list': (input) => ledger.call('countsList', input.status),
    'counts.get': (input) => ledger.call('countsGet', input.sessionId),
    'counts.bins': (input) => ledger.call('countsBins', input.siteId),
    'counts.lineCodes': (input) => ledger.call('countsLineCodes', input.sessionId, input.lineId),
    'counts.lineMovements': (input) => ledger.call('countsLineMovements', input.sessionId, input.lineId),
    'counts.create': (input, ctx) => ledger.call('countsCreate', input, ctx.userId),
    'counts.setCounted': (input, ctx) => ledger.call('countsSetCounted', input.sessionId, input.lineId, input.countedQty, ctx.userId, input.version),
    'counts.setCountedMany': (input, ctx) => ledger.call('countsSetCountedMany', input, ctx.userId),
    'counts.setResolution': (input) => ledger.call('countsSetResolution', input),
    'counts.scan': (input, ctx) => ledger.call('countsScan', input, ctx.userId),
    'counts.removeCode': (input, ctx) => ledger.call('countsRemoveCode', input.sessionId, input.lineId, input.code, ctx.userId),
    'counts.complete': (input, ctx) => ledger.call('countsComplete', input.sessionId, ctx.userId),
    'counts.cancel': (input, ctx) => ledger.call('countsCancel', input.sessionId, ctx.userId),
  };
}
