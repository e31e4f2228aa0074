import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { BatchJourney, BatchJourneyStep } from '../../shared/enquiry';
import { businessTimeZone } from '../company/business-time-zone';
import { BalanceOnDateStore } from './balance-on-date-store';
import { DETAIL_COLUMNS, DETAIL_JOINS, toView, type DetailRow } from './movement-query';

/**
 * A batch's whole life in (occurred_at, seq) order, with the running remainder over the real (non-external) sites,
 * each step's product/site balance in both orders, and backdated steps marked.
 */
export function batchJourney(db: Database.Database, batchId: number): BatchJourney {
  const head = db
    .prepare(
      `SELECT b.id AS batchId, b.code AS batchCode, b.expiry, p.id AS productId, p.sku, p.name AS productName, p.unit, p.scale
       FROM batches b JOIN products p ON p.id = b.product_id WHERE b.id = ?`,
    )
    .get(batchId) as Omit<BatchJourney, 'steps' | 'remaining'> | undefined;
  if (!head) throw new AppError('NOT_FOUND', 'That batch does not exist. Pick a batch from a movement row.');
  const external = new Set(db.prepare("SELECT id FROM sites WHERE kind = 'external'").pluck().all() as number[]);
  const rows = db
    .prepare(`SELECT ${DETAIL_COLUMNS} FROM movements m INDEXED BY IDX_movements_batch_occurred ${DETAIL_JOINS} WHERE m.batch_id = ? ORDER BY m.occurred_at, m.seq`)
    .all(batchId) as DetailRow[];
  const balances = new BalanceOnDateStore((sql) => db.prepare(sql)).balances(rows);
  const timeZone = businessTimeZone(db);
  let remainder = 0;
  const steps = rows.map((r): BatchJourneyStep => {
    if (!external.has(r.siteId)) remainder += r.qty;
    return { ...toView(r, balances.get(r.seq)!, timeZone), remainder };
  });
  return { ...head, steps, remaining: remainder };
}
