import { AppError } from '../../shared/contract/errors';
import type { StockType, TrackingMode } from '../../shared/domain';
import { combinationKey, variantLabel, type VariantAxis, type VariantValues } from '../../shared/variants';
import type { EntityFields } from '../ledger/entities/columns';
import type { ProductEntity } from '../ledger/entities/product.entities';

/** A refusal about one field of a product, so a form can mark that field and an import can name its column. */
const refuse = (field: string, message: string, code: 'VALIDATION' | 'CONFLICT' = 'VALIDATION') => new AppError(code, message, { field });

const STOCK_TYPES_WITHOUT_STOCK = new Set<StockType>(['Recipe']);

/** A product's fields the rules below compare. */
export interface ProductShape {
  sku: string;
  unit: string;
  scale: number;
  stockType: StockType;
  tracking: TrackingMode;
}

/** Serial- and RFID-tracked products are counted in whole units. Throws the refusal naming the product and `scale`. */
export function checkTrackingScale(p: ProductShape): void {
  if ((p.tracking === 'SERIAL' || p.tracking === 'RFID') && p.scale !== 0) {
    throw refuse('scale', `${p.sku} is tracked by ${p.tracking === 'SERIAL' ? 'serial number' : 'RFID tag'}, so it is counted in whole units: set decimals to 0.`);
  }
}

/** Whether checkProductHistory needs to know if the product holds stock: its tracking or Recipe-ness changes. */
export function historyAsksStock(before: ProductShape, after: ProductShape): boolean {
  return after.tracking !== before.tracking || STOCK_TYPES_WITHOUT_STOCK.has(before.stockType) !== STOCK_TYPES_WITHOUT_STOCK.has(after.stockType);
}

/**
 * Changes that would make recorded movements mean something else: the unit or decimals of a product with movements,
 * the tracking mode or Recipe-ness of a product holding stock. `hasStock` is asked only when it matters.
 */
export function checkProductHistory(before: ProductShape & { hasMovements: boolean }, after: ProductShape, hasStock: () => boolean): void {
  if (before.hasMovements && after.unit !== before.unit) {
    throw refuse('unit', `${before.sku} already has movements in ${before.unit}, so its unit cannot change. Create a new product for the new unit and deactivate this one.`, 'CONFLICT');
  }
  if (before.hasMovements && after.scale !== before.scale) {
    throw refuse(
      'scale',
      `${before.sku} already has movements recorded with ${before.scale} decimal${before.scale === 1 ? '' : 's'}, so its decimals cannot change. Create a new product and deactivate this one.`,
      'CONFLICT',
    );
  }
  if (historyAsksStock(before, after) && hasStock()) {
    throw refuse(
      after.tracking !== before.tracking ? 'tracking' : 'stockType',
      after.tracking !== before.tracking
        ? `${before.sku} holds stock tracked as ${before.tracking}, so its tracking cannot change to ${after.tracking}. Bring its stock to zero first.`
        : `${before.sku} holds stock, so it cannot change from ${before.stockType} to ${after.stockType}. Bring its stock to zero first.`,
      'CONFLICT',
    );
  }
}

/**
 * One line of a product's per-site settings: the site holds stock (not the External site), and a default bin is one of
 * the site's bins and active (unless the product had that bin already). Throws the refusal naming the product and `sites`.
 */
export function checkProductSite(
  sku: string,
  site: { name: string; kind: string },
  bin: { code: string; active: boolean; ofSite: boolean } | null,
  keptBin: boolean,
): void {
  if (site.kind === 'external') throw refuse('sites', `${sku} cannot have a low-stock level or bin at the External site, which holds no stock.`);
  if (bin === null) return;
  if (!bin.ofSite) throw refuse('sites', `The default bin of ${sku} at ${site.name} is not a bin of ${site.name}. Choose one of its bins.`);
  if (!bin.active && !keptBin) throw refuse('sites', `Bin ${bin.code} at ${site.name} is inactive, so it cannot be the default bin of ${sku}. Choose an active bin.`);
}

/** A product's fields the variant rules compare. */
export type VariantShape = Pick<EntityFields<typeof ProductEntity>, 'sku' | 'stockKeeping'> & {
  /** Its variant parent (any id other than null and the stored one counts as a move). */
  parentId: EntityFields<typeof ProductEntity>['parentId'];
  variantAxes: VariantAxis[];
};

