import { big, bool, int, pk, str, text, versionColumns, entity } from './columns';
import { fk } from './stock.entities';

/** A stock count session (seed 002): scope, status and the snapshot it counts against. */
export const CountSessionEntity = entity({
  name: 'CountSession',
  tableName: 'count_sessions',
  columns: {
    id: pk(),
    site_id: int(),
    bin_id: int(true),
    notes: text(true),
    status: str(16, false, 'DRAFT'),
    snapshot_seq: int(),
    created_at: big(),
    created_by: int(),
    completed_at: big(true),
    completed_by: int(true),
    cancelled_at: big(true),
    cancelled_by: int(true),
    document_id: int(true),
    /** The count's effective time; its adjustments are dated to it (always set; nullable only as an added SQLite column). */
    occurred_at: big(true),
  },
  checks: [{ name: 'CHK_count_sessions_status', expression: `"status" IN ('DRAFT','COMPLETED','CANCELLED')` }],
  relations: {
    site: fk('Site', 'site_id', 'FK_count_sessions_site'),
    bin: fk('Bin', 'bin_id', 'FK_count_sessions_bin'),
    creator: fk('User', 'created_by', 'FK_count_sessions_created_by'),
    completer: fk('User', 'completed_by', 'FK_count_sessions_completed_by'),
    canceller: fk('User', 'cancelled_by', 'FK_count_sessions_cancelled_by'),
    document: fk('Document', 'document_id', 'FK_count_sessions_document'),
  },
});

/** One quant of the session: system quantity at the snapshot, counted quantity (NULL = blank). */
export const CountLineEntity = entity({
  name: 'CountLine',
  tableName: 'count_lines',
  columns: {
    id: pk(),
    session_id: int(),
    stock_level_id: int(true),
    product_id: int(),
    bin_id: int(true),
    batch_id: int(true),
    system_qty: big(),
    counted_qty: big(true),
    resolution: str(16, false, 'keep_counted'),
    moved_qty: big(true),
    adjusted_qty: big(true),
    counted_at: big(true),
    counted_by: int(true),
    /** The last movement seq when the counted quantity was entered: later movements happened after counting. */
    counted_seq: int(true),
    /** 1 = the user chose the resolution; 0 = by time (movements before counting kept counted, after it kept as difference). */
    resolution_chosen: bool(false),
    /** At completion: the part of moved_qty recorded after the line was counted. */
    moved_after_qty: big(true),
    ...versionColumns(),
    updated_at: big(true),
  },
  checks: [{ name: 'CHK_count_lines_resolution', expression: `"resolution" IN ('keep_counted','keep_difference')` }],
  indices: [
    // An expression index (IFNULL on bin and batch) made by the migration; TypeORM must leave it alone.
    { name: 'UQ_count_lines_key', unique: true, synchronize: false, columns: ['session_id', 'product_id', 'bin_id', 'batch_id'] },
  ],
  relations: {
    session: fk('CountSession', 'session_id', 'FK_count_lines_session'),
    stockLevel: fk('StockLevel', 'stock_level_id', 'FK_count_lines_stock_level'),
    product: fk('Product', 'product_id', 'FK_count_lines_product'),
    bin: fk('Bin', 'bin_id', 'FK_count_lines_bin'),
    batch: fk('Batch', 'batch_id', 'FK_count_lines_batch'),
    counter: fk('User', 'counted_by', 'FK_count_lines_counted_by'),
  },
});

/** A serial or RFID code scanned on a line; unique per session. */
export const CountLineCodeEntity = entity({
  name: 'CountLineCode',
  tableName: 'count_line_codes',
  columns: {
    id: pk(),
    session_id: int(),
    line_id: int(),
    code: str(128),
    flag: str(16, true),
    scanned_at: big(),
    scanned_by: int(),
  },
  uniques: [{ name: 'UQ_count_line_codes_session_code', columns: ['session_id', 'code'] }],
  indices: [{ name: 'IDX_count_line_codes_line', columns: ['line_id'] }],
  relations: {
    session: fk('CountSession', 'session_id', 'FK_count_line_codes_session'),
    line: fk('CountLine', 'line_id', 'FK_count_line_codes_line'),
    scanner: fk('User', 'scanned_by', 'FK_count_line_codes_scanned_by'),
  },
});
