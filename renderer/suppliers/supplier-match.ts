import type { SupplierRecord } from '../../shared/suppliers';

/** Matches a typed text against a supplier's code or name, any case; empty text matches every supplier. */
export function matchesSupplier(s: Pick<SupplierRecord, 'code' | 'name'>, text: string): boolean {
  const q = text.trim().toLowerCase();
  return !q || s.code.toLowerCase().includes(q) || s.name.toLowerCase().includes(q);
}
