import { big, entity, int } from './columns';

/**
 * Derived, rebuildable: stock per product/site/bin/batch (0 = none) at the end of a UTC day (epoch ms of the next
 * midnight). Zero rows are not kept. Maintained by electron/enquiry/stock-snapshots.ts.
 */
export const StockSnapshotEntity = entity({
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
export const StockSnapshotStateEntity = entity({
  name: 'StockSnapshotState',
  tableName: 'stock_snapshot_state',
  columns: { id: { type: 'integer', primary: true }, through_seq: int(), built_at: big() },
});

/** Derived, rebuildable (0008): movements per UTC day (epoch ms / 86,400,000) and type, real sites only. */
export const DashboardDayTypeEntity = entity({
  name: 'DashboardDayType',
  tableName: 'dashboard_day_type',
  columns: { day: { type: 'integer', primary: true }, type: { type: 'varchar', length: 40, primary: true }, n: int() },
});

/** Derived (0008): per day and product, count, quantity out and raw values (qty × unit cost, at the product's scale). */
export const DashboardDayProductEntity = entity({
  name: 'DashboardDayProduct',
  tableName: 'dashboard_day_product',
  columns: {
    day: { type: 'integer', primary: true },
    product_id: { type: 'integer', primary: true },
    n: int(),
    qty_out: big(),
    raw_out: big(),
    raw_net: big(),
  },
});

/** One row: the dashboard tables account for every movement up to through_seq. */
export const DashboardStateEntity = entity({
  name: 'DashboardState',
  tableName: 'dashboard_state',
  columns: { id: { type: 'integer', primary: true }, through_seq: int() },
});
