import { AppError } from '../../shared/contract/errors';
import type { DespatchInput, PickLine, WriteOffInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput } from '../../shared/contract/schemas';
import { MAX_RECIPE_DEPTH } from '../../shared/recipes';
import { componentQty } from '../recipes/explosion';
import { onFormLine } from './form-lines';
import { docHeader, lineFor, type BuiltOperation } from './operation-writer';
import type { OpProduct, OpSite } from './ops-store';
import type { OpsReads } from './ops-reads';
import { StockPicker } from './stock-picker';

/**
 * Ledger lines that take `line` out of `site`: batches first-expiry-first-out unless the user picked one;
 * a Recipe product explodes into its components (qty_per_unit × quantity, recursively) with the recipe version in
 * force at `at`, the document's effective time; an Other product moves nothing.
 */
export function outgoingLines(
  ops: OpsReads,
  picker: StockPicker,
  site: OpSite,
  at: number,
  type: MovementLineInput['type'],
  line: PickLine,
  where: string,
  notes: string[],
  extra: Partial<MovementLineInput> = {},
  depth = 0,
): MovementLineInput[] {
  const product = ops.product(line.productId, `${where}: `);
  if (product.stockType === 'Other') {
    notes.push(`${where}: ${product.sku} is not a stock product (stock type Other); it made no movement.`);
    return [];
  }
  if (product.stockType === 'Recipe') return explode(ops, picker, site, at, type, product, line, where, notes, extra, depth);
  if (!product.stockKeeping) throw new AppError('VALIDATION', `${where}: stock keeping is switched off for ${product.sku}; switch it on in the product first.`, { field: 'productId' });
  return onFormLine(picker.pick(product, site, line, where, depth > 0).map((p) => lineFor(product.id, site.id, type, p, -1, extra)), where, product);
}

function explode(
  ops: OpsReads,
  picker: StockPicker,
  site: OpSite,
  at: number,
  type: MovementLineInput['type'],
  recipe: OpProduct,
  line: PickLine,
  where: string,
  notes: string[],
  extra: Partial<MovementLineInput>,
  depth: number,
): MovementLineInput[] {
  if (line.batch || line.serials) throw new AppError('VALIDATION', `${where}: ${recipe.sku} is a recipe; it has no batch or serial numbers of its own. Remove them.`, { field: 'batch' });
  if (depth >= MAX_RECIPE_DEPTH) throw new AppError('VALIDATION', `${where}: the recipe ${recipe.sku} nests more than ${MAX_RECIPE_DEPTH} levels deep (or contains itself). Correct the recipe.`);
  const components = ops.components(recipe.id, at);
  if (components.length === 0) {
    throw new AppError('VALIDATION', `${where}: the recipe ${recipe.sku} has no components in force at ${ops.dateTime(at)}. Add its components in Recipes first.`, { field: 'productId' });
  }
  return components.flatMap((c) => {
    const qty = componentQty(c.qtyPerUnit, line.qty, recipe.scale);
    if (qty <= 0) return [];
    const part: PickLine = { productId: c.productId, qty };
    if (line.binId !== undefined) part.binId = line.binId;
    return outgoingLines(ops, picker, site, at, type, part, `${where} (${recipe.sku})`, notes, extra, depth + 1);
  });
}

/** Despatch / sale / outbound: costed at the latest cost at the site (the poster's default). */
export function buildDespatch(ops: OpsReads, input: DespatchInput, at: number): BuiltOperation {
  const site = ops.site(input.siteId);
  const picker = new StockPicker(ops, at);
  const notes: string[] = [];
  const lines = input.lines.flatMap((l, i) => outgoingLines(ops, picker, site, at, input.kind, l, `Line ${i + 1}`, notes));
  return {
    doc: lines.length ? docHeader('despatch', input, lines) : null,
    meta: { kind: input.kind, siteId: site.id, counterparty: input.counterparty ?? null },
    notes,
  };
}

/** Wastage / clear (write-off) with a reason, costed at the latest cost at the site. */
export function buildWriteOff(ops: OpsReads, input: WriteOffInput, at: number): BuiltOperation {
  const site = ops.site(input.siteId);
  const picker = new StockPicker(ops);
  const notes: string[] = [];
  const lines = input.lines.flatMap((l, i) => outgoingLines(ops, picker, site, at, input.kind, l, `Line ${i + 1}`, notes, { note: input.reason }));
  if (lines.length === 0) throw new AppError('VALIDATION', 'None of these lines holds stock (all are non-stock products); there is nothing to write off.');
  return { doc: docHeader('write_off', input, lines), meta: { kind: input.kind, siteId: site.id, reason: input.reason }, notes };
}
