import type { SupplierRecord } from '../../shared/suppliers';

/** Matches a typed text against a supplier's code or name, any case; empty text matches every supplier. */
export function matchesSupplier(s: Pick<SupplierRecord, 'code' | 'name'>, text: string): boolean {
  const q = text.trim().toLowerCase();
  return !q || s.code.toLowerCase().includes(q) || s.name.toLowerCase().includes(q);
}

/**
 * How well a typed text fits a supplier, best first: 0 its exact code, 1 the start of its code, 2 the start of its name,
 * 3 the start of a word of its name, 4 anywhere in its code or name; null when it does not match at all.
 */
export function supplierRank(s: Pick<SupplierRecord, 'code' | 'name'>, text: string): number | null {
  const q = text.trim().toLowerCase();
  const code = s.code.toLowerCase();
  const name = s.name.toLowerCase();
  if (!q) return 4;
  if (code === q) return 0;
  if (code.startsWith(q)) return 1;
  if (name.startsWith(q)) return 2;
  if (name.split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(q))) return 3;
  return code.includes(q) || name.includes(q) ? 4 : null;
}

/** The suppliers a typed text matches, best match first (see `supplierRank`); equally good ones keep their order. */
export function rankSuppliers<S extends Pick<SupplierRecord, 'code' | 'name'>>(suppliers: readonly S[], text: string): S[] {
  return suppliers
    .map((s, i) => ({ s, i, rank: supplierRank(s, text) }))
    .filter((x): x is { s: S; i: number; rank: number } => x.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.s);
}
