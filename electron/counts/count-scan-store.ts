import type Database from 'better-sqlite3';
import type { EntityRecord } from '../ledger/entities/columns';
import type { CountLineEntity } from '../ledger/entities/count.entities';
import type { ProductEntity } from '../ledger/entities/product.entities';
import type { SerialUnitEntity, StockLevelEntity } from '../ledger/entities/stock.entities';
import { LEDGER_HEAD_SQL } from './count-store';

type ProductRecord = EntityRecord<typeof ProductEntity>;

/** A count line with what scanning needs of its product. */
export type CountLineRef = Pick<EntityRecord<typeof CountLineEntity>, 'id' | 'productId' | 'binId' | 'batchId'> & Pick<ProductRecord, 'tracking' | 'sku' | 'scale'>;

/** A serial unit the system knows, with its product's SKU. */
export type SerialUnitRef = Pick<EntityRecord<typeof SerialUnitEntity>, 'productId' | 'siteId' | 'binId' | 'batchId' | 'inStock'> & Pick<ProductRecord, 'sku'>;

/** A product found by barcode or SKU. */
export type ScannedProduct = Pick<ProductRecord, 'id' | 'sku' | 'tracking' | 'scale' | 'stockType' | 'stockKeeping'>;

/** Every SQL statement of scanning into a count: codes on lines, units and products by code, lines added by a scan. */
export class CountScanStore {
  private readonly s;

  constructor(db: Database.Database) {
    const lineCols = `l.id, l.product_id AS productId, l.bin_id AS binId, l.batch_id AS batchId, p.tracking, p.sku, p.scale
      FROM count_lines l JOIN products p ON p.id = l.product_id`;
    this.s = {
      lineById: db.prepare(`SELECT ${lineCols} WHERE l.id = ? AND l.session_id = ?`),
      linesOfProduct: db.prepare(`SELECT ${lineCols} WHERE l.session_id = ? AND l.product_id = ? ORDER BY l.id`),
      lineByKey: db.prepare(`SELECT ${lineCols} WHERE l.session_id = ? AND l.product_id = ? AND l.bin_id IS ? AND l.batch_id IS ?`),
      sessionCode: db.prepare(
        `SELECT c.line_id AS lineId, p.sku, b.code AS binCode FROM count_line_codes c JOIN count_lines l ON l.id = c.line_id
         JOIN products p ON p.id = l.product_id LEFT JOIN bins b ON b.id = l.bin_id WHERE c.session_id = ? AND c.code = ?`,
      ),
      units: db.prepare(
        `SELECT u.product_id AS productId, p.sku, u.site_id AS siteId, u.bin_id AS binId, u.batch_id AS batchId, u.in_stock AS inStock
         FROM serial_units u JOIN products p ON p.id = u.product_id WHERE u.serial = ?`,
      ),
      product: db.prepare(
        `SELECT id, sku, tracking, scale, stock_type AS stockType, stock_keeping AS stockKeeping FROM products
         WHERE id = (SELECT product_id FROM product_barcodes WHERE barcode = ?) OR sku = ? LIMIT 1`,
      ),
      insertCode: db.prepare('INSERT INTO count_line_codes (session_id, line_id, code, flag, scanned_at, scanned_by) VALUES (?, ?, ?, ?, ?, ?)'),
      deleteCode: db.prepare('DELETE FROM count_line_codes WHERE session_id = ? AND line_id = ? AND code = ?'),
      recount: db.prepare(
        `UPDATE count_lines SET counted_qty = NULLIF((SELECT COUNT(*) FROM count_line_codes c WHERE c.line_id = count_lines.id), 0),
           counted_at = ?, counted_by = ?, counted_seq = ${LEDGER_HEAD_SQL} WHERE id = ?`,
      ),
      increment: db.prepare(
        `UPDATE count_lines SET counted_qty = COALESCE(counted_qty, 0) + ?, counted_at = ?, counted_by = ?, counted_seq = ${LEDGER_HEAD_SQL} WHERE id = ?`,
      ),
      level: db.prepare('SELECT id, qty, last_seq AS lastSeq FROM stock_levels WHERE product_id = ? AND site_id = ? AND bin_id IS ? AND batch_id IS ?'),
      movedSince: db.prepare('SELECT COALESCE(SUM(qty), 0) AS q FROM movements WHERE seq > ? AND product_id = ? AND site_id = ? AND bin_id IS ? AND batch_id IS ?'),
      insertLine: db.prepare('INSERT INTO count_lines (session_id, stock_level_id, product_id, bin_id, batch_id, system_qty) VALUES (?, ?, ?, ?, ?, ?)'),
      binCode: db.prepare('SELECT code FROM bins WHERE id = ?').pluck(),
      siteName: db.prepare('SELECT name FROM sites WHERE id = ?').pluck(),
    };
  }

