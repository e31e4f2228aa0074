import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import { countReference, effectiveAdjustment, STOCK_COUNT_DOCUMENT_TYPE, STOCK_COUNT_REASON } from '../../shared/counts';
import type { DocumentPoster } from '../ledger/store/document-poster';
import type { CountQueries } from './count-queries';
import type { CountedRow, CountStore } from './count-store';

/**
 * Completing a count: one Stock Taking document (system_correction lines, reason stock_count), dated to the count's
 * effective time, posted in the same transaction that closes the session. Blank lines are skipped; unscanned serial/RFID units are taken out (detached).
 */
export class CountCompletion {
  constructor(
    private readonly store: CountStore,
    private readonly poster: DocumentPoster,
    private readonly queries: CountQueries,
    private readonly clock: () => number = Date.now,
  ) {}

  /** All or nothing: on any failure the session stays DRAFT and no movement exists. */
  complete(sessionId: number, userId: number): { documentId: number | null; movementCount: number } {
    const run = () => this.store.transaction(() => {
      const session = this.queries.requireDraft(sessionId);
      this.store.recordMoved(sessionId, session);
      const rows = this.store.countedLines(sessionId);
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
        this.store.setAdjusted(r.id, adjust);
        if (adjust !== 0) (adjust < 0 ? outs : ins).push(line(r, session.siteId, adjust));
      }

      // Serial and RFID lines reconcile to the scanned set: first every unscanned unit at the quant is taken out (detached)…
      const scannedOf = new Map<number, Set<string>>();
      const serialAdjust = new Map<number, number>();
      for (const r of serialRows) {
        const scanned = new Set(this.store.lineCodes(r.id));
        scannedOf.set(r.id, scanned);
        let adjust = 0;
        for (const serial of this.store.serialsAt(r.productId, session.siteId, r.binId, r.batchId)) {
          if (scanned.has(serial)) continue;
          outs.push(line(r, session.siteId, -1, serial));
          detached.add(`${r.productId}:${serial}`);
          adjust--;
        }
        serialAdjust.set(r.id, adjust);
      }
      // …then every scanned unit not recorded at the quant is brought in (taken out of where the system had it, if anywhere).
      for (const r of serialRows) {
        let adjust = serialAdjust.get(r.id)!;
        for (const code of scannedOf.get(r.id)!) {
          const u = this.store.unitPlace(r.productId, code);
          const here = u && u.inStock && u.siteId === session.siteId && u.binId === r.binId && u.batchCode === r.batchCode;
          if (here) continue;
          if (u && u.inStock && u.siteId !== null && !detached.has(`${r.productId}:${code}`)) {
            outs.push(line({ productId: r.productId, binId: u.binId, batchCode: u.batchCode }, u.siteId, -1, code));
            detached.add(`${r.productId}:${code}`);
          }
          ins.push(line(r, session.siteId, 1, code));
          adjust++;
        }
        this.store.setAdjusted(r.id, adjust);
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
      this.store.complete(sessionId, this.clock(), userId, documentId);
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
