import { AppError } from '../../shared/contract/errors';
import type { DraftCreateInput, DraftLineInput, DraftUpdateInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput } from '../../shared/contract/schemas';
import type { StockType } from '../../shared/domain';
import type { DraftDetail, DraftLine, DraftSummary } from '../../shared/operations';
import { staleRefusal } from '../ledger/store/record-version-store';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import type { DraftChange, DraftLineSave, DraftSummaryRow, NewDraft } from './adjustment-draft-store';
import { ADJUSTMENT_WORDING, expiredNotes } from './expired-receipt';
import { docHeader, type BuiltOperation } from './operation-writer';
import { StockPicker } from './stock-picker';
import type { OpsReads } from './ops-reads';

/** The version stored for a draft or a draft line, who changed it last (display name) and when (epoch ms). */
export interface DraftStamp {
  version: number;
  changedBy: string | null;
  changedAt: number | null;
}

/**
 * What the adjustment drafts' rules (seed 003) ask of a store, written once for both: SQLite answers at once on its one
 * writer (adjustment-draft-store.ts), PostgreSQL by a query in the rule's transaction (pg-draft-store.ts). A draft is
 * edited by several clerks, on several servers on PostgreSQL: every write holds the draft first, and the saves are
 * version-checked in the statement itself, so a save made from an older version writes nothing, whichever server made
 * the newer one.
 */
