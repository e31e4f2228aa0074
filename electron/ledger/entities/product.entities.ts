import { big, bool, int, pk, str, text, versionColumns, entity } from './columns';

export const ProductGroupEntity = entity({
  name: 'ProductGroup',
  tableName: 'product_groups',
  columns: { id: pk(), code: str(32), name: str(128), post_on_costs: bool(false), active: bool(true) },
  uniques: [{ name: 'UQ_product_groups_code', columns: ['code'] }],
  // Names unique without case, as the rules compare them (NOCASE), made by 0044-product-group-name-unique; TypeORM must leave it alone.
  indices: [{ name: 'UQ_product_groups_name_nocase', unique: true, synchronize: false, columns: ['name'] }],
});

export const ProductEntity = entity({
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
    /** ISO 3166-1 alpha-2, or null when not known. */
    country_of_origin: str(2, true),
    /** A variant's parent product (a variant parent holds no stock); null for every other product. */
    parent_id: int(true),
    /** A variant parent's attributes and their values, JSON [{name, values}]; null for every other product. */
    variant_axes: text(true),
    ...versionColumns(),
    updated_at: big(true),
  },
  uniques: [{ name: 'UQ_products_sku', columns: ['sku'] }],
  // NOCASE indexes for the Products list's order, made by 0023-products-list-indexes; TypeORM must leave them alone.
  indices: [
    { name: 'IDX_products_parent', columns: ['parent_id'] },
    { name: 'IDX_products_sku_nocase', synchronize: false, columns: ['sku'] },
    { name: 'IDX_products_name_nocase', synchronize: false, columns: ['name'] },
  ],
  checks: [
    { name: 'CHK_products_stock_type', expression: `"stock_type" IN ('Supplied','Preparation','Made','Recipe','Other')` },
    { name: 'CHK_products_tracking', expression: `"tracking" IN ('BULK','LOT','SERIAL','RFID')` },
    { name: 'CHK_products_scale', expression: `"scale" BETWEEN 0 AND 6` },
  ],
  relations: {
    group: { type: 'many-to-one', target: 'ProductGroup', joinColumn: { name: 'group_id', foreignKeyConstraintName: 'FK_products_group' } },
  },
});

export const ProductBarcodeEntity = entity({
  name: 'ProductBarcode',
  tableName: 'product_barcodes',
  columns: { barcode: { type: 'varchar', length: 64, primary: true }, product_id: int() },
  indices: [{ name: 'IDX_product_barcodes_product', columns: ['product_id'] }],
  relations: {
    product: { type: 'many-to-one', target: 'Product', joinColumn: { name: 'product_id', foreignKeyConstraintName: 'FK_product_barcodes_product' } },
  },
});

/** A product's settings at one site: its low-stock level there (else the product's own) and the bin it is put away to. */
export const ProductSiteEntity = entity({
  name: 'ProductSite',
  tableName: 'product_sites',
  columns: {
    product_id: { type: 'integer', primary: true },
    site_id: { type: 'integer', primary: true },
    low_stock_level: big(true),
    default_bin_id: int(true),
  },
  relations: {
    product: { type: 'many-to-one', target: 'Product', joinColumn: { name: 'product_id', foreignKeyConstraintName: 'FK_product_sites_product' } },
    site: { type: 'many-to-one', target: 'Site', joinColumn: { name: 'site_id', foreignKeyConstraintName: 'FK_product_sites_site' } },
    bin: { type: 'many-to-one', target: 'Bin', joinColumn: { name: 'default_bin_id', foreignKeyConstraintName: 'FK_product_sites_bin' } },
  },
});
