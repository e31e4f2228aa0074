import type { PgReader } from '../../ledger/pg/store/pg-read-snapshot';
import type { BalanceKeyRow } from '../balance-on-date-store';
import type { BatchJourneyRecords } from '../batch-journey';
import type { BatchHead } from '../batch-journey-store';
import type { DetailRow } from '../movement-query';
import { DETAIL_COLUMNS, DETAIL_JOINS, PgMovementStore } from './pg-movement-store';

/**
 * The SQL of a batch's journey on PostgreSQL (batch-journey.ts holds its rules, for both stores): the batch and its
 * product, the external pseudo-sites, and the batch's movements in effective order (the (batch_id, occurred_at, seq)
 * index of pg migration 0004 gives them in order), and each row's balance on its date (PgMovementStore.balancesOnDate's).
 */
export class PgBatchJourneyStore implements BatchJourneyRecords {
  constructor(private readonly db: PgReader) {}

  /** The batch and its product (undefined: no such batch). */
  async batch(batchId: number): Promise<BatchHead | undefined> {
    const r = await this.db.query<BatchHead>(
      `SELECT b.id AS "batchId", b.code AS "batchCode", b.expiry, p.id AS "productId", p.sku, p.name AS "productName", p.unit, p.scale
       FROM batches b JOIN products p ON p.id = b.product_id WHERE b.id = $1`,
      [batchId],
    );
    return r.rows[0];
  }

  /** The ids of the external pseudo-sites. */
  async externalSiteIds(): Promise<number[]> {
    return (await this.db.query<{ id: number }>("SELECT id FROM sites WHERE kind = 'external' ORDER BY id")).rows.map((x) => x.id);
  }

  /** The batch's movements in effective order (occurred_at, seq), as the movement list reads them. */
  async movements(batchId: number): Promise<DetailRow[]> {
    return (await this.db.query<DetailRow>(`SELECT ${DETAIL_COLUMNS} FROM movements m ${DETAIL_JOINS} WHERE m.batch_id = $1 ORDER BY m.occurred_at, m.seq`, [batchId])).rows;
  }

  /** Each row's product/site balance just after it in effective order (PgMovementStore.balancesOnDate). */
  balancesOnDate(rows: readonly BalanceKeyRow[]): Promise<Map<number, number>> {
    return new PgMovementStore(this.db).balancesOnDate(rows);
  }
}
