import type { StockChange } from '../../shared/contract/events';
import type { CountCreateInput, CountScanInput, CountSetCountedManyInput, CountSetResolutionInput } from '../../shared/contract/counts.schemas';
import type { CountBin, CountLine, CountLineCode, CountMovementSince, CountScanResult, CountSessionInfo, CountSheet } from '../../shared/counts';
import type { SqliteLedger } from '../ledger/store/sqlite-ledger';
import type { WorkerContext } from '../ledger/worker-context';
import { CountCompletion } from './count-completion';
import { CountEditing } from './count-editing';
import { CountQueries } from './count-queries';
import { CountScanning } from './count-scanning';
import { CountScanStore } from './count-scan-store';
import { CountStore } from './count-store';
import { CountSessions } from './count-sessions';
import type { Caller } from '../ledger/caller';
import { SqliteCounts } from './sqlite-counts';
import type { MethodParsedInput } from '../../shared/contract/methods';

/** Stock count operations in the ledger worker (op names prefixed `counts`). */
export interface CountsOps {
  'counts.list'(input: MethodParsedInput<'counts.list'>): CountSessionInfo[];
  'counts.get'(input: MethodParsedInput<'counts.get'>): CountSheet;
  'counts.bins'(input: MethodParsedInput<'counts.bins'>): CountBin[];
  'counts.lineCodes'(input: MethodParsedInput<'counts.lineCodes'>): CountLineCode[];
  'counts.lineMovements'(input: MethodParsedInput<'counts.lineMovements'>): CountMovementSince[];
  'counts.create'(input: CountCreateInput, caller: Caller): CountSessionInfo;
  'counts.setCounted'(input: MethodParsedInput<'counts.setCounted'>, caller: Caller): CountLine;
  'counts.setCountedMany'(input: CountSetCountedManyInput, caller: Caller): { updated: number };
  'counts.setResolution'(input: CountSetResolutionInput): { updated: number };
  'counts.scan'(input: CountScanInput, caller: Caller): CountScanResult;
  'counts.removeCode'(input: MethodParsedInput<'counts.removeCode'>, caller: Caller): CountLine;
  'counts.complete'(input: MethodParsedInput<'counts.complete'>, caller: Caller): CountSessionInfo;
  'counts.cancel'(input: MethodParsedInput<'counts.cancel'>, caller: Caller): CountSessionInfo;
}

/** The count services over one ledger (also used directly by tests and the benchmark). */
export function countServices(ledger: SqliteLedger, clock: () => number = Date.now) {
  const store = new CountStore(ledger.db);
  const queries = new CountQueries(store);
  return {
    queries,
    sessions: new CountSessions(store, queries, clock),
    editing: new CountEditing(store, queries, clock),
    scanning: new CountScanning(store, new CountScanStore(ledger.db), queries, clock),
    completion: new CountCompletion(store, ledger.poster, queries, clock),
  };
}

/**
 * The events a count's changes send, the same from both stores: other windows showing the count sheet refetch it
 * (ledger.changed names the session); a completed count changed stock.
 */
export function countEvents(emit: (event: string, payload: unknown) => void) {
  return {
    linesChanged: <T>(sessionId: number, result: T): T => {
      emit('stock.changed', { documentId: null, reason: 'count-line', countSessionId: sessionId } satisfies StockChange);
      return result;
    },
    completed: (sessionId: number, documentId: number | null): void => {
      emit('stock.changed', { documentId, reason: 'stock_count', countSessionId: sessionId } satisfies StockChange);
    },
  };
}

export function countsOps(ctx: WorkerContext, clock: () => number = Date.now): CountsOps {
  const counts = new SqliteCounts(countServices(ctx.ledger, clock));
  const { linesChanged, completed } = countEvents(ctx.emit);
  return {
    'counts.list': ({ status }) => counts.list(status),
    'counts.get': ({ sessionId }) => ({ session: counts.session(sessionId), lines: counts.lines(sessionId) }),
    'counts.bins': ({ siteId }) => counts.bins(siteId),
    'counts.lineCodes': ({ sessionId, lineId }) => counts.lineCodes(sessionId, lineId),
    'counts.lineMovements': ({ sessionId, lineId }) => counts.lineMovements(sessionId, lineId),
    'counts.create': (input, { userId }) => {
      const id = counts.create(input, userId);
      return linesChanged(id, counts.session(id));
    },
    'counts.setCounted': ({ sessionId, lineId, countedQty, version }, { userId }) => {
      counts.setCounted(sessionId, lineId, countedQty, userId, version);
      return linesChanged(sessionId, counts.line(sessionId, lineId));
    },
    'counts.setCountedMany': (input, { userId }) => linesChanged(input.sessionId, counts.setCountedMany(input, userId)),
    'counts.setResolution': (input) => linesChanged(input.sessionId, counts.setResolution(input)),
    'counts.scan': (input, { userId }) => linesChanged(input.sessionId, counts.scan(input, userId)),
    'counts.removeCode': ({ sessionId, lineId, code }, { userId }) => linesChanged(sessionId, counts.removeCode(sessionId, lineId, code, userId)),
    'counts.complete': ({ sessionId }, { userId }) => {
      completed(sessionId, counts.complete(sessionId, userId).documentId);
      return counts.session(sessionId);
    },
    'counts.cancel': ({ sessionId }, { userId }) => {
      counts.cancel(sessionId, userId);
      return linesChanged(sessionId, counts.session(sessionId));
    },
  };
}
