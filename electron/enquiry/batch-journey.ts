import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { BatchJourney, BatchJourneyStep } from '../../shared/enquiry';
import { businessTimeZone } from '../company/business-time-zone';
import { BatchJourneyStore } from './batch-journey-store';
import { toView } from './movement-query';

/**
 * A batch's whole life in (occurred_at, seq) order, with the running remainder over the real (non-external) sites,
 * each step's product/site balance in both orders, and backdated steps marked.
 */
export function batchJourney(db: Database.Database, batchId: number): BatchJourney {
  const store = BatchJourneyStore.of(db);
  const head = store.batch(batchId);
  if (!head) throw new AppError('NOT_FOUND', 'That batch does not exist. Pick a batch from a movement row.');
  const external = new Set(store.externalSiteIds());
  const rows = store.movements(batchId);
  const balances = store.balancesOnDate().balances(rows);
  const timeZone = businessTimeZone(db);
  let remainder = 0;
  const steps = rows.map((r): BatchJourneyStep => {
    if (!external.has(r.siteId)) remainder += r.qty;
    return { ...toView(r, balances.get(r.seq)!, timeZone), remainder };
  });
  return { ...head, steps, remaining: remainder };
}
