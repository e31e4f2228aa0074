import { AppError } from '../../shared/contract/errors';
import type { InboundReturnInput, ReceiveInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput } from '../../shared/contract/schemas';
import { expiredNotes, RETURN_WORDING, RECEIPT_WORDING } from './expired-receipt';
import { onFormLine } from './form-lines';
import { checkOnePerUnit, checkSerialsOnce } from './one-per-unit';
import type { BuiltOperation } from './operation-writer';
import { docHeader } from './operation-writer';
import type { OpProduct } from './ops-store';
import type { OpsReads } from './ops-reads';

interface InLine {
  productId: number;
  qty: number;
  binId?: number | undefined;
  batch?: { code: string; expiry?: string | undefined } | undefined;
  serials?: string[] | undefined;
}

/** Splits a received line into ledger lines: one per serial for serial/RFID products, else one. */
export function inboundLines(product: OpProduct, siteId: number, type: MovementLineInput['type'], line: InLine, where: string, extra: Partial<MovementLineInput>): MovementLineInput[] {
  const base: MovementLineInput = { productId: product.id, siteId, type, qty: line.qty, ...extra };
  if (line.binId !== undefined) base.binId = line.binId;
  if (line.batch) base.batch = line.batch;
  if (product.tracking === 'LOT' && (!line.batch || !line.batch.expiry)) {
    throw new AppError('VALIDATION', `${where}: ${product.sku} is lot-tracked; enter its batch and expiry date.`, { field: 'batch' });
  }
  if (product.tracking !== 'SERIAL' && product.tracking !== 'RFID') {
    if (line.serials) throw new AppError('VALIDATION', `${where}: ${product.sku} is not serial-tracked; remove the serial numbers.`, { field: 'serials' });
    return onFormLine([base], where);
  }
  const unit = 10 ** product.scale;
  const serials = line.serials ?? [];
  checkOnePerUnit(where, product, line.qty, serials.length);
  checkSerialsOnce(where, product, serials);
  return onFormLine(serials.map((serial) => ({ ...base, qty: unit, serial })), where, product);
}

/**
 * Supplier order delivery / inbound / cash purchase / stock receipt: declared unit cost and on-costs per unit.
 * A named supplier must exist and be active; it is recorded on the document with whether it is outside the EC (from the
 * supplier) and whether customs duty was paid (from the form): seed 004's two customs facts. "Customs duty paid"
 * without a supplier is refused.
 * A batch that expired before the receipt's business day is received only when confirmed (expired-receipt.ts's expiredNotes).
 */
export function buildReceipt(ops: OpsReads, input: ReceiveInput, at: number, reviewing = false): BuiltOperation {
  const site = ops.site(input.siteId);
  if (site.external) throw new AppError('VALIDATION', "Stock cannot be received into 'External'; pick one of your sites.", { field: 'siteId' });
  const supplier = input.supplierId !== undefined ? ops.receiptSupplier(input.supplierId) : null;
  if (input.customsDutyPaid && !supplier) {
    throw new AppError(
      'VALIDATION',
      'Customs duty paid is ticked but no supplier is picked: customs duty is posted only for stock from a supplier outside the EC. Pick the supplier, or untick Customs duty paid.',
      { field: 'customsDutyPaid' },
    );
  }
  const lines = input.lines.flatMap((l, i) => {
    const where = `Line ${i + 1}`;
    const product = ops.product(l.productId, `${where}: `);
    const extra: Partial<MovementLineInput> = { unitCost: l.unitCost, costSource: 'declared' };
    if (l.onCosts && Object.values(l.onCosts).some((v) => v)) extra.onCosts = l.onCosts;
    return inboundLines(product, site.id, input.kind, l, where, extra);
  });
  const notes = expiredNotes(() => ops.days(), inLots(ops, input.lines), at, { confirmed: input.confirmExpired, reviewing, wording: RECEIPT_WORDING });
  return {
    ...(notes.length ? { notes } : {}),
    doc: docHeader('receipt', input, lines),
    meta: { kind: input.kind, siteId: site.id, dutyPaid: input.dutyPaid, counterparty: input.counterparty ?? supplier?.name ?? null },
    ...(supplier ? { supplier: { supplier, customsDutyPaid: input.customsDutyPaid === true } } : {}),
  };
}

/**
 * Sales return inbound (costed at the latest cost at the receiving site) and transfer order inbound
 * (costed at the dispatching site's latest cost and on-costs when it is named). A batch that expired before its
 * business day comes back only when confirmed, as on a receipt.
 */
export function buildInboundReturn(ops: OpsReads, input: InboundReturnInput, at: number, reviewing = false): BuiltOperation {
  const site = ops.site(input.siteId);
  const from = input.fromSiteId !== undefined ? ops.site(input.fromSiteId, 'dispatching site') : null;
  const lines = input.lines.flatMap((l, i) => {
    const where = `Line ${i + 1}`;
    const product = ops.product(l.productId, `${where}: `);
    const extra: Partial<MovementLineInput> = {};
    if (from) {
      extra.unitCost = ops.latestCost(product.id, from.id) ?? 0;
      extra.costSource = 'dispatching_site';
      const onCosts = ops.latestOnCosts(product.id, from.id);
      if (Object.keys(onCosts).length) extra.onCosts = onCosts;
    }
    return inboundLines(product, site.id, input.kind, l, where, extra);
  });
  const notes = expiredNotes(() => ops.days(), inLots(ops, input.lines), at, { confirmed: input.confirmExpired, reviewing, wording: RETURN_WORDING });
  return {
    ...(notes.length ? { notes } : {}),
    doc: docHeader(input.kind, input, lines),
    meta: { kind: input.kind, siteId: site.id, toSiteId: null, sourceDocumentId: null, reason: from ? `from ${from.code}` : null },
  };
}

/** A form's lines as the expired-stock check reads them: line number, product code, batch. */
function inLots(ops: OpsReads, lines: { productId: number; batch?: InLine['batch'] }[]) {
  return lines.map((l, i) => ({ line: i + 1, sku: ops.product(l.productId).sku, batch: l.batch }));
}
