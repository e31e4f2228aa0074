import type { MethodInput } from '../../shared/contract/methods';
import { STOCK_TYPES, TRACKING_MODES, type StockType, type TrackingMode } from '../../shared/domain';
import type { ProductRecord } from '../../shared/masterdata';
import { defaultNumberLocale, numberSeparators, parseQuantity } from '../../shared/quantity';

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
};

/** A quantity as the user would type it back: the locale's decimal separator, no thousands separator. */
export function quantityText(units: number, scale: number, locale: string = defaultNumberLocale()): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  if (scale === 0) return `${sign}${abs}`;
  const div = 10 ** scale;
  return `${sign}${Math.floor(abs / div)}${numberSeparators(locale).decimal}${String(abs % div).padStart(scale, '0')}`;
}

export function draftOf(p: ProductRecord, locale: string = defaultNumberLocale()): ProductDraft {
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
  };
}

export type ProductFields = MethodInput<'masterdata.productCreate'>;

/** The contract input for a draft; throws an Error naming the low-stock level when it is not a quantity in the product's decimals. */
export function inputOf(d: ProductDraft, locale: string = defaultNumberLocale()): ProductFields & { active: boolean } {
  let lowStockLevel: number | null = null;
  if (d.lowStockLevel.trim()) {
    try {
      lowStockLevel = parseQuantity(d.lowStockLevel.trim(), d.scale, locale);
    } catch (e) {
      throw new Error(`Low-stock level: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
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
  };
}
