import { AppError } from '../../shared/contract/errors';
import type { StockType, TrackingMode } from '../../shared/domain';

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
  const recipeChange = STOCK_TYPES_WITHOUT_STOCK.has(before.stockType) !== STOCK_TYPES_WITHOUT_STOCK.has(after.stockType);
  if ((after.tracking !== before.tracking || recipeChange) && hasStock()) {
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
