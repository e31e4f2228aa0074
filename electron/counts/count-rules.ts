import { AppError } from '../../shared/contract/errors';
import type { CountCreateInput } from '../../shared/contract/counts.schemas';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import { countReference, effectiveAdjustment, STOCK_COUNT_DOCUMENT_TYPE, STOCK_COUNT_REASON } from '../../shared/counts';
import { FUTURE_TOLERANCE_MS } from '../ledger/store/document-poster';
import type { PostContext } from '../ledger/store/document-rules';
import type { CountedRow, SessionHead, UnitPlace } from './count-store';

/**
 * The count rules both stores run (issue 17): synchronous and pure over what the store read, so SQLite's services call
 * them over their prepared statements in the worker's transaction and PostgreSQL's store over rows it gathered first.
 */

/** A count's adjustments are the one place stock_count movements may come from. */
export const COUNT_POST_CONTEXT: PostContext = { fromCount: true };

const lineGone = (sessionId: number, lineId: number) =>
  new AppError('NOT_FOUND', `That line is not a line of stock count ${countReference(sessionId)} (it may have been removed). Reload the count sheet.`, { lineId });

/** The session's head, or the refusal of a count that does not exist. */
export function existingHead(sessionId: number, head: SessionHead | undefined): SessionHead {
  if (!head) throw new AppError('NOT_FOUND', `Stock count ${countReference(sessionId)} does not exist. Pick a count from the list.`);
  return head;
}

/** Throws unless the session is still open for counting. */
export function draftHead(sessionId: number, head: SessionHead | undefined): SessionHead {
  const h = existingHead(sessionId, head);
  if (h.status !== 'DRAFT') {
    throw new AppError(
      'CONFLICT',
      `Stock count ${countReference(sessionId)} is ${h.status.toLowerCase()} and can no longer be changed. Create a new count to count again.`,
      { status: h.status },
    );
  }
  return h;
}

/** A count is taken of an active site that holds stock, or of one active bin of it (no document is made at a deactivated place). */
export function checkScope<S extends { id: number; name: string; kind: string; active: boolean | number }>(
  site: S | undefined,
  binId: number | undefined,
  bin: { siteId: number; code: string; active: boolean | number } | undefined,
): S {
  if (!site || site.kind === 'external') {
    throw new AppError('VALIDATION', site ? `${site.name} is not a site that holds stock. Pick a warehouse or shop.` : 'The site picked does not exist (it may have been removed). Pick a warehouse or shop.', { field: 'siteId' });
  }
  if (!site.active) throw new AppError('CONFLICT', `${site.name} is inactive, so it cannot be counted. Pick another site, or reactivate it in Sites & bins.`, { field: 'siteId' });
  if (binId !== undefined && (!bin || bin.siteId !== site.id)) {
    throw new AppError('VALIDATION', `The bin picked is not a bin of ${site.name}. Pick one of its bins, or leave the bin empty for a full count.`, { field: 'binId' });
  }
  if (bin && !bin.active) throw new AppError('CONFLICT', `Bin ${bin.code} at ${site.name} is inactive, so it cannot be counted. Pick another bin, or reactivate it in Sites & bins.`, { field: 'binId' });
  return site;
}

/**
 * When the count was taken: now by default, or earlier (a count taken on paper and entered later, a count dated to
 * period end). Not in the future (the same few minutes' clock tolerance as documents). Returns null for now.
 */
export function requestedCountTime(input: CountCreateInput, now: number, format: (ms: number) => string): number | null {
  if (input.occurredAt === undefined) return null;
  const t = Date.parse(input.occurredAt);
  if (t > now + FUTURE_TOLERANCE_MS) {
    throw new AppError('VALIDATION', `The count date ${format(t)} is in the future. Date the count when it was taken: now or earlier.`, { field: 'occurredAt' });
  }
  return t;
}

/** Not before stock in scope last moved: the snapshot is taken now, so it must not hold stock that arrived or left after the count's date. */
export function checkNothingMovedAfter(
  t: number,
  later: { occurredAt: number; sku: string } | undefined,
  siteName: string,
  inBin: boolean,
  format: (ms: number) => string,
): void {
  if (!later) return;
  throw new AppError(
    'VALIDATION',
    `Stock at ${siteName}${inBin ? ' in this bin' : ''} moved after ${format(t)} (${later.sku} on ${format(later.occurredAt)}), and the count's snapshot taken now includes that. Date the count at ${format(later.occurredAt)} or later, or leave the date as now.`,
    { field: 'occurredAt' },
  );
}

