import type { CountCreateInput, CountScanInput, CountSetCountedManyInput, CountSetResolutionInput } from '../../shared/contract/counts.schemas';
import type { Awaitable } from '../ledger/steps';
import type { CountBin, CountLine, CountLineCode, CountMovementSince, CountScanResult, CountSessionInfo, CountSheet, CountStatus } from '../../shared/counts';

/**
 * Stock counts behind one interface (issue 17), answered by both stores: SQLite's synchronous services in the ledger
 * worker (sqlite-counts.ts: SqliteCounts, over counts.ops.ts's countServices) and PostgreSQL's store
 * (pg-count-store.ts: several servers on one database), with the same rules (count-rules.ts). SQLite answers at once,
 * PostgreSQL with a promise.
 */
export interface CountRecords {
  /** Creates a DRAFT session and snapshots every quant in scope (whole site, or one bin); returns its id. */
  create(input: CountCreateInput, userId: number): Awaitable<number>;
  session(id: number): Awaitable<CountSessionInfo>;
  /** The count sheet: the session (with its counted-lines tally) and its lines, read together (a line counted meanwhile is in both or in neither). */
  get(sessionId: number): Awaitable<CountSheet>;
  /** The latest 500 sessions, newest first, of one status or all. */
  list(status?: CountStatus): Awaitable<CountSessionInfo[]>;
  lines(sessionId: number): Awaitable<CountLine[]>;
  line(sessionId: number, lineId: number): Awaitable<CountLine>;
  /** The codes scanned on a line, in scan order. */
  lineCodes(sessionId: number, lineId: number): Awaitable<CountLineCode[]>;
  /** The bins of a site with how many quants a count of each would snapshot. */
  bins(siteId: number): Awaitable<CountBin[]>;
  /** The movements at a line's quant recorded after the session's snapshot (the first 1,000). */
  lineMovements(sessionId: number, lineId: number): Awaitable<CountMovementSince[]>;
  /** One line's counted quantity (null = blank again); `version`: the line's version the counter saw. */
  setCounted(sessionId: number, lineId: number, countedQty: number | null, userId: number, version?: number): Awaitable<void>;
  /** Many lines' counted quantities in one transaction (CSV import): all or none. */
  setCountedMany(input: CountSetCountedManyInput, userId: number): Awaitable<{ updated: number }>;
  setResolution(input: CountSetResolutionInput): Awaitable<{ updated: number }>;
  /** A scanned or typed code: a serial/RFID unit onto its line, or one more of a product (count-scanning.ts). */
  scan(input: CountScanInput, userId: number): Awaitable<CountScanResult>;
  /** Removes a scanned code from a line and recounts it. */
  removeCode(sessionId: number, lineId: number, code: string, userId: number): Awaitable<CountLine>;
  /** Cancels a DRAFT session; nothing is posted. */
  cancel(sessionId: number, userId: number): Awaitable<void>;
  /** Posts the count's adjustments and closes it, all or nothing, exactly once. */
  complete(sessionId: number, userId: number): Awaitable<{ documentId: number | null; movementCount: number }>;
}
