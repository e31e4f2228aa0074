import { AppError } from '../../shared/contract/errors';
import type { CountCreateInput } from '../../shared/contract/counts.schemas';
import { FUTURE_TOLERANCE_MS } from '../ledger/store/document-poster';
import { companyDateTime } from '../company/company-time';
import type { CountQueries } from './count-queries';
import type { CountStore } from './count-store';


/** Creating (with its snapshot) and cancelling count sessions. */
export class CountSessions {
  constructor(private readonly store: CountStore, private readonly queries: CountQueries, private readonly clock: () => number = Date.now) {}

  /** Creates a DRAFT session and snapshots every quant in scope (whole site, or one bin). Returns the session id. */
  create(input: CountCreateInput, userId: number): number {
    return this.store.transaction(() => {
      const site = this.store.site(input.siteId);
      if (!site || site.kind === 'external') {
        throw new AppError('VALIDATION', site ? `${site.name} is not a site that holds stock. Pick a warehouse or shop.` : 'The site picked does not exist (it may have been removed). Pick a warehouse or shop.', { field: 'siteId' });
      }
      if (input.binId !== undefined) {
        const bin = this.store.bin(input.binId);
        if (!bin || bin.siteId !== site.id) {
          throw new AppError('VALIDATION', `The bin picked is not a bin of ${site.name}. Pick one of its bins, or leave the bin empty for a full count.`, { field: 'binId' });
        }
      }
      const now = this.clock();
      const occurredAt = this.effectiveTime(input, site.name, now);
      const snapshotSeq = this.store.ledgerHead();
      const id = this.store.insertSession({ siteId: site.id, binId: input.binId ?? null, notes: input.notes || null, snapshotSeq, occurredAt, createdAt: now, createdBy: userId });
      this.store.snapshot(id, site.id, input.binId ?? null);
      return id;
    });
  }

  /**
   * When the count was taken: now by default, or earlier (a count taken on paper and entered later, a count dated to
   * period end). Not in the future (the same few minutes' clock tolerance as documents), and not before stock in scope
   * last moved: the snapshot is taken now, so it must not hold stock that arrived or left after the count's date.
   */
  private effectiveTime(input: CountCreateInput, siteName: string, now: number): number {
    if (input.occurredAt === undefined) return now;
    const t = Date.parse(input.occurredAt);
    if (t > now + FUTURE_TOLERANCE_MS) {
      throw new AppError('VALIDATION', `The count date ${companyDateTime(this.store.db, t)} is in the future. Date the count when it was taken: now or earlier.`, { field: 'occurredAt' });
    }
    const later = this.store.latestMovedAfter(t, input.siteId, input.binId ?? null);
    if (later) {
      throw new AppError(
        'VALIDATION',
        `Stock at ${siteName}${input.binId !== undefined ? ' in this bin' : ''} moved after ${companyDateTime(this.store.db, t)} (${later.sku} on ${companyDateTime(this.store.db, later.occurredAt)}), and the count's snapshot taken now includes that. Date the count at ${companyDateTime(this.store.db, later.occurredAt)} or later, or leave the date as now.`,
        { field: 'occurredAt' },
      );
    }
    return t;
  }

  /** Cancels a DRAFT session; nothing is posted. */
  cancel(sessionId: number, userId: number): void {
    this.store.transaction(() => {
      this.queries.requireDraft(sessionId);
      this.store.cancel(sessionId, this.clock(), userId);
    });
  }
}
