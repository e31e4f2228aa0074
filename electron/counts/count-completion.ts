import type Database from 'better-sqlite3';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import { countReference, effectiveAdjustment, STOCK_COUNT_DOCUMENT_TYPE, STOCK_COUNT_REASON, type CountResolutionChoice } from '../../shared/counts';
import type { DocumentPoster } from '../ledger/store/document-poster';
import { movedAfterCountSql, type CountQueries } from './count-queries';

interface CountedRow {
  id: number;
  productId: number;
  binId: number | null;
  batchId: number | null;
  batchCode: string | null;
  tracking: string;
  systemQty: number;
  countedQty: number;
  movedQty: number;
  movedAfterCount: number;
  resolution: CountResolutionChoice;
}

/**
 * Completing a count: one Stock Taking document (system_correction lines, reason stock_count), dated to the count's
 * effective time, posted in the same transaction that closes the session. Blank lines are skipped; unscanned serial/RFID units are taken out (detached).
 */
export class CountCompletion {
  private readonly s;
  constructor(
    private readonly db: Database.Database,
    private readonly poster: DocumentPoster,
    private readonly queries: CountQueries,
    private readonly clock: () => number = Date.now,
  ) {
    this.s = {
      // Record what had moved since the snapshot (and of it, what moved after each line was counted),
      // before this count's own movements change the quants.
      recordMoved: db.prepare(
        `UPDATE count_lines SET moved_qty = COALESCE(
           (SELECT q.qty FROM stock_levels q WHERE q.id = count_lines.stock_level_id),
           (SELECT q.qty FROM stock_levels q WHERE q.product_id = count_lines.product_id AND q.site_id = @site AND q.bin_id IS count_lines.bin_id AND q.batch_id IS count_lines.batch_id),
           0) - system_qty,
         moved_after_qty = CASE
           WHEN counted_at IS NULL OR EXISTS (SELECT 1 FROM stock_levels q WHERE q.id = count_lines.stock_level_id AND q.last_seq <= @snapshot) THEN 0
           ELSE ${movedAfterCountSql('count_lines', '@snapshot', '@site', '@backdatedTo')} END
         WHERE session_id = @session`,
      ),
      counted: db.prepare(
        `SELECT l.id, l.product_id AS productId, l.bin_id AS binId, l.batch_id AS batchId, bt.code AS batchCode, p.tracking,
           l.system_qty AS systemQty, l.counted_qty AS countedQty, l.moved_qty AS movedQty, l.moved_after_qty AS movedAfterCount,
           CASE WHEN l.resolution_chosen THEN l.resolution ELSE 'by_time' END AS resolution
         FROM count_lines l JOIN products p ON p.id = l.product_id LEFT JOIN batches bt ON bt.id = l.batch_id
         WHERE l.session_id = ? AND l.counted_qty IS NOT NULL ORDER BY l.id`,
      ),
      unitsAt: db.prepare('SELECT serial FROM serial_units WHERE product_id = ? AND site_id = ? AND bin_id IS ? AND batch_id IS ? AND in_stock = 1'),
      codes: db.prepare('SELECT code FROM count_line_codes WHERE line_id = ?'),
      unit: db.prepare(
        `SELECT u.site_id AS siteId, u.bin_id AS binId, u.in_stock AS inStock, bt.code AS batchCode FROM serial_units u
         LEFT JOIN batches bt ON bt.id = u.batch_id WHERE u.product_id = ? AND u.serial = ?`,
      ),
      setAdjusted: db.prepare('UPDATE count_lines SET adjusted_qty = ? WHERE id = ?'),
      complete: db.prepare(
        "UPDATE count_sessions SET status = 'COMPLETED', completed_at = ?, completed_by = ?, document_id = ? WHERE id = ? AND status = 'DRAFT'",
      ),
    };
  }

