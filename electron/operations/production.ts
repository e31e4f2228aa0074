import { AppError } from '../../shared/contract/errors';
import type { PeriodVarianceInput, ProductionInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput } from '../../shared/contract/schemas';
import { movementValue } from '../../shared/quantity';
import { componentQty } from '../recipes/explosion';
import { outgoingFormLines } from './despatch';
import { inboundLines } from './receive';
import { expiredNotes, PRODUCTION_WORDING } from './expired-receipt';
import { docHeader, namedEffectiveTime, type BuiltOperation } from './operation-writer';
import type { OpsReads } from './ops-reads';
import type { OpProduct, OpSite } from './ops-store';
import { StockPicker } from './stock-picker';

/**
 * Production / preparation / work order: consumes the components (at the latest cost and on-costs at the site) and
 * makes the output in ONE document; the output's unit cost is the consumed value (product cost and on-costs) divided by
 * the output quantity. An output batch that expired before the document's business day is produced only when
 * confirmed, as on a receipt.
 */
export function buildProduction(ops: OpsReads, input: ProductionInput, at: number, reviewing = false): BuiltOperation {
  const site = ops.site(input.siteId);
  const output = ops.product(input.output.productId, 'Output: ');
  if (output.stockType === 'Recipe' || output.stockType === 'Other') {
    throw new AppError('VALIDATION', `Output: ${output.sku} is a ${output.stockType} product and holds no stock; produce a Made or Preparation product.`, { field: 'output' });
  }
  const components =
    input.components ??
    ops.components(output.id, at).map((c) => ({ productId: c.productId, qty: componentQty(c.qtyPerUnit, input.output.qty, output.scale) }));
  if (components.length === 0) {
    throw new AppError('VALIDATION', `${output.sku} has no recipe components; enter the components consumed.`, { field: 'components' });
  }
  const consumeType = input.kind === 'work_order' ? 'work_order_consumption' : 'product_preparation';
  const produceType = input.kind === 'work_order' ? 'work_order_production' : 'product_preparation';
  const picker = new StockPicker(ops, at, namedEffectiveTime(input, at));
  const notes: string[] = [];
  const { lines: consumed, kits } = outgoingFormLines(ops, picker, site, at, consumeType, components, (i) => `Component ${i + 1}`, notes);
  if (consumed.some((l) => l.productId === output.id)) throw new AppError('VALIDATION', `${output.sku} cannot consume itself; remove it from the components.`, { field: 'components' });
  // Cost each consumed line now, at the latest cost at the site and with the latest on-costs there (as a sale's line
  // takes them: README "On-costs"), so the output's cost is their sum: product cost plus each on-cost valued as posting
  // values it (qty × per-unit amount, rounded), which Work in Progress receives against its recovery.
  let value = 0;
  for (const l of consumed) {
    const p = ops.product(l.productId);
    l.unitCost = ops.latestCost(l.productId, site.id) ?? 0;
    l.costSource = 'latest_at_site';
    value += movementValue(-l.qty, l.unitCost, p.scale);
    const onCosts = ops.latestOnCosts(l.productId, site.id);
    if (Object.keys(onCosts).length === 0) continue;
    l.onCosts = onCosts;
    for (const oc of Object.values(onCosts)) value += movementValue(-l.qty, oc, p.scale);
  }
  const unitCost = Math.round((value * 10 ** output.scale) / input.output.qty);
  const produced = inboundLines(output, site.id, produceType, input.output, 'Output', { unitCost, costSource: 'declared' });
  const outputLot = { line: 1, sku: output.sku, batch: input.output.batch };
  notes.push(...expiredNotes(() => ops.days(), [outputLot], at, { confirmed: input.confirmExpired, reviewing, wording: PRODUCTION_WORDING, where: () => 'Output' }));
  return { doc: docHeader('production', input, [...consumed, ...produced]), meta: { kind: input.kind, siteId: site.id }, notes, ...(kits.length ? { kits } : {}) };
}

/**
 * A variance is the count less the stock on hand now; dated back (a named effective time), the product must not have
 * moved at the site since, or the stock now would not be what was there when counted (a delivery since would be booked
 * as a loss). As a stock count dated back (count-rules.ts checkNothingMovedAfter).
 */
function checkNotMovedSince(ops: OpsReads, product: OpProduct, site: OpSite, named: number, line: number): void {
  const latest = ops.latestAt(product.id, site.id);
  if (latest === null || latest <= named) return;
  throw new AppError(
    'VALIDATION',
    `Line ${line}: ${product.sku} "${product.name}" at ${site.name} moved after ${ops.dateTime(named)} (on ${ops.dateTime(latest)}), and the variance is worked out from the stock now. Date the variance at ${ops.dateTime(latest)} or later, or leave the Effective time as now.`,
    { line, field: 'occurredAt' },
  );
}

/** Period variance: brings each counted quant to the counted quantity, at the latest cost at the site. */
export function buildPeriodVariance(ops: OpsReads, input: PeriodVarianceInput, at: number): BuiltOperation {
  const site = ops.site(input.siteId);
  const named = namedEffectiveTime(input, at);
  const lines: MovementLineInput[] = [];
  input.lines.forEach((l, i) => {
    const where = `Line ${i + 1}`;
    const product = ops.product(l.productId, `${where}: `);
    if (product.tracking === 'SERIAL' || product.tracking === 'RFID') {
      throw new AppError('VALIDATION', `${where}: ${product.sku} is serial-tracked; count it in a stock count, which scans each unit.`, { field: 'productId' });
    }
    if (product.tracking === 'LOT' && !l.batch) throw new AppError('VALIDATION', `${where}: ${product.sku} is lot-tracked; enter the batch counted.`, { field: 'batch' });
    if (named !== undefined) checkNotMovedSince(ops, product, site, named, i + 1);
    const onHand = ops.levelQty(product.id, site.id, l.binId ?? null, l.batch?.code ?? null);
    const diff = l.counted - onHand;
    if (diff === 0) return;
    const line: MovementLineInput = { productId: product.id, siteId: site.id, type: 'period_variance', qty: diff, note: `counted ${l.counted}, system ${onHand}` };
    if (l.binId !== undefined) line.binId = l.binId;
    if (l.batch) line.batch = l.batch;
    lines.push(line);
  });
  if (lines.length === 0) throw new AppError('VALIDATION', 'Every counted quantity equals the stock on hand; there is no variance to post.');
  return { doc: docHeader('period_variance', input, lines), meta: { kind: 'period_variance', siteId: site.id } };
}
