import { EntitySchema } from 'typeorm';
import { big, int, type AnyRow } from './columns';

/**
 * Derived, rebuildable: stock per product/site/bin/batch (0 = none) at the end of a UTC day (epoch ms of the next
 * midnight). Zero rows are not kept. Maintained by electron/enquiry/stock-snapshots.ts.
 */
export const StockSnapshotEntity = new EntitySchema<AnyRow>({
  name: 'StockSnapshot',
  tableName: 'stock_snapshots',
  columns: {
    day_end: { type: 'bigint', primary: true },
    product_id: { type: 'integer', primary: true },
    site_id: { type: 'integer', primary: true },
    bin_id: { type: 'integer', primary: true, default: 0 },
    batch_id: { type: 'integer', primary: true, default: 0 },
    qty: big(),
  },
});

/** One row: the snapshots account for every movement up to through_seq. */
export const StockSnapshotStateEntity = new EntitySchema<AnyRow>({
  name: 'StockSnapshotState',
  tableName: 'stock_snapshot_state',
  columns: { id: { type: 'integer', primary: true }, through_seq: int(), built_at: big() },
});
