import { movementValue } from '../../shared/quantity';
import type { AdjustmentHistoryEntry } from '../../shared/operations';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import type { PostedAdjustmentLine, PostedAdjustmentRow } from './adjustment-draft-store';

/** What the adjustment history reads (adjustment-draft-store.ts on SQLite, pg-lookup-store.ts on PostgreSQL). */
export interface AdjustmentHistoryRecords {
  /** Posted inventory adjustments, newest first. */
  postedAdjustments(limit: number, offset: number): Awaitable<PostedAdjustmentRow[]>;
  /** A posted adjustment's movements in seq order. */
  postedLines(documentId: number): Awaitable<PostedAdjustmentLine[]>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Posted adjustments, newest first, with what each line changed and its value (the one rule for both stores). */
export function* adjustmentHistory(r: AdjustmentHistoryRecords, limit: number, offset: number): Steps<AdjustmentHistoryEntry[]> {
  const out: AdjustmentHistoryEntry[] = [];
  for (const d of yield* value(r.postedAdjustments(limit, offset))) {
    const lines = yield* value(r.postedLines(d.documentId));
    out.push({
      documentId: d.documentId,
      draftId: d.draftId,
      name: d.name ?? `Adjustment ${d.documentId}`,
      siteName: d.siteName ?? '',
      occurredAt: iso(d.occurredAt),
      postedAt: iso(d.postedAt),
      userName: d.userName,
      lines: lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        scale: l.scale,
        qty: l.qty,
        reason: (l.note ?? '').split(':')[0] ?? '',
        unitCost: l.unitCost,
        value: movementValue(l.qty, l.unitCost, l.scale),
        balanceAfter: l.balanceAfter,
      })),
    });
  }
  return out;
}
