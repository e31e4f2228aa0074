import type { StockChange } from '../../shared/contract/events';
import { runLater, runNow, value, type Steps } from '../ledger/steps';
import type { CountRecords } from './count-records';
import type { CountsOps } from './counts.ops';

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

/** Each count operation as steps over CountRecords, answering what CountsOps answers. */
export type CountSteps = { [K in keyof CountsOps]: (...a: Parameters<CountsOps[K]>) => Steps<ReturnType<CountsOps[K]>> };
/** The count operations answered later (PostgreSQL). */
export type LaterCountsOps = { [K in keyof CountsOps]: (...a: Parameters<CountsOps[K]>) => Promise<ReturnType<CountsOps[K]>> };

/**
 * The count operations written once over CountRecords (SQLite's SqliteCounts, PostgreSQL's PgCountStore): what each
 * asks of the store, what it answers and which events it sends. counts.ops.ts runs them at once, counts.pg-ops.ts later.
 */
export function countSteps(counts: CountRecords, emit: (event: string, payload: unknown) => void): CountSteps {
  const { linesChanged, completed } = countEvents(emit);
  return {
    'counts.list': function* ({ status }) {
      return yield* value(counts.list(status));
    },
    'counts.get': function* ({ sessionId }) {
      return yield* value(counts.get(sessionId));
    },
    'counts.bins': function* ({ siteId }) {
      return yield* value(counts.bins(siteId));
    },
    'counts.lineCodes': function* ({ sessionId, lineId }) {
      return yield* value(counts.lineCodes(sessionId, lineId));
    },
    'counts.lineMovements': function* ({ sessionId, lineId }) {
      return yield* value(counts.lineMovements(sessionId, lineId));
    },
    'counts.create': function* (input, { userId }) {
      const id = yield* value(counts.create(input, userId));
      return linesChanged(id, yield* value(counts.session(id)));
    },
    'counts.setCounted': function* ({ sessionId, lineId, countedQty, version }, { userId }) {
      yield* value(counts.setCounted(sessionId, lineId, countedQty, userId, version));
      return linesChanged(sessionId, yield* value(counts.line(sessionId, lineId)));
    },
    'counts.setCountedMany': function* (input, { userId }) {
      return linesChanged(input.sessionId, yield* value(counts.setCountedMany(input, userId)));
    },
    'counts.setResolution': function* (input) {
      return linesChanged(input.sessionId, yield* value(counts.setResolution(input)));
    },
    'counts.scan': function* (input, { userId }) {
      return linesChanged(input.sessionId, yield* value(counts.scan(input, userId)));
    },
    'counts.removeCode': function* ({ sessionId, lineId, code }, { userId }) {
      return linesChanged(sessionId, yield* value(counts.removeCode(sessionId, lineId, code, userId)));
    },
    'counts.complete': function* ({ sessionId }, { userId }) {
      completed(sessionId, (yield* value(counts.complete(sessionId, userId))).documentId);
      return yield* value(counts.session(sessionId));
    },
    'counts.cancel': function* ({ sessionId }, { userId }) {
      yield* value(counts.cancel(sessionId, userId));
      return linesChanged(sessionId, yield* value(counts.session(sessionId)));
    },
  };
}

type AnySteps = (...a: unknown[]) => Steps<unknown>;
const runEach = (steps: CountSteps, run: (s: Steps<unknown>) => unknown) =>
  Object.fromEntries(Object.entries(steps).map(([name, f]) => [name, (...a: unknown[]) => run((f as AnySteps)(...a))]));

/** The count operations of a store that answers at once (SQLite's writer): each step run by runNow. */
export const countOpsNow = (steps: CountSteps): CountsOps => runEach(steps, runNow) as unknown as CountsOps;
/** The count operations of a store that answers later (PostgreSQL): each step run by runLater. */
export const countOpsLater = (steps: CountSteps): LaterCountsOps => runEach(steps, runLater) as unknown as LaterCountsOps;
