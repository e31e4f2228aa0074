import type { StockChange } from '../../shared/contract/events';
import type { CountCreateInput, CountScanInput, CountSetCountedManyInput, CountSetResolutionInput } from '../../shared/contract/counts.schemas';
import type { CountBin, CountLine, CountLineCode, CountMovementSince, CountScanResult, CountSessionInfo, CountSheet, CountStatus } from '../../shared/counts';
import type { SqliteLedger } from '../ledger/store/sqlite-ledger';
import type { WorkerContext } from '../ledger/worker-context';
import { CountCompletion } from './count-completion';
import { CountEditing } from './count-editing';
import { CountQueries } from './count-queries';
import { CountScanning } from './count-scanning';
import { CountScanStore } from './count-scan-store';
import { CountStore } from './count-store';
import { CountSessions } from './count-sessions';

/** Stock count operations in the ledger worker (op names prefixed `counts`). */
export interface CountsOps {
  countsList(status?: CountStatus): CountSessionInfo[];
  countsGet(sessionId: number): CountSheet;
  countsBins(siteId: number): CountBin[];
  countsLineCodes(sessionId: number, lineId: number): CountLineCode[];
  countsLineMovements(sessionId: number, lineId: number): CountMovementSince[];
  countsCreate(input: CountCreateInput, userId: number): CountSessionInfo;
  countsSetCounted(sessionId: number, lineId: number, countedQty: number | null, userId: number, version?: number): CountLine;
  countsSetCountedMany(input: CountSetCountedManyInput, userId: number): { updated: number };
  countsSetResolution(input: CountSetResolutionInput): { updated: number };
  countsScan(input: CountScanInput, userId: number): CountScanResult;
  countsRemoveCode(sessionId: number, lineId: number, code: string, userId: number): CountLine;
  countsComplete(sessionId: number, userId: number): CountSessionInfo;
  countsCancel(sessionId: number, userId: number): CountSessionInfo;
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

export function countsOps(ctx: WorkerContext): CountsOps {
  const c = countServices(ctx.ledger);
  /** Other windows showing this count sheet refetch it (ledger.changed names the session). */
  const linesChanged = <T>(sessionId: number, result: T): T => {
    ctx.emit('stock.changed', { documentId: null, reason: 'count-line', countSessionId: sessionId } satisfies StockChange);
    return result;
  };
  return {
    countsList: (status) => c.queries.sessions(status),
    countsGet: (sessionId) => ({ session: c.queries.session(sessionId), lines: c.queries.lines(sessionId) }),
    countsBins: (siteId) => c.queries.bins(siteId),
    countsLineCodes: (sessionId, lineId) => c.queries.codes(sessionId, lineId),
    countsLineMovements: (sessionId, lineId) => c.queries.movementsSince(sessionId, lineId),
    countsCreate: (input, userId) => {
      const id = c.sessions.create(input, userId);
      return linesChanged(id, c.queries.session(id));
    },
    countsSetCounted: (sessionId, lineId, countedQty, userId, version) => {
      c.editing.setCounted(sessionId, lineId, countedQty, userId, version);
      return linesChanged(sessionId, c.queries.line(sessionId, lineId));
    },
    countsSetCountedMany: (input, userId) => linesChanged(input.sessionId, c.editing.setCountedMany(input, userId)),
    countsSetResolution: (input) => linesChanged(input.sessionId, c.editing.setResolution(input)),
    countsScan: (input, userId) => linesChanged(input.sessionId, c.scanning.scan(input, userId)),
    countsRemoveCode: (sessionId, lineId, code, userId) => linesChanged(sessionId, c.scanning.removeCode(sessionId, lineId, code, userId)),
    countsComplete: (sessionId, userId) => {
      const done = c.completion.complete(sessionId, userId);
      ctx.emit('stock.changed', { documentId: done.documentId, reason: 'stock_count', countSessionId: sessionId } satisfies StockChange);
      return c.queries.session(sessionId);
    },
    countsCancel: (sessionId, userId) => {
      c.sessions.cancel(sessionId, userId);
      return linesChanged(sessionId, c.queries.session(sessionId));
    },
  };
}