  /** All or nothing: on any failure the session stays DRAFT and no movement exists. */
  complete(sessionId: number, userId: number): { documentId: number | null; movementCount: number } {
    const run = this.db.transaction(() => {
      const session = this.queries.requireDraft(sessionId);
      this.s.recordMoved.run({ site: session.siteId, snapshot: session.snapshotSeq, backdatedTo: session.backdatedTo, session: sessionId });
      const rows = this.s.counted.all(sessionId) as CountedRow[];
      const outs: MovementLineInput[] = [];
      const ins: MovementLineInput[] = [];
      const detached = new Set<string>();
      const serialRows: CountedRow[] = [];
      const line = (r: { productId: number; binId: number | null; batchCode: string | null }, siteId: number, qty: number, serial?: string): MovementLineInput => ({
        productId: r.productId,
        siteId,
        ...(r.binId !== null ? { binId: r.binId } : {}),
        ...(r.batchCode !== null ? { batch: { code: r.batchCode } } : {}),
        ...(serial !== undefined ? { serial } : {}),
        type: 'system_correction',
        qty,
        note: STOCK_COUNT_REASON,
      });

      for (const r of rows) {
        if (r.tracking === 'SERIAL' || r.tracking === 'RFID') {
          serialRows.push(r);
          continue;
        }
        const adjust = effectiveAdjustment(r)!;
        this.s.setAdjusted.run(adjust, r.id);
        if (adjust !== 0) (adjust < 0 ? outs : ins).push(line(r, session.siteId, adjust));
      }

      // Serial and RFID lines reconcile to the scanned set: first every unscanned unit at the quant is taken out (detached)…
      const scannedOf = new Map<number, Set<string>>();
      const serialAdjust = new Map<number, number>();
      for (const r of serialRows) {
        const scanned = new Set((this.s.codes.all(r.id) as { code: string }[]).map((c) => c.code));
        scannedOf.set(r.id, scanned);
        let adjust = 0;
        for (const u of this.s.unitsAt.all(r.productId, session.siteId, r.binId, r.batchId) as { serial: string }[]) {
          if (scanned.has(u.serial)) continue;
          outs.push(line(r, session.siteId, -1, u.serial));
          detached.add(`${r.productId}:${u.serial}`);
          adjust--;
        }
        serialAdjust.set(r.id, adjust);
      }
      // …then every scanned unit not recorded at the quant is brought in (taken out of where the system had it, if anywhere).
      for (const r of serialRows) {
        let adjust = serialAdjust.get(r.id)!;
        for (const code of scannedOf.get(r.id)!) {
          const u = this.s.unit.get(r.productId, code) as { siteId: number | null; binId: number | null; inStock: number; batchCode: string | null } | undefined;
          const here = u && u.inStock && u.siteId === session.siteId && u.binId === r.binId && u.batchCode === r.batchCode;
          if (here) continue;
          if (u && u.inStock && u.siteId !== null && !detached.has(`${r.productId}:${code}`)) {
            outs.push(line({ productId: r.productId, binId: u.binId, batchCode: u.batchCode }, u.siteId, -1, code));
            detached.add(`${r.productId}:${code}`);
          }
          ins.push(line(r, session.siteId, 1, code));
          adjust++;
        }
        this.s.setAdjusted.run(adjust, r.id);
      }

      const docLines = [...outs, ...ins];
      let documentId: number | null = null;
      if (docLines.length > 0) {
        const doc: PostDocumentInput = {
          idempotencyKey: `stock-count-${sessionId}-complete`,
          type: STOCK_COUNT_DOCUMENT_TYPE,
          reference: countReference(sessionId),
          note: STOCK_COUNT_REASON,
          // Dated to when the count was taken, however much later it is completed.
          occurredAt: new Date(session.occurredAt).toISOString(),
          lines: docLines,
        };
        documentId = this.poster.post(doc, userId, { fromCount: true }).documentId;
      }
      this.s.complete.run(this.clock(), userId, documentId, sessionId);
      return { documentId, movementCount: docLines.length };
    });
    try {
      return run();
    } catch (e) {
      // The poster's caches may hold state from a document this rollback undid.
      this.poster.reset();
      throw e;
    }
  }
}
