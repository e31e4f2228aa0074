import type { CountCreateInput, CountScanInput, CountSetCountedManyInput, CountSetResolutionInput } from '../../shared/contract/counts.schemas';
import type { CountBin, CountLine, CountLineCode, CountMovementSince, CountScanResult, CountSessionInfo, CountSheet, CountStatus } from '../../shared/counts';
import type { CountRecords } from './count-records';
import type { countServices } from './counts.ops';

/**
 * SQLite's CountRecords: the count services of the ledger worker (countServices), each answer at once. PostgreSQL's
 * twin is PgCountStore; counts.ops.ts and counts.pg-ops.ts give the same operations over the two.
 */
export class SqliteCounts implements CountRecords {
  constructor(private readonly c: ReturnType<typeof countServices>) {}

  create(input: CountCreateInput, userId: number): number {
    return this.c.sessions.create(input, userId);
  }
  session(id: number): CountSessionInfo {
    return this.c.queries.session(id);
  }
  /** One writer: nothing lands between the two reads. */
  get(sessionId: number): CountSheet {
    return { session: this.c.queries.session(sessionId), lines: this.c.queries.lines(sessionId) };
  }
  list(status?: CountStatus): CountSessionInfo[] {
    return this.c.queries.list(status);
  }
  lines(sessionId: number): CountLine[] {
    return this.c.queries.lines(sessionId);
  }
  line(sessionId: number, lineId: number): CountLine {
    return this.c.queries.line(sessionId, lineId);
  }
  lineCodes(sessionId: number, lineId: number): CountLineCode[] {
    return this.c.queries.lineCodes(sessionId, lineId);
  }
  bins(siteId: number): CountBin[] {
    return this.c.queries.bins(siteId);
  }
  lineMovements(sessionId: number, lineId: number): CountMovementSince[] {
    return this.c.queries.lineMovements(sessionId, lineId);
  }
  setCounted(sessionId: number, lineId: number, countedQty: number | null, userId: number, version?: number): void {
    this.c.editing.setCounted(sessionId, lineId, countedQty, userId, version);
  }
  setCountedMany(input: CountSetCountedManyInput, userId: number): { updated: number } {
    return this.c.editing.setCountedMany(input, userId);
  }
  setResolution(input: CountSetResolutionInput): { updated: number } {
    return this.c.editing.setResolution(input);
  }
  scan(input: CountScanInput, userId: number): CountScanResult {
    return this.c.scanning.scan(input, userId);
  }
  removeCode(sessionId: number, lineId: number, code: string, userId: number): CountLine {
    return this.c.scanning.removeCode(sessionId, lineId, code, userId);
  }
  cancel(sessionId: number, userId: number): void {
    this.c.sessions.cancel(sessionId, userId);
  }
  complete(sessionId: number, userId: number): { documentId: number | null; movementCount: number } {
    return this.c.completion.complete(sessionId, userId);
  }
}