/** A line's product tracking and SKU, and how many codes are scanned on it. */
export interface LineTracking {
  tracking: string;
  sku: string;
  codes: number;
}

/** A typed counted quantity is for bulk and lot lines; serial/RFID lines are counted by their codes (0 only when none are scanned). */
export function checkCountedEntry(sessionId: number, lineId: number, line: LineTracking | undefined, countedQty: number | null): LineTracking {
  if (!line) throw lineGone(sessionId, lineId);
  if ((line.tracking === 'SERIAL' || line.tracking === 'RFID') && countedQty !== null && (countedQty !== 0 || line.codes > 0)) {
    throw new AppError(
      'VALIDATION',
      `${line.sku} is ${line.tracking.toLowerCase()}-tracked: scan or type each ${line.tracking === 'RFID' ? 'tag' : 'serial number'} to count it (enter 0 only when none are there).`,
      { lineId },
    );
  }
  return line;
}

/** What completion reads of serial units and scanned codes (SQLite: its prepared statements; PostgreSQL: rows gathered first). */
export interface CompletionFacts {
  /** The serials in stock at a quant. */
  serialsAt(productId: number, siteId: number, binId: number | null, batchId: number | null): string[];
  /** The codes scanned on a line. */
  lineCodes(lineId: number): string[];
  /** Where the system has a product's serial unit, if it knows it. */
  unitPlace(productId: number, serial: string): UnitPlace | undefined;
}

/** What completing a count writes: each counted line's adjustment, and the Stock Taking document (null: nothing to adjust). */
export interface CompletionPlan {
  adjusted: [lineId: number, qty: number][];
  document: PostDocumentInput | null;
  movementCount: number;
}

/**
 * Completing a count: one Stock Taking document (system_correction lines, reason stock_count), dated to the count's
 * effective time. Blank lines are not among `rows`; unscanned serial/RFID units are taken out (detached).
 * `rows` are read after what moved since the snapshot was recorded on them.
 */
export function planCompletion(sessionId: number, session: SessionHead, rows: readonly CountedRow[], facts: CompletionFacts): CompletionPlan {
  const outs: MovementLineInput[] = [];
  const ins: MovementLineInput[] = [];
  const adjusted: [number, number][] = [];
  const detached = new Set<string>();
  const serialRows: CountedRow[] = [];
  const line = (r: Pick<CountedRow, 'productId' | 'binId' | 'batchCode'>, siteId: number, qty: number, serial?: string): MovementLineInput => ({
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
    adjusted.push([r.id, adjust]);
    if (adjust !== 0) (adjust < 0 ? outs : ins).push(line(r, session.siteId, adjust));
  }

  // Serial and RFID lines reconcile to the scanned set: first every unscanned unit at the quant is taken out (detached)…
  const scannedOf = new Map<number, Set<string>>();
  const serialAdjust = new Map<number, number>();
  for (const r of serialRows) {
    const scanned = new Set(facts.lineCodes(r.id));
    scannedOf.set(r.id, scanned);
    let adjust = 0;
    for (const serial of facts.serialsAt(r.productId, session.siteId, r.binId, r.batchId)) {
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
      const u = facts.unitPlace(r.productId, code);
      const here = u && u.inStock && u.siteId === session.siteId && u.binId === r.binId && u.batchCode === r.batchCode;
      if (here) continue;
      if (u && u.inStock && u.siteId !== null && !detached.has(`${r.productId}:${code}`)) {
        outs.push(line({ productId: r.productId, binId: u.binId, batchCode: u.batchCode }, u.siteId, -1, code));
        detached.add(`${r.productId}:${code}`);
      }
      ins.push(line(r, session.siteId, 1, code));
      adjust++;
    }
    adjusted.push([r.id, adjust]);
  }

  const lines = [...outs, ...ins];
  const document: PostDocumentInput | null = lines.length === 0 ? null : {
    idempotencyKey: `stock-count-${sessionId}-complete`,
    type: STOCK_COUNT_DOCUMENT_TYPE,
    reference: countReference(sessionId),
    note: STOCK_COUNT_REASON,
    // Dated to when the count was taken, however much later it is completed.
    occurredAt: new Date(session.occurredAt).toISOString(),
    lines,
  };
  return { adjusted, document, movementCount: lines.length };
}
