import type { CountCreateInput, CountScanInput, CountSetCountedManyInput, CountSetResolutionInput } from '../../shared/contract/counts.schemas';
import type { CountStatus } from '../../shared/counts';
import type { SqliteLedger } from '../ledger/store/sqlite-ledger';
import type { CountRecords } from './count-records';
import { countServices } from './counts.ops';

/**
 * SQLite's side of CountRecords: the worker's synchronous count services behind the async interface. Each call runs
 * to completion in its own transaction before it returns (a settled promise); a refusal rejects it. The app still
 * calls the services directly, so SQLite's path and speed are unchanged.
 */
export class SqliteCountRecords implements CountRecords {
  private readonly c;

  constructor(ledger: SqliteLedger, clock: () => number = Date.now) {
    this.c = countServices(ledger, clock);
  }

  async create(input: CountCreateInput, userId: number) { return this.c.sessions.create(input, userId); }
  async session(id: number) { return this.c.queries.session(id); }
  async sessions(status?: CountStatus) { return this.c.queries.sessions(status); }
  async lines(sessionId: number) { return this.c.queries.lines(sessionId); }
  async line(sessionId: number, lineId: number) { return this.c.queries.line(sessionId, lineId); }
  async codes(sessionId: number, lineId: number) { return this.c.queries.codes(sessionId, lineId); }
  async bins(siteId: number) { return this.c.queries.bins(siteId); }
  async movementsSince(sessionId: number, lineId: number) { return this.c.queries.movementsSince(sessionId, lineId); }
  async setCountedMany(input: CountSetCountedManyInput, userId: number) { return this.c.editing.setCountedMany(input, userId); }
  async setCounted(sessionId: number, lineId: number, countedQty: number | null, userId: number, version?: number) {
    this.c.editing.setCounted(sessionId, lineId, countedQty, userId, version);
  }
  async setResolution(input: CountSetResolutionInput) { return this.c.editing.setResolution(input); }
  async scan(input: CountScanInput, userId: number) { return this.c.scanning.scan(input, userId); }
  async removeCode(sessionId: number, lineId: number, code: string, userId: number) { return this.c.scanning.removeCode(sessionId, lineId, code, userId); }
  async cancel(sessionId: number, userId: number) { this.c.sessions.cancel(sessionId, userId); }
  async complete(sessionId: number, userId: number) { return this.c.completion.complete(sessionId, userId); }
}