/**
 * A variant parent lists distinct attributes and values and keeps no stock; it cannot itself be a variant, cannot have
 * movements before it became a parent, and its attributes must still allow each of its variants; a product with
 * variants keeps its attributes; no product moves under or away from a parent. `variants` is asked only when it matters.
 */
export function checkVariantParent(
  p: VariantShape,
  before: { hasMovements: boolean; parentId: number | null; variantAxes: VariantAxis[] } | null,
  variants: () => readonly { sku: string; variantAttributes: VariantValues }[],
): void {
  const sku = p.sku;
  if (p.variantAxes.length) {
    if (p.parentId !== null) throw refuse('variantAxes', `${sku} is a variant of another product, so it cannot have variants of its own.`);
    if (p.stockKeeping) throw refuse('stockKeeping', `${sku} has variant attributes: its variants keep the stock, so switch stock keeping off for ${sku}.`);
    if (before?.hasMovements && before.variantAxes.length === 0) {
      throw refuse('variantAxes', `${sku} already has movements, so it cannot become a variant parent. Create a new product for the variants.`, 'CONFLICT');
    }
    const names = new Set<string>();
    for (const axis of p.variantAxes) {
      const key = axis.name.toLowerCase();
      if (names.has(key)) throw refuse('variantAxes', `${sku} lists the attribute ${axis.name} twice. Keep one.`);
      names.add(key);
      const values = new Set<string>();
      for (const v of axis.values) {
        if (values.has(v.toLowerCase())) throw refuse('variantAxes', `${sku} lists the value ${v} of ${axis.name} twice. Keep one.`);
        values.add(v.toLowerCase());
      }
    }
    if (before && before.variantAxes.length) {
      for (const v of variants()) {
        const fits = p.variantAxes.every((a) => a.values.some((x) => x.toLowerCase() === (v.variantAttributes[a.name] ?? '').toLowerCase()));
        if (!fits || Object.keys(v.variantAttributes).length !== p.variantAxes.length) {
          throw refuse(
            'variantAxes',
            `Variant ${v.sku} of ${sku} is ${variantLabel(before.variantAxes, v.variantAttributes)}, which these attributes no longer allow. Keep its attribute and value, or delete that variant first.`,
            'CONFLICT',
          );
        }
      }
    }
  } else if (before && before.variantAxes.length) {
    const count = variants().length;
    if (count > 0) throw refuse('variantAxes', `${sku} has ${count} variant${count === 1 ? '' : 's'}, so it keeps its attributes. Delete the variants first.`, 'CONFLICT');
  }
  if (before && before.parentId !== p.parentId) {
    throw refuse('parentId', `${sku} cannot move ${before.parentId === null ? 'under a variant parent' : 'away from its variant parent'}. Create a new product instead.`, 'CONFLICT');
  }
}

/**
 * A variant's values: one of each of its parent's attributes, among the parent's values, a combination no sibling holds
 * (`twinOf` gives the SKU of another variant holding a combination key). Returns the values in the parent's spelling.
 */
export function checkVariantValues(sku: string, parent: { sku: string; variantAxes: VariantAxis[] }, values: VariantValues, twinOf: (key: string) => string | undefined): VariantValues {
  const axes = parent.variantAxes;
  if (!axes.length) throw refuse('parentId', `${parent.sku} has no variant attributes, so ${sku} cannot be its variant. Give ${parent.sku} its attributes first.`);
  const out: VariantValues = {};
  for (const name of Object.keys(values)) {
    if (!axes.some((a) => a.name === name)) throw refuse('variantAttributes', `${sku} has a value for ${name}, which is not an attribute of ${parent.sku}.`);
  }
  for (const a of axes) {
    const given = values[a.name]?.trim() ?? '';
    if (!given) throw refuse('variantAttributes', `${sku} needs a value for ${a.name}, one of ${a.values.join(', ')}.`);
    const value = a.values.find((v) => v.toLowerCase() === given.toLowerCase());
    if (value === undefined) throw refuse('variantAttributes', `${a.name} ${given} of ${sku} is not one of the values of ${parent.sku} (${a.values.join(', ')}).`);
    out[a.name] = value;
  }
  const twin = twinOf(combinationKey(axes, out));
  if (twin !== undefined) throw refuse('variantAttributes', `${twin} is already the ${variantLabel(axes, out)} variant of ${parent.sku}, so ${sku} cannot be too.`, 'CONFLICT');
  return out;
}
