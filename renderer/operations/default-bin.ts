import type { ProductOption } from '../../shared/operations';
import type { FormLine } from './line-model';

/**
 * The one rule for where stock coming in is put away: the product's default bin at the site it arrives at (Products →
 * Default bin at …), unless a bin is already chosen. A receipt line, a production output and the receiving side of a
 * transfer all take it; the form shows the bin, so the bin shown is the bin posted and the clerk can change it.
 */
export function defaultBinId(product: ProductOption | null, siteId: number | null, chosen = ''): string {
  if (chosen) return chosen;
  const bin = product && siteId !== null ? product.defaultBins?.[String(siteId)] : undefined;
  return bin === undefined ? '' : String(bin);
}

/**
 * Lines once the site their bins belong to changed: a bin of the old site is never kept (a select cannot show it, yet it
 * would be posted); stock coming in takes the product's default bin at the new site, stock going out any bin ('').
 */
export function rebinned(lines: FormLine[], field: 'binId' | 'toBinId', siteId: number | null, incoming: boolean): FormLine[] {
  return lines.map((l) => ({ ...l, [field]: incoming ? defaultBinId(l.product, siteId) : '' }));
}

/**
 * A line whose product is replaced by another: what it held for the old one goes (the bins chosen for it, its batch,
 * expiry and serial numbers), so the new product takes its own default bin and a field that no longer applies (serial
 * numbers of a product that has none) cannot hold a value the clerk can neither see nor clear. The quantity stays.
 * Emptying the box, or picking the same product again, keeps them.
 */
export function productReplaced(l: FormLine, p: ProductOption | null): Partial<FormLine> {
  if (p === null || p.id === l.product?.id) return {};
  return { binId: '', toBinId: '', batch: '', expiry: '', serials: '', toBatch: '', toExpiry: '' };
}
