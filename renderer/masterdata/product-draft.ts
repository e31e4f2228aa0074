import type { MethodInput } from '../../shared/contract/methods';
import { STOCK_TYPES, TRACKING_MODES, TRACKING_NAMES, type StockType, type TrackingMode } from '../../shared/domain';
import type { ProductRecord } from '../../shared/masterdata';
import type { VariantValues } from '../../shared/variants';
import type { RecordField } from '../common/saved-now';
import { numberSeparators, parseQuantity } from '../../shared/quantity';
import { numberLocale } from '../common/format';

/** What the product form edits: text as typed, turned into the contract's input on save. */
export interface ProductDraft {
  sku: string;
  name: string;
  description: string;
  /** Barcodes one per line (spaces and commas also separate). */
  barcodes: string;
  unit: string;
  scale: number;
  stockType: StockType;
  tracking: TrackingMode;
  stockKeeping: boolean;
  /** In the product's unit, e.g. "2.5" kg. */
  lowStockLevel: string;
  active: boolean;
  groupId: number | null;
  /** Two letters as typed; empty for none. */
  countryOfOrigin: string;
  /** One line per site that has a level or a default bin (sites left blank are dropped on save). */
  sites: SiteDraft[];
  /** A variant parent's attributes: a name and its values comma-separated ("S, M, L"). */
  variantAxes: AxisDraft[];
  parentId: number | null;
  variantAttributes: VariantValues;
}
export interface SiteDraft {
  siteId: number;
  /** In the product's unit, as typed; empty: the product's own level applies. */
  lowStockLevel: string;
  defaultBinId: number | null;
}
export interface AxisDraft {
  name: string;
  values: string;
}

/**
 * A new stock type for the draft: Recipe and Other products hold no stock of their own (a recipe's sale takes its
 * components; an Other item, a charge or service, never moves), so choosing one switches stock keeping off, and choosing
 * a stocked type switches it back on unless the product is a variant parent (its variants keep the stock).
 */
export function withStockType(d: ProductDraft, stockType: StockType, isParent: boolean): ProductDraft {
  const stocked = stockType !== 'Recipe' && stockType !== 'Other';
  return { ...d, stockType, stockKeeping: stocked && !isParent };
}

/** A refusal of the draft before it is sent, naming the field to mark. */
export class DraftError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const EMPTY_PRODUCT: ProductDraft = {
  sku: '',
  name: '',
  description: '',
  barcodes: '',
  unit: 'ea',
  scale: 0,
  stockType: STOCK_TYPES[0],
  tracking: TRACKING_MODES[0],
  stockKeeping: true,
  lowStockLevel: '',
  active: true,
  groupId: null,
  countryOfOrigin: '',
  sites: [],
  variantAxes: [],
  parentId: null,
  variantAttributes: {},
};

/** A quantity as the user would type it back: the locale's decimal separator, no thousands separator. */
export function quantityText(units: number, scale: number, locale: string = numberLocale()): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  if (scale === 0) return `${sign}${abs}`;
  const div = 10 ** scale;
  return `${sign}${Math.floor(abs / div)}${numberSeparators(locale).decimal}${String(abs % div).padStart(scale, '0')}`;
}

export function draftOf(p: ProductRecord, locale: string = numberLocale()): ProductDraft {
  return {
    sku: p.sku,
    name: p.name,
    description: p.description,
    barcodes: p.barcodes.join('\n'),
    unit: p.unit,
    scale: p.scale,
    stockType: p.stockType,
    tracking: p.tracking,
    stockKeeping: p.stockKeeping,
    lowStockLevel: p.lowStockLevel === null ? '' : quantityText(p.lowStockLevel, p.scale, locale),
    active: p.active,
    groupId: p.groupId,
    countryOfOrigin: p.countryOfOrigin ?? '',
    sites: p.sites.map((x) => ({ siteId: x.siteId, lowStockLevel: x.lowStockLevel === null ? '' : quantityText(x.lowStockLevel, p.scale, locale), defaultBinId: x.defaultBinId })),
    variantAxes: p.variantAxes.map((a) => ({ name: a.name, values: a.values.join(', ') })),
    parentId: p.parentId,
    variantAttributes: p.variantAttributes,
  };
}

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');

/** The product's fields as the form labels them, read as the form shows them (for the refusal of a stale save). */
export const PRODUCT_FIELDS: readonly RecordField<ProductRecord>[] = [
  ['SKU', (p) => p.sku],
  ['Name', (p) => p.name],
  ['Description', (p) => p.description],
  ['Barcodes', (p) => p.barcodes.join(', ')],
  ['Unit', (p) => p.unit],
  ['Decimals', (p) => String(p.scale)],
  ['Stock type', (p) => p.stockType],
  ['Tracking', (p) => TRACKING_NAMES[p.tracking]],
  ['Low-stock level', (p) => draftOf(p).lowStockLevel],
  ['Country of origin', (p) => p.countryOfOrigin ?? ''],
  ['Keep stock', (p) => yesNo(p.stockKeeping)],
  ['Active', (p) => yesNo(p.active)],
];

/** The attributes a draft defines: blank lines dropped, values split on commas. */
export const axesOf = (axes: readonly AxisDraft[]) =>
  axes
    .map((a) => ({ name: a.name.trim(), values: a.values.split(',').map((v) => v.trim()).filter(Boolean) }))
    .filter((a) => a.name || a.values.length);

const level = (text: string, scale: number, locale: string, what: string, field: string): number | null => {
  if (!text.trim()) return null;
  try {
    return parseQuantity(text.trim(), scale, locale);
  } catch (e) {
    throw new DraftError(field, `${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
};

export type ProductFields = MethodInput<'masterdata.productCreate'>;

/**
 * The contract input for a draft; throws a DraftError naming the field when a low-stock level is not a quantity in
 * the product's decimals. `siteName` names a site in that message.
 */
export function inputOf(
  d: ProductDraft,
  locale: string = numberLocale(),
  siteName: (siteId: number) => string = (id) => `site ${id}`,
): ProductFields & { active: boolean } {
  const lowStockLevel = level(d.lowStockLevel, d.scale, locale, 'Low-stock level', 'lowStockLevel');
  const sites = d.sites
    .map((x) => ({ siteId: x.siteId, lowStockLevel: level(x.lowStockLevel, d.scale, locale, `Low-stock level at ${siteName(x.siteId)}`, 'sites'), defaultBinId: x.defaultBinId }))
    .filter((x) => x.lowStockLevel !== null || x.defaultBinId !== null);
  const country = d.countryOfOrigin.trim().toUpperCase();
  return {
    sku: d.sku.trim(),
    name: d.name.trim(),
    description: d.description.trim(),
    barcodes: d.barcodes.split(/[\s,;]+/).filter(Boolean),
    unit: d.unit.trim(),
    scale: d.scale,
    stockType: d.stockType,
    tracking: d.tracking,
    stockKeeping: d.stockKeeping,
    lowStockLevel,
    active: d.active,
    groupId: d.groupId,
    countryOfOrigin: country || null,
    sites,
    variantAxes: axesOf(d.variantAxes),
    parentId: d.parentId,
    variantAttributes: d.variantAttributes,
  };
}
