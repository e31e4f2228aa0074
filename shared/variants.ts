/**
 * Variants (seed 003): a variant parent names its attributes (size, colour…) and their values; each combination is a
 * product of its own, stock-kept under its own SKU and barcodes, pointing at the parent.
 */
export interface VariantAxis {
  name: string;
  values: string[];
}
/** One variant's value for each of its parent's attributes, by attribute name. */
export type VariantValues = Record<string, string>;

/** Every combination of the attributes' values, the first attribute varying slowest (S-Red, S-Blue, M-Red, M-Blue). */
export function combinations(axes: readonly VariantAxis[]): VariantValues[] {
  let out: VariantValues[] = [{}];
  for (const axis of axes) out = out.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.name]: v })));
  return axes.length ? out : [];
}

/** A combination's identity, the same whatever the case or the order its attributes were written in. */
export const combinationKey = (axes: readonly VariantAxis[], values: VariantValues): string =>
  axes.map((a) => (values[a.name] ?? '').toLowerCase()).join('\u0000');

/** "M / Red": the values in the parent's attribute order. */
export const variantLabel = (axes: readonly VariantAxis[], values: VariantValues): string =>
  axes.map((a) => values[a.name] ?? '?').join(' / ');

/** The SKU suggested for a combination: the parent's SKU and each value, upper case, spaces dropped (TEE-M-RED). */
export const suggestVariantSku = (parentSku: string, axes: readonly VariantAxis[], values: VariantValues): string =>
  [parentSku, ...axes.map((a) => (values[a.name] ?? '').replace(/\s+/g, '').toUpperCase())].join('-');

/** The combinations no existing variant holds yet, in combination order. */
export function missingCombinations(axes: readonly VariantAxis[], existing: readonly VariantValues[]): VariantValues[] {
  const have = new Set(existing.map((v) => combinationKey(axes, v)));
  return combinations(axes).filter((c) => !have.has(combinationKey(axes, c)));
}
