import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { CountScanInput } from '../../shared/contract/counts.schemas';
import { countReference, type CountLine, type CountScanResult } from '../../shared/counts';
import { LEDGER_HEAD_SQL, type CountQueries } from './count-queries';

interface LineRef {
  id: number;
  productId: number;
  binId: number | null;
  batchId: number | null;
  tracking: string;
  sku: string;
  scale: number;
}
interface UnitRef {
  productId: number;
  sku: string;
  siteId: number | null;
  binId: number | null;
  batchId: number | null;
  inStock: number;
}

/**
 * Scans and typed codes: a serial/RFID code is recorded on its line (a duplicate is ignored and reported,
 * a unit recorded elsewhere is flagged); a product barcode or SKU adds one to its line, adding the line if needed.
 */
export class CountScanning {
  private readonly s;
  constructor(private readonly db: Database.Database, private readonly queries: CountQueries, private readonly clock: () => number = Date.now) {
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
    };
  }

  scan(input: CountScanInput, userId: number): CountScanResult {
    return this.db.transaction((): CountScanResult => {
      const session = this.queries.requireDraft(input.sessionId);
      const code = input.code.trim();
      const seen = this.s.sessionCode.get(input.sessionId, code) as { lineId: number; sku: string; binCode: string | null } | undefined;
      if (seen) {
        return {
          outcome: 'duplicate',
          message: `${code} was already scanned on ${seen.sku}${seen.binCode ? ` in ${seen.binCode}` : ''}; this scan was ignored.`,
          line: this.queries.line(input.sessionId, seen.lineId),
        };
      }
      const chosen = input.lineId !== undefined ? this.lineById(input.sessionId, input.lineId) : null;
      const units = this.s.units.all(code) as UnitRef[];
      if (chosen && isSerial(chosen.tracking)) return this.addCode(input.sessionId, session, chosen, code, units, userId);
      if (units.length > 0) return this.scanUnit(input.sessionId, session, code, units, userId);
      const product = this.s.product.get(code, code) as { id: number; sku: string; tracking: string; scale: number; stockType: string; stockKeeping: number } | undefined;
      if (!product) return { outcome: 'not_found', message: `No product, barcode or serial number matches "${code}". Check the code and scan again.`, line: null };
      if (isSerial(product.tracking)) {
        return { outcome: 'flagged', message: `${product.sku} is ${product.tracking.toLowerCase()}-tracked: scan each unit's ${product.tracking === 'RFID' ? 'tag' : 'serial number'}, not the product barcode.`, line: null };
      }
      if (chosen && chosen.productId === product.id) return this.increment(input.sessionId, chosen, userId, false);
      const lines = this.s.linesOfProduct.all(input.sessionId, product.id) as LineRef[];
      const inBin = session.binId === null ? lines : lines.filter((l) => l.binId === session.binId);
      if (inBin.length === 1) return this.increment(input.sessionId, inBin[0]!, userId, false);
      if (inBin.length > 1) {
        return { outcome: 'flagged', message: `${product.sku} has ${inBin.length} lines in this count (bins or batches). Select its line, then scan again.`, line: null };
      }
      if (product.tracking === 'LOT') {
        return { outcome: 'flagged', message: `${product.sku} is lot-tracked and has no line in this count. Count it on a line with its batch.`, line: null };
      }
      if (product.stockType === 'Recipe' || product.stockType === 'Other' || !product.stockKeeping) {
        return { outcome: 'flagged', message: `${product.sku} does not keep stock, so it cannot be counted.`, line: null };
      }
      const line = this.addLine(input.sessionId, session, product.id, session.binId, null);
      return this.increment(input.sessionId, line, userId, true);
    })();
  }

  removeCode(sessionId: number, lineId: number, code: string, userId: number): CountLine {
    return this.db.transaction(() => {
      this.queries.requireDraft(sessionId);
      const removed = this.s.deleteCode.run(sessionId, lineId, code.trim()).changes;
      if (!removed) throw new AppError('NOT_FOUND', `${code} is not scanned on this line. Reload the count sheet.`, { lineId, code });
      this.s.recount.run(this.clock(), userId, lineId);
      return this.queries.line(sessionId, lineId);
    })();
  }

  private scanUnit(sessionId: number, session: SessionScope, code: string, units: UnitRef[], userId: number): CountScanResult {
    // A unit in stock inside this count's scope goes onto the line of its quant.
    for (const u of units) {
      if (u.inStock && u.siteId === session.siteId && (session.binId === null || u.binId === session.binId)) {
        const line = (this.s.lineByKey.get(sessionId, u.productId, u.binId, u.batchId) as LineRef | undefined) ?? this.addLine(sessionId, session, u.productId, u.binId, u.batchId);
        return this.addCode(sessionId, session, line, code, units, userId);
      }
    }
    // Otherwise, in a single-bin count, it was found in this bin: record it on its product's line there, flagged.
    const serialUnit = units[0];
    if (serialUnit && session.binId !== null) {
      const lines = (this.s.linesOfProduct.all(sessionId, serialUnit.productId) as LineRef[]).filter((l) => l.binId === session.binId);
      const line = lines[0] ?? this.addLine(sessionId, session, serialUnit.productId, session.binId, serialUnit.batchId);
      return this.addCode(sessionId, session, line, code, units, userId);
    }
    return { outcome: 'flagged', message: `${code} belongs to ${serialUnit!.sku}, recorded ${this.describe(serialUnit!)}, outside this count's lines. Select the line where you found it and scan again.`, line: null };
  }

  private addCode(sessionId: number, session: SessionScope, line: LineRef, code: string, units: UnitRef[], userId: number): CountScanResult {
    if (!isSerial(line.tracking)) {
      return { outcome: 'flagged', message: `${line.sku} is not serial-tracked; ${code} cannot be recorded on its line.`, line: this.queries.line(sessionId, line.id) };
    }
    const own = units.find((u) => u.productId === line.productId);
    if (!own && units.length > 0) {
      return {
        outcome: 'flagged',
        message: `${code} is a serial number of ${units.map((u) => u.sku).join(', ')}, not of ${line.sku}. It was not recorded; scan it on that product's line.`,
        line: this.queries.line(sessionId, line.id),
      };
    }
    const here = own && own.inStock && own.siteId === session.siteId && own.binId === line.binId && own.batchId === line.batchId;
    const flag = !own ? 'unknown' : here ? null : 'elsewhere';
    this.s.insertCode.run(sessionId, line.id, code, flag, this.clock(), userId);
    this.s.recount.run(this.clock(), userId, line.id);
    const message =
      flag === null
        ? `${code} counted on ${line.sku}.`
        : flag === 'elsewhere'
          ? `${code} counted on ${line.sku}, but the system has it ${this.describe(own!)}; completing moves it here.`
          : `${code} is not known for ${line.sku}; completing adds it as a found unit.`;
    return { outcome: flag === null ? 'added' : 'flagged', message, line: this.queries.line(sessionId, line.id) };
  }

  private increment(sessionId: number, line: LineRef, userId: number, added: boolean): CountScanResult {
    this.s.increment.run(10 ** line.scale, this.clock(), userId, line.id);
    const updated = this.queries.line(sessionId, line.id);
    return { outcome: 'incremented', message: `${line.sku}: counted one more${added ? ' (new line added)' : ''}.`, line: updated, ...(added ? { addedLine: true } : {}) };
  }

  /** A line for a quant that was not in the snapshot: its system quantity is the quant's quantity at the snapshot seq. */
  private addLine(sessionId: number, session: SessionScope, productId: number, binId: number | null, batchId: number | null): LineRef {
    const level = this.s.level.get(productId, session.siteId, binId, batchId) as { id: number; qty: number; lastSeq: number } | undefined;
    let systemQty = 0;
    if (level) {
      const moved = level.lastSeq > session.snapshotSeq ? (this.s.movedSince.get(session.snapshotSeq, productId, session.siteId, binId, batchId) as { q: number }).q : 0;
      systemQty = level.qty - moved;
    }
    const id = Number(this.s.insertLine.run(sessionId, level?.id ?? null, productId, binId, batchId, systemQty).lastInsertRowid);
    return this.lineById(sessionId, id);
  }

  private lineById(sessionId: number, lineId: number): LineRef {
    const line = this.s.lineById.get(lineId, sessionId) as LineRef | undefined;
    if (!line) throw new AppError('NOT_FOUND', `That line is not a line of stock count ${countReference(sessionId)} (it may have been removed). Reload the count sheet.`, { lineId });
    return line;
  }

  private describe(u: UnitRef): string {
    if (!u.inStock || u.siteId === null) return 'as not in stock';
    const bin = u.binId === null ? null : (this.db.prepare('SELECT code FROM bins WHERE id = ?').get(u.binId) as { code: string } | undefined)?.code;
    const site = (this.db.prepare('SELECT name FROM sites WHERE id = ?').get(u.siteId) as { name: string }).name;
    return `at ${site}${bin ? ` in ${bin}` : ''}`;
  }
}

interface SessionScope {
  siteId: number;
  binId: number | null;
  snapshotSeq: number;
}

const isSerial = (tracking: string) => tracking === 'SERIAL' || tracking === 'RFID';
