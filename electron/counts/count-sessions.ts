import type { CountCreateInput } from '../../shared/contract/counts.schemas';
import { companyDateTime } from '../company/company-time';
import type { CountQueries } from './count-queries';
import { checkNothingMovedAfter, checkScope, requestedCountTime } from './count-rules';
import type { CountStore } from './count-store';


/** Creating (with its snapshot) and cancelling count sessions. */
export class CountSessions {
  constructor(private readonly store: CountStore, private readonly queries: CountQueries, private readonly clock: () => number = Date.now) {}

  /** Creates a DRAFT session and snapshots every quant in scope (whole site, or one bin). Returns the session id. */
  create(input: CountCreateInput, userId: number): number {
    return this.store.transaction(() => {
      const site = checkScope(this.store.site(input.siteId), input.binId, input.binId === undefined ? undefined : this.store.bin(input.binId));
      const now = this.clock();
      const format = (ms: number) => companyDateTime(this.store.db, ms);
      const t = requestedCountTime(input, now, format);
      if (t !== null) checkNothingMovedAfter(t, this.store.latestMovedAfter(t, input.siteId, input.binId ?? null), site.name, input.binId !== undefined, format);
      const snapshotSeq = this.store.ledgerHead();
      const id = this.store.insertSession({ siteId: site.id, binId: input.binId ?? null, notes: input.notes || null, snapshotSeq, occurredAt: t ?? now, createdAt: now, createdBy: userId });
      this.store.snapshot(id, site.id, input.binId ?? null);
      return id;
    });
  }

  /** Cancels a DRAFT session; nothing is posted. */
  cancel(sessionId: number, userId: number): void {
    this.store.transaction(() => {
      this.queries.requireDraft(sessionId);
      this.store.cancel(sessionId, this.clock(), userId);
    });
  }
}
