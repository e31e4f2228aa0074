import { ON_COSTS, type OnCostKind } from '../../../shared/domain';
import { big, entity, int, pk, str, text, type Column, type EntityRow } from './columns';
import { fk } from './stock.entities';

export const DocumentEntity = entity({
  name: 'Document',
  tableName: 'documents',
  columns: {
    id: pk(),
    type: str(40),
    reference: str(100, true),
    status: str(16, false, 'posted'),
    user_id: int(),
    occurred_at: big(),
    recorded_at: big(),
    idempotency_key: str(128),
    payload_hash: str(64),
    note: text(true),
  },
  uniques: [{ name: 'UQ_documents_idempotency_key', columns: ['idempotency_key'] }],
  // A NOCASE index for the Enquiry's search by reference, made by 0049-enquiry-search-references; TypeORM must leave it alone.
  // Documents in time order with their references (0051): a broad reference prefix walked nearest the page first.
  indices: [
    { name: 'IDX_documents_reference_nocase', synchronize: false, columns: ['reference', 'occurred_at'] },
    { name: 'IDX_documents_occurred_reference', columns: ['occurred_at', 'reference'] },
  ],
  relations: { user: fk('User', 'user_id', 'FK_documents_user') },
});

/** Append-only. Written only by the raw posting statements in store/; TypeORM owns its shape. */
export const MovementEntity = entity({
  name: 'Movement',
  tableName: 'movements',
  columns: {
    seq: { type: 'integer', primary: true },
    document_id: int(),
    line_no: int(),
    product_id: int(),
    site_id: int(),
    bin_id: int(true),
    batch_id: int(true),
    serial_id: int(true),
    type: str(40),
    qty: big(),
    balance_after: big(),
    occurred_at: big(),
    recorded_at: big(),
    user_id: int(),
    unit_cost: big(false, 0),
    cost_source: str(20),
    ...(Object.fromEntries(ON_COSTS.map((k) => [`oc_${k}`, big(false, 0)])) as Record<`oc_${OnCostKind}`, Column<'bigint', false>>),
    reversal_of: int(true),
    note: text(true),
    prev_hash: str(64),
    hash: str(64),
  },
  indices: [
    { name: 'IDX_movements_document', columns: ['document_id'] },
    { name: 'IDX_movements_product_occurred', columns: ['product_id', 'occurred_at'] },
    // Made by 0028-enquiry-balance-index: a product/site's movements in effective order with their quantities (balance on that date).
    { name: 'IDX_movements_product_site_occurred', columns: ['product_id', 'site_id', 'occurred_at', 'qty'] },
    // Made by 0031-enquiry-product-type-index: a product's movements of one type in effective order (enquiry: product/search + type).
    { name: 'IDX_movements_product_type_occurred', columns: ['product_id', 'type', 'occurred_at'] },
    { name: 'IDX_movements_occurred', columns: ['occurred_at'] },
    // Made by 0008-enquiry-batch-index (replaced the plain batch_id index): a batch's movements in time order;
    // only movements with a batch since 0037-sparse-movement-indexes.
    { name: 'IDX_movements_batch_occurred', columns: ['batch_id', 'occurred_at'], where: '"batch_id" IS NOT NULL' },
    // Added by 0003-enquiry-indexes (movement enquiry).
    { name: 'IDX_movements_type_occurred', columns: ['type', 'occurred_at'] },
    { name: 'IDX_movements_recorded', columns: ['recorded_at'] },
    { name: 'IDX_movements_user_occurred', columns: ['user_id', 'occurred_at'] },
    // Made by migration 0002 (stock operations): finds the reversals of a movement; only corrections since 0037.
    { name: 'IDX_movements_reversal_of', columns: ['reversal_of'], where: '"reversal_of" IS NOT NULL' },
    // Made by 0047-enquiry-serial-index: a serial unit's movements in time order (enquiry: the search box's serials).
    { name: 'IDX_movements_serial_occurred', columns: ['serial_id', 'occurred_at'], where: '"serial_id" IS NOT NULL' },
  ],
  relations: {
    document: fk('Document', 'document_id', 'FK_movements_document'),
    product: fk('Product', 'product_id', 'FK_movements_product'),
    site: fk('Site', 'site_id', 'FK_movements_site'),
    bin: fk('Bin', 'bin_id', 'FK_movements_bin'),
    batch: fk('Batch', 'batch_id', 'FK_movements_batch'),
    serial: fk('SerialUnit', 'serial_id', 'FK_movements_serial'),
    user: fk('User', 'user_id', 'FK_movements_user'),
    reversal: fk('Movement', 'reversal_of', 'FK_movements_reversal_of'),
  },
});

/** The stored columns of one movement, as written and as read back by verify. */
export type MovementRow = EntityRow<typeof MovementEntity>;