export interface DraftRecords {
  /** Holds the draft against other writers until the transaction ends (PostgreSQL: its row lock; SQLite's one writer is alone). */
  hold(draftId: number): Awaitable<void>;
  /** Refuses a site that does not exist (siteMissing, as the operations word it). */
  site(id: number): Awaitable<unknown>;
  /** A product's SKU and stock type; refuses one that does not exist (productMissing). */
  product(id: number): Awaitable<{ sku: string; stockType: StockType }>;
  insert(d: NewDraft): Awaitable<number>;
  /** Changes a draft's header; 0 when `version` is not the draft's. */
  update(c: DraftChange): Awaitable<number>;
  nextLineNo(draftId: number): Awaitable<number>;
  /** Inserts or updates a line; 0 when `version` is not the line's. */
  saveLine(l: DraftLineSave): Awaitable<number>;
  deleteLine(draftId: number, lineNo: number): Awaitable<void>;
  deleteDraft(draftId: number): Awaitable<void>;
  summaries(status: 'draft' | 'posted' | 'all'): Awaitable<DraftSummaryRow[]>;
  summary(draftId: number): Awaitable<DraftSummaryRow | undefined>;
  lines(draftId: number): Awaitable<DraftLine[]>;
  lineId(draftId: number, lineNo: number): Awaitable<number>;
  touch(draftId: number, now: number): Awaitable<void>;
  markPosted(draftId: number, documentId: number | null, at: number): Awaitable<void>;
  stamp(record: 'adjustment draft' | 'adjustment draft line', id: number): Awaitable<DraftStamp | null>;
  /** A time as the company writes it (its time zone and format): what a refused stale save names. */
  companyTime(at: number): Awaitable<string>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export const draftSummary = ({ note: _note, ...r }: DraftSummaryRow): DraftSummary => ({
  ...r,
  effectiveAt: iso(r.effectiveAt),
  updatedAt: iso(r.updatedAt),
  dutyPaid: r.dutyPaid === 1,
});

export function* createDraft(r: DraftRecords, input: DraftCreateInput, userId: number, now: number): Steps<DraftDetail> {
  yield* value(r.site(input.siteId));
  const id = yield* value(r.insert({ name: input.name, siteId: input.siteId, effectiveAt: input.effectiveAt === undefined ? now : Date.parse(input.effectiveAt), note: input.note ?? null, userId, now, dutyPaid: input.dutyPaid ? 1 : 0 }));
  return yield* getDraft(r, id);
}

export function* updateDraft(r: DraftRecords, input: DraftUpdateInput, userId: number, now: number): Steps<DraftDetail> {
  const before = yield* openDraft(r, input.draftId);
  if (input.siteId !== undefined) yield* value(r.site(input.siteId));
  // The version is checked in the UPDATE itself: a save from an older version writes nothing.
  const changes = yield* value(
    r.update({
      draftId: input.draftId,
      name: input.name ?? null,
      siteId: input.siteId ?? null,
      effectiveAt: input.effectiveAt ? Date.parse(input.effectiveAt) : null,
      note: input.note ?? null,
      dutyPaid: input.dutyPaid === undefined ? null : input.dutyPaid ? 1 : 0,
      now,
      userId: userId || null,
      version: input.version ?? null,
    }),
  );
  if (changes === 0) throw yield* stale(r, 'adjustment draft', input.draftId, `Adjustment "${before.name}"`, before);
  return yield* getDraft(r, input.draftId);
}

/** Saves one line (new when lineNo is omitted). Called on every line edit. */
export function* saveDraftLine(r: DraftRecords, input: DraftLineInput, userId: number, now: number): Steps<DraftLine> {
  const draft = yield* openDraft(r, input.draftId);
  const product = yield* value(r.product(input.productId));
  if (product.stockType === 'Recipe' || product.stockType === 'Other') {
    throw new AppError('VALIDATION', `${product.sku} is a ${product.stockType} product and holds no stock; adjust its components instead.`, { field: 'productId' });
  }
  const lineNo = input.lineNo ?? (yield* value(r.nextLineNo(input.draftId)));
  const changes = yield* value(
    r.saveLine({
      draftId: input.draftId,
      lineNo,
      productId: input.productId,
      binId: input.binId ?? null,
      batchCode: input.batch?.code ?? null,
      batchExpiry: input.batch?.expiry ?? null,
      serial: input.serial ?? null,
      qty: input.qty,
      reason: input.reason,
      note: input.note ?? null,
      updatedAt: now,
      updatedBy: userId || null,
      version: input.version ?? null,
    }),
  );
  if (changes === 0) {
    const current = (yield* value(r.lines(input.draftId))).find((l) => l.lineNo === lineNo)!;
    const id = yield* value(r.lineId(input.draftId, lineNo));
    throw yield* stale(r, 'adjustment draft line', id, `Line ${lineNo} of adjustment "${draft.name}"`, current);
  }
  yield* value(r.touch(input.draftId, now));
  return (yield* value(r.lines(input.draftId))).find((l) => l.lineNo === lineNo)!;
}

export function* deleteDraftLine(r: DraftRecords, draftId: number, lineNo: number, now: number): Steps<DraftDetail> {
  yield* openDraft(r, draftId);
  yield* value(r.deleteLine(draftId, lineNo));
  yield* value(r.touch(draftId, now));
  return yield* getDraft(r, draftId);
}

export function* deleteDraft(r: DraftRecords, draftId: number): Steps<{ deleted: true }> {
  yield* openDraft(r, draftId);
  yield* value(r.deleteDraft(draftId));
  return { deleted: true };
}

export function* listDrafts(r: DraftRecords, status: 'draft' | 'posted' | 'all'): Steps<DraftSummary[]> {
  return (yield* value(r.summaries(status))).map(draftSummary);
}

export function* getDraft(r: DraftRecords, draftId: number): Steps<DraftDetail> {
  const row = yield* value(r.summary(draftId));
  if (!row) throw new AppError('NOT_FOUND', `Adjustment draft ${draftId} does not exist (it may have been deleted). Pick one from the drafts list.`);
  return { ...draftSummary(row), note: row.note, lines: yield* value(r.lines(draftId)) };
}

/** The draft to post, held against other writers until the posting commits (the posting's own checks follow: draftPosting). */
export function* heldDraft(r: DraftRecords, draftId: number): Steps<DraftDetail> {
  yield* value(r.hold(draftId));
  return yield* getDraft(r, draftId);
}

/** A draft that may still change: held, and refused once posted. */
function* openDraft(r: DraftRecords, draftId: number): Steps<DraftDetail> {
  const d = yield* heldDraft(r, draftId);
  if (d.status !== 'draft') throw new AppError('CONFLICT', `"${d.name}" is already posted and can no longer change. Start a new adjustment.`);
  return d;
}

/** The refusal of a save made from an older version: who changed the record and when, and its current values. */
function* stale(r: DraftRecords, record: 'adjustment draft' | 'adjustment draft line', id: number, label: string, current: unknown): Steps<AppError> {
  const stamp = yield* value(r.stamp(record, id));
  const at = stamp?.changedAt ? yield* value(r.companyTime(stamp.changedAt)) : null;
  return staleRefusal(stamp, at, record, id, label, current);
}

/**
 * The document posting a draft writes: one adjustment document, dated to the draft's date. Duty paid: lines in are
 * stock_adjustment_in, lines out stock_adjustment_out, and the document is marked duty paid (what the posting rules
 * read); each line's cost and on-costs are the site's latest, as for any adjustment. Refuses a draft already posted
 * and one without lines. A line adding stock to a batch that expired before the draft's business day (its expiry, else
 * the known batch's) is posted only when `confirmExpired`, as a receipt of an expired batch is. The caller marks the
 * draft posted in the same transaction. `reviewing` (the review step): such a line is named in the notes, not refused.
 */
export function draftPosting(draft: DraftDetail, idempotencyKey: string, ops: OpsReads, confirmExpired: boolean | undefined, reviewing = false): BuiltOperation {
  if (draft.status !== 'draft') throw new AppError('CONFLICT', `"${draft.name}" was already posted. Start a new adjustment.`);
  if (draft.lines.length === 0) throw new AppError('VALIDATION', `"${draft.name}" has no lines. Add at least one line before posting.`);
  // A line that takes stock out, dated by the draft, must not leave the product's balance by effective time below zero
  // then or later at a site that refuses negative stock: the same check as a wastage dated then (stock-picker.ts).
  const taking = draft.lines.filter((l) => l.qty < 0);
  if (taking.length) {
    const picker = new StockPicker(ops, undefined, Date.parse(draft.effectiveAt));
    const site = ops.site(draft.siteId);
    for (const l of taking) picker.checkTaken(ops.product(l.productId, `Line ${l.lineNo}`), site, -l.qty, `Line ${l.lineNo}`, { batchCode: l.batchCode, serial: l.serial });
  }
  const adding = draft.lines.flatMap((l) =>
    l.qty > 0 && l.batchCode !== null ? [{ line: l.lineNo, sku: l.sku, batch: { code: l.batchCode, expiry: l.batchExpiry ?? ops.batchExpiry(l.productId, l.batchCode) } }] : [],
  );
  const notes = expiredNotes(() => ops.days(), adding, Date.parse(draft.effectiveAt), { confirmed: confirmExpired, reviewing, wording: ADJUSTMENT_WORDING });
  const lines: MovementLineInput[] = draft.lines.map((l) => {
    const type = !draft.dutyPaid ? 'inventory_adjustment' : l.qty > 0 ? 'stock_adjustment_in' : 'stock_adjustment_out';
    const line: MovementLineInput = { productId: l.productId, siteId: draft.siteId, type, qty: l.qty, note: l.note ? `${l.reason}: ${l.note}` : l.reason };
    if (l.binId !== null) line.binId = l.binId;
    if (l.batchCode !== null) line.batch = l.batchExpiry ? { code: l.batchCode, expiry: l.batchExpiry } : { code: l.batchCode };
    if (l.serial !== null) line.serial = l.serial;
    return line;
  });
  return {
    doc: docHeader('adjustment', { idempotencyKey, reference: draft.name.slice(0, 100), occurredAt: draft.effectiveAt, note: draft.note ?? undefined }, lines),
    meta: { kind: 'inventory_adjustment', siteId: draft.siteId, reason: `draft:${draft.id}`, dutyPaid: draft.dutyPaid },
    ...(notes.length ? { notes } : {}),
  };
}
