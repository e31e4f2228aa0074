import { big, bool, entity, int, pk, str, text, versionColumns } from './columns';
import { fk } from './stock.entities';

/** What an operations document was: its kind, reason, duty-paid flag and the document it reverses. */
export const OperationDocumentEntity = entity({
  name: 'OperationDocument',
  tableName: 'operation_documents',
  columns: {
    document_id: { type: 'integer', primary: true },
    kind: str(40),
    site_id: int(true),
    to_site_id: int(true),
    reason: str(40, true),
    duty_paid: bool(false),
    source_document_id: int(true),
    counterparty: str(128, true),
  },
  indices: [
    { name: 'IDX_operation_documents_kind', columns: ['kind'] },
    // A NOCASE index for the Enquiry's search by counterparty, made by 0049-enquiry-search-references; TypeORM must leave it alone.
    { name: 'IDX_operation_documents_counterparty_nocase', synchronize: false, columns: ['counterparty'] },
  ],
  relations: { document: fk('Document', 'document_id', 'FK_operation_documents_document') },
});

/** A sales credit with "return to stock" false: value only, no movement; finance posting picks these up. */
export const OperationValueCreditEntity = entity({
  name: 'OperationValueCredit',
  tableName: 'operation_value_credits',
  columns: {
    id: pk(),
    idempotency_key: str(128),
    line_no: int(),
    kind: str(40),
    reference: str(100, true),
    sale_document_id: int(),
    sale_seq: int(),
    product_id: int(),
    site_id: int(),
    qty: big(),
    unit_cost: big(),
    value: big(),
    occurred_at: big(),
    recorded_at: big(),
    user_id: int(),
    note: text(true),
  },
  uniques: [{ name: 'UQ_operation_value_credits_key_line', columns: ['idempotency_key', 'line_no'] }],
  indices: [{ name: 'IDX_operation_value_credits_sale_seq', columns: ['sale_seq'] }],
  relations: { sale: fk('Movement', 'sale_seq', 'FK_operation_value_credits_sale') },
});

/**
 * Which kit line of a sale each component movement came from (migration 0050; pg 0025): a Recipe product sold as a kit
 * explodes into its components' movements, and this side table keeps, per component movement, the kit product, the
 * quantity typed on the kit line (in the kit's smallest unit) and the form line it was typed on. Movements are
 * append-only and hashed, so this sits beside them, written in the same transaction; a refund of the sale reads it to
 * show the kit over its components. Sales posted before 0050 have no rows.
 */
export const MovementKitLineEntity = entity({
  name: 'MovementKitLine',
  tableName: 'movement_kit_lines',
  columns: {
    seq: { type: 'integer', primary: true },
    form_line_no: int(),
    kit_product_id: int(),
    kit_qty: big(),
  },
  checks: [{ name: 'CHK_movement_kit_lines_kit_qty', expression: '"kit_qty" > 0' }],
  indices: [{ name: 'IDX_movement_kit_lines_kit_product', columns: ['kit_product_id'] }],
  relations: {
    movement: fk('Movement', 'seq', 'FK_movement_kit_lines_movement'),
    kitProduct: fk('Product', 'kit_product_id', 'FK_movement_kit_lines_kit_product'),
  },
});

/** A named, dated adjustment that autosaves until it is posted (seed 003). */
export const AdjustmentDraftEntity = entity({
  name: 'AdjustmentDraft',
  tableName: 'adjustment_drafts',
  columns: {
    id: pk(),
    name: str(128),
    site_id: int(),
    effective_at: big(),
    note: text(true),
    status: str(16, false, 'draft'),
    document_id: int(true),
    user_id: int(),
    created_at: big(),
    updated_at: big(),
    /** Seed 004's "Duty Paid" box of the Stock Adjustment window (migration 0027). */
    duty_paid: bool(false),
    ...versionColumns(),
  },
  checks: [{ name: 'CHK_adjustment_drafts_status', expression: `"status" IN ('draft','posted')` }],
  relations: { site: fk('Site', 'site_id', 'FK_adjustment_drafts_site') },
});

