import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { BatchJourney, BatchJourneyStep } from '../../shared/enquiry';
import { businessTimeZone } from '../company/business-time-zone';
import { BatchJourneyStore, type BatchHead } from './batch-journey-store';
import { toView, type DetailRow } from './movement-query';

/**
 * A batch's whole life in (occurred_at, seq) order, with the running remainder over the real (non-external) sites,
 * each step's product/site balance in both orders, and backdated steps marked.
 */
export function batchJourney(db: Database.Database, batchId: number): BatchJourney {
  const store = BatchJourneyStore.of(db);
  const head = existingBatch(store.batch(batchId));
  const rows = store.movements(batchId);
  return journeyOf(head, store.externalSiteIds(), rows, store.balancesOnDate().balances(rows), businessTimeZone(db));
}

/** The batch a journey is asked for, or the refusal both stores give when there is no such batch. */
export function existingBatch(head: BatchHead | undefined): BatchHead {
  if (!head) throw new AppError('NOT_FOUND', 'That batch does not exist. Pick a batch from a movement row.');
  return head;
}

/**
 * The journey from what a store read (both stores: SQLite above, PostgreSQL in enquiry.pg-ops.ts): the batch, the external pseudo-sites, its movements in effective order, and each
 * movement's product/site balance on its date; times shown in `timeZone` (the business time zone).
 */
export function journeyOf(head: BatchHead, externalSiteIds: readonly number[], rows: readonly DetailRow[], balances: ReadonlyMap<number, number>, timeZone: string): BatchJourney {
  const external = new Set(externalSiteIds);
  let remainder = 0;
  const steps = rows.map((r): BatchJourneyStep => {
    if (!external.has(r.siteId)) remainder += r.qty;
    return { ...toView(r, balances.get(r.seq)!, timeZone), remainder };
  });
  return { ...head, steps, remaining: remainder };
}
