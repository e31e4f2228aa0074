import { EntitySchema } from 'typeorm';
import { big, bool, int, pk, str, text, type AnyRow } from './columns';

export const ProductGroupEntity = new EntitySchema<AnyRow>({
  name: 'ProductGroup',
  tableName: 'product_groups',
  columns: { id: pk(), code: str(32), name: str(128), post_on_costs: bool(false) },
  uniques: [{ name: 'UQ_product_groups_code', columns: ['code'] }],
});

export const ProductEntity = new EntitySchema<AnyRow>({
  name: 'Product',
  tableName: 'products',
  columns: {
    id: pk(),
    sku: str(64),
    name: str(200),
    unit: str(16, false, 'ea'),
    scale: { type: 'integer', default: 0 },
    stock_type: str(16),
    tracking: str(8, false, 'BULK'),
    group_id: int(true),
    variant_attributes: text(false, '{}'),
    stock_keeping: bool(true),
    low_stock_level: big(true),
    created_at: big(),
    description: text(false, ''),
    active: bool(true),
  },
  uniques: [{ name: 'UQ_products_sku', columns: ['sku'] }],
  checks: [
    { name: 'CHK_products_stock_type', expression: `"stock_type" IN ('Supplied','Preparation','Made','Recipe','Other')` },
    { name: 'CHK_products_tracking', expression: `"tracking" IN ('BULK','LOT','SERIAL','RFID')` },
    { name: 'CHK_products_scale', expression: `"scale" BETWEEN 0 AND 6` },
  ],
  relations: {
    group: { type: 'many-to-one', target: 'ProductGroup', joinColumn: { name: 'group_id', foreignKeyConstraintName: 'FK_products_group' } },
  },
});

export const ProductBarcodeEntity = new EntitySchema<AnyRow>({
  name: 'ProductBarcode',
  tableName: 'product_barcodes',
  columns: { barcode: { type: 'varchar', length: 64, primary: true }, product_id: int() },
  indices: [{ name: 'IDX_product_barcodes_product', columns: ['product_id'] }],
  relations: {
    product: { type: 'many-to-one', target: 'Product', joinColumn: { name: 'product_id', foreignKeyConstraintName: 'FK_product_barcodes_product' } },
  },
});
