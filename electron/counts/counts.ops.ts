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
import { countOpsNow, countSteps } from './count-ops-steps';
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

/** The count operations on SQLite: countSteps (count-ops-steps.ts) over the worker's count services, each run at once. */
export function countsOps(ctx: WorkerContext, clock: () => number = Date.now): CountsOps {
  return countOpsNow(countSteps(new SqliteCounts(countServices(ctx.ledger, clock)), ctx.emit));
}
