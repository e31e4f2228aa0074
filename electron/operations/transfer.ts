import { AppError } from '../../shared/contract/errors';
import { expiredNotes, TRANSFER_WORDING, type InboundLot } from './expired-receipt';
import { onFormLine } from './form-lines';
import type { InternalTransferInput, TransferInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput } from '../../shared/contract/schemas';
import { docHeader, namedEffectiveTime, lineFor, type BuiltOperation } from './operation-writer';
import type { OpsReads } from './ops-reads';
import { StockPicker } from './stock-picker';

/**
 * Transfer between sites (either may be 'External'): a Transfer Out at the dispatching site and a Transfer In
 * at the receiving site, both at the dispatching site's latest cost and on-costs. From 'External' (no cost there) a line may declare one.
 * `at`: when it takes effect (a batch expired before that day is not picked unless named: stock-picker.ts).
 */
export function buildTransfer(ops: OpsReads, input: TransferInput, at: number): BuiltOperation {
  const from = ops.site(input.fromSiteId, 'dispatching site');
  const to = ops.site(input.toSiteId, 'receiving site');
  if (from.id === to.id) throw new AppError('VALIDATION', `Both sides of the transfer are ${from.name}. Pick another receiving site, or use an internal transfer to move stock between bins.`, { field: 'toSiteId' });
  if (from.external && to.external) throw new AppError('VALIDATION', "A transfer needs at least one of your own sites; 'External' to 'External' moves nothing.");
  const picker = new StockPicker(ops, at, namedEffectiveTime(input, at));
  const lines: MovementLineInput[] = [];
  input.lines.forEach((l, i) => {
    const where = `Line ${i + 1}`;
    const product = ops.product(l.productId, `${where}: `);
    if (product.stockType === 'Recipe' || product.stockType === 'Other') {
      throw new AppError('VALIDATION', `${where}: ${product.sku} is a ${product.stockType} product and holds no stock; transfer its components instead.`, { field: 'productId' });
    }
    if (l.unitCost !== undefined && !from.external) {
      throw new AppError('VALIDATION', `${where}: a transfer is costed at ${from.name}'s latest cost; remove the unit cost (only a transfer in from 'External' declares one).`, { field: 'unitCost' });
    }
    const unitCost = l.unitCost ?? ops.latestCost(product.id, from.id) ?? 0;
    // Both legs carry the dispatching site's latest on-costs too, so the receiving site's stock keeps them.
    const onCosts = from.external ? {} : ops.latestOnCosts(product.id, from.id);
    const cost: Partial<MovementLineInput> = { unitCost, costSource: 'dispatching_site' };
    if (Object.keys(onCosts).length) cost.onCosts = onCosts;
    for (const p of picker.pick(product, from, l, where)) {
      lines.push(lineFor(product.id, from.id, 'transfer_out', p, -1, cost));
      const inLeg = lineFor(product.id, to.id, 'transfer_in', { ...p, binId: l.toBinId ?? input.toBinId ?? null }, 1, cost);
      lines.push(inLeg);
      onFormLine(lines.slice(-2), where, product);
    }
  });
  return { doc: docHeader('transfer', input, lines), meta: { kind: 'transfer', siteId: from.id, toSiteId: to.id } };
}

/**
 * Internal transfer between bins or batches of one site (e.g. sellable ↔ defective bin): nets to zero. A line moved
 * into a batch ("to batch") that expired before `at`'s business day (its typed expiry, else the known batch's) is
 * moved only when confirmed, as a receipt of an expired batch is; `reviewing` names it in the notes instead.
 */
export function buildInternalTransfer(ops: OpsReads, input: InternalTransferInput, at: number, reviewing = false): BuiltOperation {
  const site = ops.site(input.siteId);
  if (site.external) throw new AppError('VALIDATION', "'External' has no bins; pick one of your sites.", { field: 'siteId' });
  const picker = new StockPicker(ops);
  const lines: MovementLineInput[] = [];
  const into: InboundLot[] = [];
  input.lines.forEach((l, i) => {
    const where = `Line ${i + 1}`;
    const product = ops.product(l.productId, `${where}: `);
    if (l.toBatch) into.push({ line: i + 1, sku: product.sku, batch: { code: l.toBatch.code, expiry: l.toBatch.expiry ?? ops.batchExpiry(product.id, l.toBatch.code) } });
    const sameBin = (l.toBinId ?? null) === (l.fromBinId ?? null);
    const sameBatch = (l.toBatch?.code ?? l.fromBatch?.code ?? null) === (l.fromBatch?.code ?? null);
    if (sameBin && sameBatch) throw new AppError('VALIDATION', `${where}: the line moves ${product.sku} to where it already is. Pick another bin or batch to move it to.`, { field: 'toBinId' });
    const picks = picker.pick(product, site, { qty: l.qty, binId: l.fromBinId, batch: l.fromBatch, serials: l.serials }, where);
    for (const p of picks) {
      lines.push(lineFor(product.id, site.id, 'transfer', p, -1));
      const target = { ...p, binId: l.toBinId ?? null, batchCode: l.toBatch?.code ?? p.batchCode };
      lines.push(lineFor(product.id, site.id, 'transfer', target, 1, l.toBatch ? { batch: l.toBatch } : {}));
      onFormLine(lines.slice(-2), where, product);
    }
  });
  const notes = expiredNotes(() => ops.days(), into, at, { confirmed: input.confirmExpired, reviewing, wording: TRANSFER_WORDING });
  return { doc: docHeader('transfer', input, lines), meta: { kind: 'internal_transfer', siteId: site.id, toSiteId: site.id }, ...(notes.length ? { notes } : {}) };
}