export const AdjustmentDraftLineEntity = entity({
  name: 'AdjustmentDraftLine',
  tableName: 'adjustment_draft_lines',
  columns: {
    id: pk(),
    draft_id: int(),
    line_no: int(),
    product_id: int(),
    bin_id: int(true),
    batch_code: str(64, true),
    batch_expiry: str(10, true),
    serial: str(128, true),
    qty: big(),
    reason: str(20),
    note: text(true),
    updated_at: big(),
    ...versionColumns(),
  },
  uniques: [{ name: 'UQ_adjustment_draft_lines_line', columns: ['draft_id', 'line_no'] }],
  relations: {
    draft: { ...fk('AdjustmentDraft', 'draft_id', 'FK_adjustment_draft_lines_draft'), onDelete: 'CASCADE' },
  },
});

/** An operation request: its idempotency key and the fingerprint of its input (a reused key with another input is a conflict). */
export const OperationRequestEntity = entity({
  name: 'OperationRequest',
  tableName: 'operation_requests',
  columns: {
    idempotency_key: { type: 'varchar', length: 128, primary: true },
    operation: str(40),
    input_hash: str(64),
    document_id: int(true),
    recorded_at: big(),
  },
});

/**
 * Each import of a file: the sha256 of its content, who posted it when, and as which documents. The n-th import of
 * the same content is copy n, and (content_hash, copy_no) is unique: two racing posts of one file cannot both be copy 1.
 */
export const ImportFileEntity = entity({
  name: 'ImportFile',
  tableName: 'import_files',
  columns: {
    id: pk(),
    content_hash: str(64),
    copy_no: int(),
    kind: str(40),
    file_name: str(260, true),
    idempotency_key: str(128),
    row_count: int(),
    document_ids: text(),
    user_id: int(),
    recorded_at: big(),
  },
  uniques: [{ name: 'UQ_import_files_content_copy', columns: ['content_hash', 'copy_no'] }],
  relations: { user: fk('User', 'user_id', 'FK_import_files_user') },
});

/**
 * An import of more than one chunk while it posts (issue 15): posted chunk by chunk between the clerks' commits,
 * finished at start-up if the process stopped part-way (migration 0032 says what each status means).
 */
export const ImportPostingEntity = entity({
  name: 'ImportPosting',
  tableName: 'import_postings',
  columns: {
    id: pk(),
    idempotency_key: str(128),
    request_hash: str(64),
    content_hash: str(64),
    confirm_duplicate: bool(false),
    kind: str(40),
    file_name: str(260, true),
    user_id: int(),
    row_count: int(),
    chunk_count: int(),
    posted_chunks: { type: 'integer', default: 0 },
    posted_rows: { type: 'integer', default: 0 },
    /** No longer written (ids of chunks posted before this change stay): an import's documents are those under its chunk keys (ImportStore.documentIds). */
    document_ids: text(false, '[]'),
    status: str(16),
    error: text(true),
    created_at: big(),
    updated_at: big(),
  },
  uniques: [{ name: 'UQ_import_postings_key', columns: ['idempotency_key'] }],
  indices: [
    { name: 'IDX_import_postings_status', columns: ['status'] },
    { name: 'IDX_import_postings_content', columns: ['content_hash'] },
  ],
  relations: { user: fk('User', 'user_id', 'FK_import_postings_user') },
});

/** One chunk of an import still to post: its document, deleted by the transaction that posts it. */
export const ImportPostingChunkEntity = entity({
  name: 'ImportPostingChunk',
  tableName: 'import_posting_chunks',
  columns: {
    import_id: { type: 'integer', primary: true },
    chunk_no: { type: 'integer', primary: true },
    document: text(),
  },
  relations: { import: fk('ImportPosting', 'import_id', 'FK_import_posting_chunks_import') },
});