  lineById(sessionId: number, lineId: number): CountLineRef | undefined {
    return this.s.lineById.get(lineId, sessionId) as CountLineRef | undefined;
  }

  /** The session's lines of a product, in line order. */
  linesOfProduct(sessionId: number, productId: number): CountLineRef[] {
    return this.s.linesOfProduct.all(sessionId, productId) as CountLineRef[];
  }

  lineByKey(sessionId: number, productId: number, binId: number | null, batchId: number | null): CountLineRef | undefined {
    return this.s.lineByKey.get(sessionId, productId, binId, batchId) as CountLineRef | undefined;
  }

  /** The line a code is already scanned on in this session, if any. */
  codeInSession(sessionId: number, code: string): { lineId: number; sku: string; binCode: string | null } | undefined {
    return this.s.sessionCode.get(sessionId, code) as { lineId: number; sku: string; binCode: string | null } | undefined;
  }

  /** Every serial unit with this serial (of any product). */
  unitsBySerial(serial: string): SerialUnitRef[] {
    return this.s.units.all(serial) as SerialUnitRef[];
  }

  /** The product with this barcode, or else this SKU. */
  productByCode(code: string): ScannedProduct | undefined {
    return this.s.product.get(code, code) as ScannedProduct | undefined;
  }

  insertCode(sessionId: number, lineId: number, code: string, flag: 'elsewhere' | 'unknown' | null, at: number, userId: number): void {
    this.s.insertCode.run(sessionId, lineId, code, flag, at, userId);
  }

  /** Removes a code from a line; returns how many were removed (0 or 1). */
  deleteCode(sessionId: number, lineId: number, code: string): number {
    return this.s.deleteCode.run(sessionId, lineId, code).changes;
  }

  /** Sets a serial line's counted quantity to its number of codes (blank when none), as of the ledger head now. */
  recount(lineId: number, at: number, userId: number): void {
    this.s.recount.run(at, userId, lineId);
  }

  /** Adds to a line's counted quantity, as of the ledger head now. */
  increment(lineId: number, qty: number, at: number, userId: number): void {
    this.s.increment.run(qty, at, userId, lineId);
  }

  /** The quant's stock level now, if it has one. */
  level(productId: number, siteId: number, binId: number | null, batchId: number | null): Pick<EntityRecord<typeof StockLevelEntity>, 'id' | 'qty' | 'lastSeq'> | undefined {
    return this.s.level.get(productId, siteId, binId, batchId) as Pick<EntityRecord<typeof StockLevelEntity>, 'id' | 'qty' | 'lastSeq'> | undefined;
  }

  /** The sum of a quant's movements after a seq. */
  movedSince(afterSeq: number, productId: number, siteId: number, binId: number | null, batchId: number | null): number {
    return (this.s.movedSince.get(afterSeq, productId, siteId, binId, batchId) as { q: number }).q;
  }

  /** Inserts a line; returns its id. */
  insertLine(sessionId: number, stockLevelId: number | null, productId: number, binId: number | null, batchId: number | null, systemQty: number): number {
    return Number(this.s.insertLine.run(sessionId, stockLevelId, productId, binId, batchId, systemQty).lastInsertRowid);
  }

  binCode(id: number): string | undefined {
    return this.s.binCode.get(id) as string | undefined;
  }

  siteName(id: number): string {
    return this.s.siteName.get(id) as string;
  }
}
