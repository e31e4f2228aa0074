import type { CountSetCountedManyInput, CountSetResolutionInput } from '../../shared/contract/counts.schemas';
import { countReference } from '../../shared/counts';
import type { CountQueries } from './count-queries';
import { checkCountedEntry } from './count-rules';
import type { CountStore } from './count-store';
import { staleRecord } from '../ledger/store/record-version-store';

/** Counted quantities (with when they were entered) and the by time / keep counted / keep difference choice; every edit autosaves as one small write. */
export class CountEditing {
  constructor(private readonly store: CountStore, private readonly queries: CountQueries, private readonly clock: () => number = Date.now) {}

  /** One line's counted quantity (null = blank again). Serial/RFID lines are counted by their codes. */
  /** `version`: the line's version the counter saw; a save from an older one is refused and writes nothing. */
  setCounted(sessionId: number, lineId: number, countedQty: number | null, userId: number, version?: number): void {
    this.store.transaction(() => {
      this.queries.requireDraft(sessionId);
      this.write(sessionId, lineId, countedQty, userId, version);
    });
  }

  /** Many lines in one transaction (CSV import); all or none. */
  setCountedMany(input: CountSetCountedManyInput, userId: number): { updated: number } {
    return this.store.transaction(() => {
      this.queries.requireDraft(input.sessionId);
      for (const e of input.entries) this.write(input.sessionId, e.lineId, e.countedQty, userId);
      return { updated: input.entries.length };
    });
  }

  setResolution(input: CountSetResolutionInput): { updated: number } {
    return this.store.transaction(() => {
      this.queries.requireDraft(input.sessionId);
      return { updated: this.store.setResolution(input.sessionId, input.resolution, input.lineIds) };
    });
  }

  private write(sessionId: number, lineId: number, countedQty: number | null, userId: number, version?: number): void {
    const line = checkCountedEntry(sessionId, lineId, this.store.lineTracking(sessionId, lineId), countedQty);
    const blank = countedQty === null;
    const now = this.clock();
    const changes = this.store.setCounted({ qty: countedQty, at: blank ? null : now, by: blank ? null : userId, line: lineId, session: sessionId, now, user: userId || null, version: version ?? null });
    if (changes === 0) throw staleRecord(this.store.db, 'count line', lineId, `The count of ${line.sku} on ${countReference(sessionId)}`, this.queries.line(sessionId, lineId));
  }
}
