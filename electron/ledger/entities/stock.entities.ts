import { big, bool, int, pk, str, entity } from './columns';

const fk = (target: string, column: string, name: string) => ({
  type: 'many-to-one' as const,
  target,
  joinColumn: { name: column, foreignKeyConstraintName: name },
});

export const BatchEntity = entity({
  name: 'Batch',
  tableName: 'batches',
  columns: { id: pk(), product_id: int(), code: str(64), expiry: str(10, true), created_at: big() },
  uniques: [{ name: 'UQ_batches_product_code', columns: ['product_id', 'code'] }],
  // A NOCASE index for batch-code prefix search, made by 0003-enquiry-indexes; TypeORM must leave it alone.
  indices: [
    { name: 'IDX_batches_code_nocase', synchronize: false, columns: ['code'] },
    // Made by 0008-enquiry-batch-index: the batches of an expiry range.
    { name: 'IDX_batches_expiry', columns: ['expiry'] },
  ],
  relations: { product: fk('Product', 'product_id', 'FK_batches_product') },
});

export const SerialUnitEntity = entity({
  name: 'SerialUnit',
  tableName: 'serial_units',
  columns: {
    id: pk(),
    product_id: int(),
    serial: str(128),
    batch_id: int(true),
    site_id: int(true),
    bin_id: int(true),
    in_stock: bool(false),
  },
  uniques: [{ name: 'UQ_serial_units_product_serial', columns: ['product_id', 'serial'] }],
  // The units whose serial starts with the enquiry's search, whatever their product and letter case: NOCASE, made by
  // 0049-enquiry-search-references (it replaced 0047's BINARY IDX_serial_units_serial); TypeORM must leave it alone.
  indices: [{ name: 'IDX_serial_units_serial_nocase', synchronize: false, columns: ['serial'] }],
  relations: {
    product: fk('Product', 'product_id', 'FK_serial_units_product'),
    batch: fk('Batch', 'batch_id', 'FK_serial_units_batch'),
    site: fk('Site', 'site_id', 'FK_serial_units_site'),
    bin: fk('Bin', 'bin_id', 'FK_serial_units_bin'),
  },
});

/** Quants: current quantity per product/site/bin/batch, kept in the movement's transaction. */
export const StockLevelEntity = entity({
  name: 'StockLevel',
  tableName: 'stock_levels',
  columns: {
    id: pk(),
    product_id: int(),
    site_id: int(),
    bin_id: int(true),
    batch_id: int(true),
    qty: big(),
    last_movement_at: big(),
    last_seq: int(),
  },
  indices: [
    // An expression index (IFNULL on bin and batch) made by the migration; TypeORM must leave it alone.
    { name: 'UQ_stock_levels_key', unique: true, synchronize: false, columns: ['product_id', 'site_id', 'bin_id', 'batch_id'] },
    // Made by 0031-enquiry-product-type-index: batches by their latest movement (enquiry over a long batch list).
    { name: 'IDX_stock_levels_batch_recent', columns: ['last_movement_at', 'batch_id'], where: '"batch_id" IS NOT NULL' },
  ],
  relations: {
    product: fk('Product', 'product_id', 'FK_stock_levels_product'),
    site: fk('Site', 'site_id', 'FK_stock_levels_site'),
    bin: fk('Bin', 'bin_id', 'FK_stock_levels_bin'),
    batch: fk('Batch', 'batch_id', 'FK_stock_levels_batch'),
  },
});

/** Derived, rebuildable: latest and average unit cost per product and site. */
export const CostStateEntity = entity({
  name: 'CostState',
  tableName: 'cost_state',
  columns: {
    product_id: { type: 'integer', primary: true },
    site_id: { type: 'integer', primary: true },
    latest_cost: big(),
    average_cost: big(),
    updated_seq: int(),
  },
});

export { fk };
