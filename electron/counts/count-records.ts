import type { CountCreateInput, CountScanInput, CountSetCountedManyInput, CountSetResolutionInput } from '../../shared/contract/counts.schemas';
import type { CountBin, CountLine, CountLineCode, CountMovementSince, CountScanResult, CountSessionInfo, CountStatus } from '../../shared/counts';

/**
 * Stock counts behind one async interface (issue 17): PostgreSQL's store (pg-count-store.ts), several servers on one
 * database. It runs the same rules (count-rules.ts) and reads the sheet with the same SQL (count-store.ts) as SQLite's
 * synchronous services in the ledger worker (counts.ops.ts: countServices).
 */
export interface CountRecords {
  /** Creates a DRAFT session and snapshots every quant in scope (whole site, or one bin); returns its id. */
  create(input: CountCreateInput, userId: number): Promise<number>;
  session(id: number): Promise<CountSessionInfo>;
  /** The latest 500 sessions, newest first, of one status or all. */
  list(status?: CountStatus): Promise<CountSessionInfo[]>;
  lines(sessionId: number): Promise<CountLine[]>;
  line(sessionId: number, lineId: number): Promise<CountLine>;
  /** The codes scanned on a line, in scan order. */
  lineCodes(sessionId: number, lineId: number): Promise<CountLineCode[]>;
  /** The bins of a site with how many quants a count of each would snapshot. */
  bins(siteId: number): Promise<CountBin[]>;
  /** The movements at a line's quant recorded after the session's snapshot (the first 1,000). */
  lineMovements(sessionId: number, lineId: number): Promise<CountMovementSince[]>;
  /** One line's counted quantity (null = blank again); `version`: the line's version the counter saw. */
  setCounted(sessionId: number, lineId: number, countedQty: number | null, userId: number, version?: number): Promise<void>;
  /** Many lines' counted quantities in one transaction (CSV import): all or none. */
  setCountedMany(input: CountSetCountedManyInput, userId: number): Promise<{ updated: number }>;
  setResolution(input: CountSetResolutionInput): Promise<{ updated: number }>;
  /** A scanned or typed code: a serial/RFID unit onto its line, or one more of a product (count-scanning.ts). */
  scan(input: CountScanInput, userId: number): Promise<CountScanResult>;
  /** Removes a scanned code from a line and recounts it. */
  removeCode(sessionId: number, lineId: number, code: string, userId: number): Promise<CountLine>;
  /** Cancels a DRAFT session; nothing is posted. */
  cancel(sessionId: number, userId: number): Promise<void>;
  /** Posts the count's adjustments and closes it, all or nothing, exactly once. */
  complete(sessionId: number, userId: number): Promise<{ documentId: number | null; movementCount: number }>;
}
