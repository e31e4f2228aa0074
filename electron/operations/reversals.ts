import { AppError } from '../../shared/contract/errors';
import type { RefundInput, ReverseReceiptInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput } from '../../shared/contract/schemas';
import { movementValue } from '../../shared/quantity';
import { REFUND_OF_SALE, REVERSAL_OF_RECEIPT, type ReviewKit } from '../../shared/operations';
import { documentTypeName } from '../../shared/document-types';
import { withArticle } from '../../shared/article';
import { docHeader, effectiveAt, namedEffectiveTime, type BuiltOperation } from './operation-writer';
import { StockPicker } from './stock-picker';
import { expiredNotes, REFUND_WORDING } from './expired-receipt';
import type { DocMovement, OpDocument } from './ops-store';
import type { OpsReads } from './ops-reads';

interface Portion {
  m: DocMovement;
  qty: number;
}

/** A document as a clerk knows it: "receipt R-0042", or "receipt no. 42" when it has no reference. */
function documentName(doc: OpDocument): string {
  const type = documentTypeName(doc.type).toLowerCase();
  return doc.reference ? `${type} ${doc.reference}` : `${type} no. ${doc.id}`;
}

/**
 * The lines of `documentId` to reverse, each at most what is left of it; all that is left when no lines are named.
 * Refusals name the document and its lines as the clerk sees them (reference, line numbers, product codes), never
 * the movements' sequence numbers.
 */
function portions(
  ops: OpsReads,
  documentId: number,
  allowedTypes: readonly string[],
  what: string,
  remainingOf: (m: DocMovement) => number,
  requested: { seq: number; qty: number }[] | undefined,
): Portion[] {
  const doc = ops.document(documentId);
  const movements = ops.movementsOf(doc.id).filter((m) => allowedTypes.includes(m.type));
  if (movements.length === 0) {
    throw new AppError('VALIDATION', `Document ${documentId} has no ${what} movements this can reverse (it is ${withArticle(documentTypeName(doc.type).toLowerCase())}). Pick the original ${what}.`, { field: 'documentId' });
  }
  const named = documentName(doc);
  if (!requested) {
    const all = movements.map((m) => ({ m, qty: remainingOf(m) })).filter((p) => p.qty > 0);
    if (all.length === 0) throw new AppError('CONFLICT', `Everything on ${named} has already been reversed; nothing is left to reverse.`, { field: 'documentId' });
    return all;
  }
  const bySeq = new Map(movements.map((m) => [m.seq, m]));
  const asked = new Map<number, number>();
  return requested.map((r, i) => {
    const m = bySeq.get(r.seq);
    if (!m) {
      const its = [...new Set(movements.map((x) => x.lineNo))].join(', ');
      throw new AppError('VALIDATION', `Line ${i + 1} is not one of the ${what} lines of ${named} (its ${what} lines: ${its}). Pick a line of that document.`, { line: i + 1, field: 'seq' });
    }
    const total = (asked.get(r.seq) ?? 0) + r.qty;
    asked.set(r.seq, total);
    const left = remainingOf(m);
    if (total > left) {
      const p = ops.product(m.productId);
      const q = (n: number) => ops.days().quantity(n, p.scale);
      throw new AppError(
        'VALIDATION',
        `Line ${i + 1}: only ${q(left)} of line ${m.lineNo} of ${named} (${p.sku}) is left to reverse (moved ${q(Math.abs(m.qty))}, already reversed ${q(Math.abs(m.qty) - left)}); this asks for ${q(total)}. Lower the quantity.`,
        { line: i + 1, field: 'qty', remaining: left },
      );
    }
    return { m, qty: r.qty };
  });
}

/**
 * A reversal or refund that names its effective time may not take effect before the document it reverses: the stock
 * it gives back or takes out was not there yet (README "Effective time, backdating and latest cost").
 */
