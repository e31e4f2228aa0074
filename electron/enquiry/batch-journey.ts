import { AppError } from '../../shared/contract/errors';
import type { BatchJourney, BatchJourneyStep } from '../../shared/enquiry';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import type { BalancesOnDateRecords } from './balance-on-date-records';
import type { BatchHead } from './batch-journey-store';
import { toView, type DetailRow } from './movement-query';

/**
 * What a batch's journey reads: batch-journey-store.ts on SQLite, pg-batch-journey-store.ts on PostgreSQL; and each
 * row's balance on its date (`rows` is never empty).
 */
export interface BatchJourneyRecords extends BalancesOnDateRecords {
  /** The batch and its product (undefined: no such batch). */
  batch(batchId: number): Awaitable<BatchHead | undefined>;
  /** The ids of the external pseudo-sites. */
  externalSiteIds(): Awaitable<number[]>;
  /** The batch's movements in effective order (occurred_at, seq), as the movement list reads them. */
  movements(batchId: number): Awaitable<DetailRow[]>;
}

/**
 * A batch's whole life in (occurred_at, seq) order, with the running remainder over the real (non-external) sites,
 * each step's product/site balance in both orders, and backdated steps marked; times shown in `timeZone` (the business
 * time zone). The rule written once for both stores (ledger/steps.ts).
 */
export function* batchJourney(r: BatchJourneyRecords, batchId: number, timeZone: string): Steps<BatchJourney> {
  const head = existingBatch(yield* value(r.batch(batchId)));
  const rows = yield* value(r.movements(batchId));
  const balances = rows.length ? yield* value(r.balancesOnDate(rows)) : new Map<number, number>();
  return journeyOf(head, yield* value(r.externalSiteIds()), rows, balances, timeZone);
}

/** The batch a journey is asked for, or the refusal given when there is no such batch. */
function existingBatch(head: BatchHead | undefined): BatchHead {
  if (!head) throw new AppError('NOT_FOUND', 'That batch does not exist. Pick a batch from a movement row.');
  return head;
}

/**
 * The journey from what the store read: the batch, the external pseudo-sites, its movements in effective order, and
 * each movement's product/site balance on its date.
 */
function journeyOf(head: BatchHead, externalSiteIds: readonly number[], rows: readonly DetailRow[], balances: ReadonlyMap<number, number>, timeZone: string): BatchJourney {
  const external = new Set(externalSiteIds);
  let remainder = 0;
  const steps = rows.map((r): BatchJourneyStep => {
    if (!external.has(r.siteId)) remainder += r.qty;
    return { ...toView(r, balances.get(r.seq)!, timeZone), remainder };
  });
  return { ...head, steps, remaining: remainder };
}
