import type { ProductOption } from '../../shared/operations';

/** The product a typed text names exactly (its SKU in any case, or one of its barcodes), if any. */
export function exactProduct(text: string, options: readonly ProductOption[]): ProductOption | null {
  const q = text.trim().toLowerCase();
  if (!q) return null;
  return options.find((o) => o.exact === true || o.sku.toLowerCase() === q) ?? null;
}

/**
 * The product typed text stands for: the one it names exactly, else the only product the search found for it (one
 * match is no guess); null when several match and none exactly.
 */
export function typedProduct(text: string, options: readonly ProductOption[]): ProductOption | null {
  if (!text.trim()) return null;
  return exactProduct(text, options) ?? (options.length === 1 ? options[0]! : null);
}