function checkNotBefore(ops: OpsReads, documentId: number, named: number | undefined): void {
  if (named === undefined) return;
  const doc = ops.document(documentId);
  if (named >= doc.occurredAt) return;
  const then = ops.dateTime(doc.occurredAt);
  throw new AppError(
    'VALIDATION',
    `The effective time ${ops.dateTime(named)} is before ${documentName(doc)} took effect (${then}): nothing can be reversed before it happened. Date it on or after ${then}.`,
    { field: 'occurredAt' },
  );
}

/**
 * Supplier credit / inbound reversal / PO stock return: takes received stock back out at its declared cost, pointing at
 * the receipt line. Dated back (a named effective time), each line must also have been held then and leave every later
 * balance by effective time non-negative at a site that refuses negative stock, as a backdated wastage must: stock
 * received twice and sold in between may still be on hand now although it was not then.
 */
export function buildReceiptReversal(ops: OpsReads, input: ReverseReceiptInput, at: number): BuiltOperation {
  const allowed = REVERSAL_OF_RECEIPT[input.kind];
  const parts = portions(ops, input.documentId, allowed, 'receipt', (m) => m.qty + ops.reversedQty(m.seq), input.lines);
  const named = namedEffectiveTime(input, at);
  checkNotBefore(ops, input.documentId, named);
  const picker = new StockPicker(ops, undefined, named);
  parts.forEach(({ m, qty }, i) => picker.checkTaken(ops.product(m.productId), ops.site(m.siteId), qty, `Line ${i + 1}`, { batchCode: m.batchCode, serial: m.serial }));
  const lines: MovementLineInput[] = parts.map(({ m, qty }) => {
    const line: MovementLineInput = { productId: m.productId, siteId: m.siteId, type: input.kind, qty: -qty, unitCost: m.unitCost, costSource: 'declared', reversalOf: m.seq };
    if (m.binId !== null) line.binId = m.binId;
    if (m.batchCode !== null) line.batch = { code: m.batchCode };
    if (m.serial !== null) line.serial = m.serial;
    if (Object.keys(m.onCosts).length) line.onCosts = m.onCosts;
    return line;
  });
  return { doc: docHeader('receipt_reversal', input, lines), meta: { kind: input.kind, siteId: parts[0]!.m.siteId, sourceDocumentId: input.documentId } };
}

/**
 * Refund / sales credit note. Return to stock: the goods come back at the sale's cost and on-costs, pointing at the sale line;
 * a batch that expired before the refund's business day comes back only when confirmed, as on a receipt.
 * Otherwise: value only, no movement; rows in operation_value_credits for the finance posting (its value is the product
 * cost; the posting adds the sale line's on-costs, as for a return to stock).
 */
