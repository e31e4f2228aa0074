import type Database from 'better-sqlite3';
import type { BatchJourney } from '../../shared/enquiry';
import { BalanceOnDateStore, type BalanceKeyRow } from './balance-on-date-store';
import type { BatchJourneyRecords } from './batch-journey';
import { DETAIL_COLUMNS, DETAIL_JOINS, type DetailRow } from './movement-query';
import { perDatabase } from './per-database';

/** A batch with its product, as the journey's header shows it. */
export type BatchHead = Omit<BatchJourney, 'steps' | 'remaining'>;

/**
 * The SQL of a batch's journey (batch-journey.ts holds its rules): the batch and its product, the external
 * pseudo-sites, and the batch's movements in effective order, with their balances on that date. Statements are
 * prepared once per connection, the balance-on-date ones included (each journey still gets its own balances).
 */
export class BatchJourneyStore implements BatchJourneyRecords {
  private readonly stmt;
  private readonly balanceStatements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      head: db.prepare(
        `SELECT b.id AS batchId, b.code AS batchCode, b.expiry, p.id AS productId, p.sku, p.name AS productName, p.unit, p.scale
       FROM batches b JOIN products p ON p.id = b.product_id WHERE b.id = ?`,
      ),
      external: db.prepare("SELECT id FROM sites WHERE kind = 'external'").pluck(),
      steps: db.prepare(`SELECT ${DETAIL_COLUMNS} FROM movements m INDEXED BY IDX_movements_batch_occurred ${DETAIL_JOINS} WHERE m.batch_id = ? ORDER BY m.occurred_at, m.seq`),
    };
  }

  /** The store of a connection (made once). */
  static readonly of = perDatabase((db) => new BatchJourneyStore(db));

  /** The batch and its product (undefined: no such batch). */
  batch(batchId: number): BatchHead | undefined {
    return this.stmt.head.get(batchId) as BatchHead | undefined;
  }

  /** The ids of the external pseudo-sites. */
  externalSiteIds(): number[] {
    return this.stmt.external.all() as number[];
  }

  /** The batch's movements in effective order (occurred_at, seq), as the movement list reads them. */
  movements(batchId: number): DetailRow[] {
    return this.stmt.steps.all(batchId) as DetailRow[];
  }

  /** Each row's balance on its date, by a new balance-on-date reader (its remembered balances are its own) over statements prepared once. */
  balancesOnDate(rows: readonly BalanceKeyRow[]): Map<number, number> {
    return new BalanceOnDateStore((sql) => {
      let s = this.balanceStatements.get(sql);
      if (!s) this.balanceStatements.set(sql, (s = this.db.prepare(sql)));
      return s;
    }).balances(rows);
  }
}
