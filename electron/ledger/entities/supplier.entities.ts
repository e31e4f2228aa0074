import { bool, entity, int, pk, str, text } from './columns';

const fk = (target: string, column: string, name: string) => ({
  type: 'many-to-one' as const,
  target,
  joinColumn: { name: column, foreignKeyConstraintName: name },
});

/** A supplier (migration 0021): code and name unique, country and "in the EC" for the customs rule. */
export const SupplierEntity = entity({
  name: 'Supplier',
  tableName: 'suppliers',
  columns: {
    id: pk(),
    code: str(32),
    name: str(128),
    country: str(2),
    in_ec: bool(false),
    contact_name: str(128, false, ''),
    email: str(254, false, ''),
    phone: str(40, false, ''),
    address: text(false, ''),
    notes: text(false, ''),
    active: bool(true),
  },
  uniques: [
    { name: 'UQ_suppliers_code', columns: ['code'] },
    { name: 'UQ_suppliers_name', columns: ['name'] },
  ],
});

/** A product's code in a supplier's catalogue: unique per supplier. */
export const ProductSupplierCodeEntity = entity({
  name: 'ProductSupplierCode',
  tableName: 'product_supplier_codes',
  columns: { id: pk(), product_id: int(), supplier_id: int(), supplier_code: str(64) },
  uniques: [{ name: 'UQ_product_supplier_codes_code', columns: ['supplier_id', 'supplier_code'] }],
  indices: [{ name: 'IDX_product_supplier_codes_product', columns: ['product_id'] }],
  relations: {
    product: fk('Product', 'product_id', 'FK_product_supplier_codes_product'),
    supplier: fk('Supplier', 'supplier_id', 'FK_product_supplier_codes_supplier'),
  },
});

/** The supplier a receipt came from (one per document). */
export const DocumentSupplierEntity = entity({
  name: 'DocumentSupplier',
  tableName: 'document_suppliers',
  columns: { document_id: { type: 'integer', primary: true }, supplier_id: int() },
  indices: [{ name: 'IDX_document_suppliers_supplier', columns: ['supplier_id'] }],
  relations: {
    document: fk('Document', 'document_id', 'FK_document_suppliers_document'),
    supplier: fk('Supplier', 'supplier_id', 'FK_document_suppliers_supplier'),
  },
});

export const SUPPLIER_ENTITIES = [SupplierEntity, ProductSupplierCodeEntity, DocumentSupplierEntity];