export function buildRefund(ops: OpsReads, input: RefundInput, userId: number, now: number, reviewing = false): BuiltOperation {
  const allowed = REFUND_OF_SALE[input.kind];
  const parts = portions(ops, input.documentId, allowed, 'sale', (m) => -m.qty - ops.reversedQty(m.seq) - ops.valueCredited(m.seq), input.lines);
  const meta = { kind: input.kind, siteId: parts[0]!.m.siteId, sourceDocumentId: input.documentId, reason: input.returnToStock ? 'return_to_stock' : 'value_only' };
  checkNotBefore(ops, input.documentId, namedEffectiveTime(input, effectiveAt(input, () => now)));
  if (input.returnToStock) {
    const lines: MovementLineInput[] = parts.map(({ m, qty }) => {
      // The sale's cost and on-costs, not a new declared cost: the cost state of the site stays as it is.
      // The posting combines the on-costs into the one product-cost debit and credit (seed 004, "Credited Stock").
      const line: MovementLineInput = { productId: m.productId, siteId: m.siteId, type: input.kind, qty, unitCost: m.unitCost, costSource: 'latest_at_site', reversalOf: m.seq };
      if (Object.keys(m.onCosts).length) line.onCosts = m.onCosts;
      const binId = input.binId ?? m.binId;
      if (binId !== null) line.binId = binId;
      if (m.batchCode !== null) line.batch = { code: m.batchCode };
      if (m.serial !== null) line.serial = m.serial;
      return line;
    });
    const at = effectiveAt(input, () => now);
    const back = parts.map(({ m }) => ({ line: m.lineNo, sku: ops.product(m.productId).sku, batch: m.batchCode === null ? undefined : { code: m.batchCode, expiry: m.expiry } }));
    const notes = expiredNotes(() => ops.days(), back, at, { confirmed: input.confirmExpired, reviewing, wording: REFUND_WORDING, where: (lot) => `Line ${lot.line} of the sale` });
    const kits = refundedKits(ops, input.documentId, parts);
    return { ...(notes.length ? { notes } : {}), doc: docHeader('refund', input, lines), meta, ...(kits.length ? { kits } : {}) };
  }
  const occurredAt = input.occurredAt ? Date.parse(input.occurredAt) : now;
  if (occurredAt > now + 5 * 60_000) throw new AppError('VALIDATION', `The effective time ${ops.dateTime(occurredAt)} is in the future. Enter a time up to now.`, { field: 'occurredAt' });
  return {
    doc: null,
    meta,
    notes: ['Return to stock is off: no stock moved; the credit is recorded for the finance posting.'],
    credits: parts.map(({ m, qty }, i) => ({
      idempotency_key: input.idempotencyKey,
      line_no: i + 1,
      kind: input.kind,
      reference: input.reference ?? null,
      sale_document_id: input.documentId,
      sale_seq: m.seq,
      product_id: m.productId,
      site_id: m.siteId,
      qty,
      unit_cost: m.unitCost,
      value: movementValue(qty, m.unitCost, ops.product(m.productId).scale),
      occurred_at: occurredAt,
      recorded_at: now,
      user_id: userId,
      note: input.note ?? null,
    })),
  };
}

/**
 * The sale's kit lines a return to stock brings components of back, each over its run of refund lines (refund line
 * i + 1 is part i): which kit line of the sale each sale movement came from is recorded beside it (movement_kit_lines,
 * read with the sale's movements), by the kit's product id, so a kit renamed since reads by its name now. How many kits
 * come back when every component of the kit line comes back in the kit's proportion; null otherwise (part of a kit).
 * A sale posted before the kit lines were recorded has none: its refund shows the component lines only.
 */
function refundedKits(ops: OpsReads, saleId: number, parts: readonly Portion[]): ReviewKit[] {
  const sold = ops.movementsOf(saleId);
  const kits: ReviewKit[] = [];
  for (let first = 0; first < parts.length; ) {
    const kit = parts[first]!.m.kit;
    let last = first;
    while (kit && parts[last + 1]?.m.kit?.formLineNo === kit.formLineNo) last++;
    if (kit) {
      const product = ops.product(kit.kitProductId);
      // Per component product of the kit line: what the sale took out, and what comes back now.
      const per = new Map<number, { sold: number; back: number }>();
      const add = (productId: number, sold: number, back: number) => {
        const c = per.get(productId) ?? { sold: 0, back: 0 };
        per.set(productId, { sold: c.sold + sold, back: c.back + back });
      };
      for (const m of sold) if (m.kit?.formLineNo === kit.formLineNo) add(m.productId, -m.qty, 0);
      for (const p of parts.slice(first, last + 1)) add(p.m.productId, 0, p.qty);
      kits.push({
        where: `Sale line ${kit.formLineNo}`,
        sku: product.sku,
        name: product.name,
        unit: product.unit,
        scale: product.scale,
        qty: kitsBack(kit.kitQty, [...per.values()]),
        sold: kit.kitQty,
        firstLineNo: first + 1,
        lastLineNo: last + 1,
      });
    }
    first = last + 1;
  }
  return kits;
}

/** How many of `kitQty` kits (smallest unit) the components coming back make up: each component back in the same share of what was sold; null when they do not. */
function kitsBack(kitQty: number, components: readonly { sold: number; back: number }[]): number | null {
  const [c] = components;
  if (!c || c.sold <= 0) return null;
  const kits = (kitQty * c.back) / c.sold;
  const even = Number.isSafeInteger(kits) && kits > 0 && components.every((x) => x.back * kitQty === x.sold * kits);
  return even ? kits : null;
}
