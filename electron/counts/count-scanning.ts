import { AppError } from '../../shared/contract/errors';
import type { CountScanInput } from '../../shared/contract/counts.schemas';
import { countReference, type CountLine, type CountScanResult } from '../../shared/counts';
import type { CountQueries } from './count-queries';
import type { CountLineRef as LineRef, CountScanStore, SerialUnitRef as UnitRef } from './count-scan-store';
import type { CountStore } from './count-store';

/**
 * Scans and typed codes: a serial/RFID code is recorded on its line (a duplicate is ignored and reported,
 * a unit recorded elsewhere is flagged); a product barcode or SKU adds one to its line, adding the line if needed.
 */
export class CountScanning {
  constructor(
    private readonly store: CountStore,
    private readonly scans: CountScanStore,
    private readonly queries: CountQueries,
    private readonly clock: () => number = Date.now,
  ) {}

  scan(input: CountScanInput, userId: number): CountScanResult {
    return this.store.transaction((): CountScanResult => {
      const session = this.queries.requireDraft(input.sessionId);
      const code = input.code.trim();
      const seen = this.scans.codeInSession(input.sessionId, code);
      if (seen) {
        return {
          outcome: 'duplicate',
          message: `${code} was already scanned on ${seen.sku}${seen.binCode ? ` in ${seen.binCode}` : ''}; this scan was ignored.`,
          line: this.queries.line(input.sessionId, seen.lineId),
        };
      }
      const chosen = input.lineId !== undefined ? this.lineById(input.sessionId, input.lineId) : null;
      const units = this.scans.unitsBySerial(code);
      if (chosen && isSerial(chosen.tracking)) return this.addCode(input.sessionId, session, chosen, code, units, userId);
      if (units.length > 0) return this.scanUnit(input.sessionId, session, code, units, userId);
      const product = this.scans.productByCode(code);
      if (!product) return { outcome: 'not_found', message: `No product, barcode or serial number matches "${code}". Check the code and scan again.`, line: null };
      if (isSerial(product.tracking)) {
        return { outcome: 'flagged', message: `${product.sku} is ${product.tracking.toLowerCase()}-tracked: scan each unit's ${product.tracking === 'RFID' ? 'tag' : 'serial number'}, not the product barcode.`, line: null };
      }
      if (chosen && chosen.productId === product.id) return this.increment(input.sessionId, chosen, userId, false);
      const lines = this.scans.linesOfProduct(input.sessionId, product.id);
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
    });
  }

  removeCode(sessionId: number, lineId: number, code: string, userId: number): CountLine {
    return this.store.transaction(() => {
      this.queries.requireDraft(sessionId);
      const removed = this.scans.deleteCode(sessionId, lineId, code.trim());
      if (!removed) throw new AppError('NOT_FOUND', `${code} is not scanned on this line. Reload the count sheet.`, { lineId, code });
      this.scans.recount(lineId, this.clock(), userId);
      return this.queries.line(sessionId, lineId);
    });
  }

  private scanUnit(sessionId: number, session: SessionScope, code: string, units: UnitRef[], userId: number): CountScanResult {
    // A unit in stock inside this count's scope goes onto the line of its quant.
    for (const u of units) {
      if (u.inStock && u.siteId === session.siteId && (session.binId === null || u.binId === session.binId)) {
        const line = this.scans.lineByKey(sessionId, u.productId, u.binId, u.batchId) ?? this.addLine(sessionId, session, u.productId, u.binId, u.batchId);
        return this.addCode(sessionId, session, line, code, units, userId);
      }
    }
    // Otherwise, in a single-bin count, it was found in this bin: record it on its product's line there, flagged.
    const serialUnit = units[0];
    if (serialUnit && session.binId !== null) {
      const lines = this.scans.linesOfProduct(sessionId, serialUnit.productId).filter((l) => l.binId === session.binId);
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
    this.scans.insertCode(sessionId, line.id, code, flag, this.clock(), userId);
    this.scans.recount(line.id, this.clock(), userId);
    const message =
      flag === null
        ? `${code} counted on ${line.sku}.`
        : flag === 'elsewhere'
          ? `${code} counted on ${line.sku}, but the system has it ${this.describe(own!)}; completing moves it here.`
          : `${code} is not known for ${line.sku}; completing adds it as a found unit.`;
    return { outcome: flag === null ? 'added' : 'flagged', message, line: this.queries.line(sessionId, line.id) };
  }

  private increment(sessionId: number, line: LineRef, userId: number, added: boolean): CountScanResult {
    this.scans.increment(line.id, 10 ** line.scale, this.clock(), userId);
    const updated = this.queries.line(sessionId, line.id);
    return { outcome: 'incremented', message: `${line.sku}: counted one more${added ? ' (new line added)' : ''}.`, line: updated, ...(added ? { addedLine: true } : {}) };
  }

  /** A line for a quant that was not in the snapshot: its system quantity is the quant's quantity at the snapshot seq. */
  private addLine(sessionId: number, session: SessionScope, productId: number, binId: number | null, batchId: number | null): LineRef {
    const level = this.scans.level(productId, session.siteId, binId, batchId);
    let systemQty = 0;
    if (level) {
      const moved = level.lastSeq > session.snapshotSeq ? this.scans.movedSince(session.snapshotSeq, productId, session.siteId, binId, batchId) : 0;
      systemQty = level.qty - moved;
    }
    const id = this.scans.insertLine(sessionId, level?.id ?? null, productId, binId, batchId, systemQty);
    return this.lineById(sessionId, id);
  }

  private lineById(sessionId: number, lineId: number): LineRef {
    const line = this.scans.lineById(sessionId, lineId);
    if (!line) throw new AppError('NOT_FOUND', `That line is not a line of stock count ${countReference(sessionId)} (it may have been removed). Reload the count sheet.`, { lineId });
    return line;
  }

  private describe(u: UnitRef): string {
    if (!u.inStock || u.siteId === null) return 'as not in stock';
    const bin = u.binId === null ? null : this.scans.binCode(u.binId);
    const site = this.scans.siteName(u.siteId);
    return `at ${site}${bin ? ` in ${bin}` : ''}`;
  }
}

interface SessionScope {
  siteId: number;
  binId: number | null;
  snapshotSeq: number;
}

const isSerial = (tracking: string) => tracking === 'SERIAL' || tracking === 'RFID';
