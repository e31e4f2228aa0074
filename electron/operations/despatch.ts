import { AppError } from '../../shared/contract/errors';
import type { DespatchInput, PickLine, WriteOffInput } from '../../shared/contract/operations.schemas';
import type { MovementLineInput } from '../../shared/contract/schemas';
import { MAX_RECIPE_DEPTH } from '../../shared/recipes';
import { componentQty } from '../recipes/explosion';
import { onFormLine } from './form-lines';
import type { KitSource } from './kit-lines';
import { isSerialTracked, KitSerials } from './kit-serials';
import { docHeader, namedEffectiveTime, lineFor, type BuiltOperation } from './operation-writer';
import type { OpProduct, OpSite } from './ops-store';
import type { OpsReads } from './ops-reads';
import type { ReviewKit } from '../../shared/operations';
import { StockPicker } from './stock-picker';

/**
 * Ledger lines that take `line` out of `site`: batches first-expiry-first-out unless the user picked one;
 * a Recipe product explodes into its components (qty_per_unit × quantity, recursively) with the recipe version in
 * force at `at`, the document's effective time; an Other product moves nothing. The serial numbers typed on a recipe
 * line go to its serial-tracked components (kit-serials.ts).
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
  kit?: KitSerials,
): MovementLineInput[] {
  const product = ops.product(line.productId, `${where}: `);
  if (product.stockType === 'Other') {
    notes.push(`${where}: ${product.sku} is not a stock product (stock type Other); it made no movement.`);
    return [];
  }
  if (product.stockType === 'Recipe') return explode(ops, picker, site, at, type, product, line, where, notes, extra, depth, kit);
  if (kit && isSerialTracked(product)) {
    const serials = kit.take(product, line.qty);
    line = serials ? { ...line, serials } : line;
  }
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
  outer: KitSerials | undefined,
): MovementLineInput[] {
  if (line.batch) throw new AppError('VALIDATION', `${where}: ${recipe.sku} is a recipe; it has no batch of its own. Remove it.`, { field: 'batch' });
  if (depth >= MAX_RECIPE_DEPTH) throw new AppError('VALIDATION', `${where}: the recipe ${recipe.sku} nests more than ${MAX_RECIPE_DEPTH} levels deep (or contains itself). Correct the recipe.`);
  const components = ops.components(recipe.id, at);
  if (components.length === 0) {
    throw new AppError('VALIDATION', `${where}: the recipe ${recipe.sku} has no components in force at ${ops.dateTime(at)}. Add its components in Recipes first.`, { field: 'productId' });
  }
  // The typed line's serial numbers are shared by the whole explosion (nested recipes included) and checked at its top.
  const kit = outer ?? (line.serials ? new KitSerials(ops, recipe, line.serials) : undefined);
  const lines = components.flatMap((c) => {
    const qty = componentQty(c.qtyPerUnit, line.qty, recipe.scale);
    if (qty <= 0) return [];
    const part: PickLine = { productId: c.productId, qty };
    if (line.binId !== undefined) part.binId = line.binId;
    return outgoingLines(ops, picker, site, at, type, part, `${where} (${recipe.sku})`, notes, extra, depth + 1, kit);
  });
  if (kit && !outer) kit.finish(where);
  return lines;
}

/**
 * The ledger lines that take a form's lines out (outgoingLines, each labelled `label(i)`), with each kit line (a Recipe
 * product) as typed and the document lines its components became, for the review to show the kit over them (`kits`)
 * and for a sale to record which kit line each component movement came from (`sources`: form line i + 1).
 */
export function outgoingFormLines(
  ops: OpsReads,
  picker: StockPicker,
  site: OpSite,
  at: number,
  type: MovementLineInput['type'],
  formLines: PickLine[],
  label: (i: number) => string,
  notes: string[],
  extra: Partial<MovementLineInput> = {},
): { lines: MovementLineInput[]; kits: ReviewKit[]; sources: KitSource[] } {
  const lines: MovementLineInput[] = [];
  const kits: ReviewKit[] = [];
  const sources: KitSource[] = [];
  formLines.forEach((l, i) => {
    const where = label(i);
    const made = outgoingLines(ops, picker, site, at, type, l, where, notes, extra);
    const product = ops.product(l.productId);
    if (product.stockType === 'Recipe' && made.length) {
      const span = { firstLineNo: lines.length + 1, lastLineNo: lines.length + made.length };
      kits.push({ where, sku: product.sku, name: product.name, unit: product.unit, scale: product.scale, qty: l.qty, ...span });
      sources.push({ formLineNo: i + 1, kitProductId: product.id, kitQty: l.qty, ...span });
    }
    lines.push(...made);
  });
  return { lines, kits, sources };
}

/** Despatch / sale / outbound: costed at the latest cost at the site (the poster's default). */
export function buildDespatch(ops: OpsReads, input: DespatchInput, at: number): BuiltOperation {
  const site = ops.site(input.siteId);
  const picker = new StockPicker(ops, at, namedEffectiveTime(input, at));
  const notes: string[] = [];
  const { lines, kits, sources } = outgoingFormLines(ops, picker, site, at, input.kind, input.lines, (i) => `Line ${i + 1}`, notes);
  return {
    doc: lines.length ? docHeader('despatch', input, lines) : null,
    meta: { kind: input.kind, siteId: site.id, counterparty: input.counterparty ?? null },
    notes,
    // The review shows each kit over its components; the ledger keeps which kit line each component movement came from.
    ...(kits.length ? { kits, kitLines: sources } : {}),
  };
}

/** Wastage / clear (write-off) with a reason, costed at the latest cost at the site. */
export function buildWriteOff(ops: OpsReads, input: WriteOffInput, at: number): BuiltOperation {
  const site = ops.site(input.siteId);
  const picker = new StockPicker(ops, undefined, namedEffectiveTime(input, at));
  const notes: string[] = [];
  const { lines, kits } = outgoingFormLines(ops, picker, site, at, input.kind, input.lines, (i) => `Line ${i + 1}`, notes, { note: input.reason });
  if (lines.length === 0) throw new AppError('VALIDATION', 'None of these lines holds stock (all are non-stock products); there is nothing to write off.');
  return { doc: docHeader('write_off', input, lines), meta: { kind: input.kind, siteId: site.id, reason: input.reason }, notes, ...(kits.length ? { kits } : {}) };
}
