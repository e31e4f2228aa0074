import { AppError } from '../../shared/contract/errors';
import { countryByCode } from '../../shared/countries';
import type { SupplierCodeRecord, SupplierRecord } from '../../shared/suppliers';
import { audit } from '../safety/audit';
import type { SupplierRow, SupplierStore } from './supplier-store';

/** A refusal about one field of a form, so the window can mark that field. */
const refuse = (field: string, message: string, code: 'VALIDATION' | 'CONFLICT' | 'NOT_FOUND' = 'VALIDATION') => new AppError(code, message, { field });

/**
 * A supplier as plain data (the Suppliers window, or a catalog import row parsed with supplierCreateSchema).
 * `inEc` omitted: from the country. Contact fields omitted: empty.
 */
export interface SupplierInput {
  code: string;
  name: string;
  country: string;
  inEc?: boolean | undefined;
  contactName?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
  notes?: string | undefined;
  active?: boolean | undefined;
}

/** What a receipt needs to know of its supplier. */
export interface ReceiptSupplier {
  id: number;
  code: string;
  name: string;
  inEc: boolean;
}

const UNKNOWN_COUNTRY_HINTS: Record<string, string> = { UK: ' The United Kingdom is GB.', EL: ' Greece is GR.', EN: ' England is part of GB.' };

/** A supplier's country (ISO 3166 code, upper case): refused when it is not a real country; says whether it is in the EC. */
export function supplierCountry(supplierCode: string, country: string): { ec: boolean } {
  const known = countryByCode(country);
  if (!known) {
    throw refuse('country', `Supplier ${supplierCode}: ${country || '(blank)'} is not an ISO 3166 country code.${UNKNOWN_COUNTRY_HINTS[country] ?? ''} Pick the country from the list.`);
  }
  return known;
}

/**
 * The rules of suppliers: code and name unique (any case), a real ISO country, "in the EC" from the country unless
 * set; a supplier code belongs to one product per supplier; an inactive supplier cannot be picked on a new receipt.
 * Every change is one transaction (a savepoint inside a caller's transaction) and one audit entry, before → after.
 */
export class Suppliers {
  constructor(private readonly store: SupplierStore, private readonly clock: () => number = Date.now) {}

  create(input: SupplierInput, userId: number): SupplierRecord {
    return this.store.transaction(() => {
      const row = this.check(input, null, null);
      const id = this.store.insertSupplier(row);
      const after = this.store.supplier(id)!;
      this.audit(userId, 'supplier', after.code, null, after);
      return after;
    });
  }

  update(input: SupplierInput & { id: number }, userId: number): SupplierRecord {
    return this.store.transaction(() => {
      const before = this.store.supplier(input.id);
      if (!before) throw refuse('id', 'That supplier no longer exists. Reload the list.', 'NOT_FOUND');
      const row = this.check(input, input.id, before);
      this.store.updateSupplier(input.id, row);
      const after = this.store.supplier(input.id)!;
      this.audit(userId, 'supplier', after.code, before, after);
      return after;
    });
  }

  /** Create or update by code (any case): what a catalog import row does. */
  saveByCode(input: SupplierInput, userId: number): { supplier: SupplierRecord; created: boolean } {
    return this.store.transaction(() => {
      const id = this.store.supplierIdByCode(input.code.trim());
      return id === null ? { supplier: this.create(input, userId), created: true } : { supplier: this.update({ ...input, id }, userId), created: false };
    });
  }

  addCode(input: { supplierId: number; productId: number; code: string }, userId: number): SupplierCodeRecord {
    return this.store.transaction(() => {
      const supplier = this.store.supplier(input.supplierId);
      if (!supplier) throw refuse('supplierId', 'That supplier no longer exists. Reload the list.', 'NOT_FOUND');
      const product = this.store.product(input.productId);
      if (!product) throw refuse('productId', 'That product no longer exists. Pick a product from the list.', 'NOT_FOUND');
      const code = input.code.trim();
      if (!code) throw refuse('code', `Enter ${supplier.name}'s code for ${product.sku}.`);
      const owner = this.store.codeOwner(supplier.id, code);
      if (owner) {
        throw refuse(
          'code',
          owner.productId === product.id
            ? `${supplier.name}'s code ${owner.code} is already recorded for ${product.sku}.`
            : `${supplier.name}'s code ${owner.code} already belongs to ${owner.sku}. A supplier code belongs to one product per supplier: remove it from ${owner.sku} first.`,
          'CONFLICT',
        );
      }
      const after = this.store.code(this.store.insertCode(product.id, supplier.id, code))!;
      this.audit(userId, 'supplier-code', `${supplier.code} ${code}`, null, after);
      return after;
    });
  }

  removeCode(id: number, userId: number): { removed: true } {
    return this.store.transaction(() => {
      const before = this.store.code(id);
      if (!before) throw refuse('id', 'That supplier code no longer exists. Reload the list.', 'NOT_FOUND');
      this.store.deleteCode(id);
      this.audit(userId, 'supplier-code', `${before.supplierCode} ${before.code}`, before, null);
      return { removed: true };
    });
  }

  /** The supplier picked on a new receipt: it must exist and be active. */
  forReceipt(supplierId: number): ReceiptSupplier {
    return receiptSupplierOf(this.store.supplier(supplierId));
  }

  /** The row to write: refused on a duplicate or an unknown country; a field left out keeps its value (new: empty). */
  private check(input: SupplierInput, selfId: number | null, before: SupplierRecord | null): SupplierRow {
    const code = input.code.trim();
    const name = input.name.trim();
    const country = input.country.trim().toUpperCase();
    const byCode = this.store.supplierIdByCode(code);
    if (byCode !== null && byCode !== selfId) throw refuse('code', `Another supplier already has the code ${code}. Choose a different code.`, 'CONFLICT');
    const byName = this.store.supplierIdByName(name);
    if (byName !== null && byName !== selfId) throw refuse('name', `Another supplier is already called ${name}. Choose a different name.`, 'CONFLICT');
    const known = supplierCountry(code, country);
    return {
      code,
      name,
      country,
      inEc: input.inEc ?? known.ec,
      contactName: input.contactName?.trim() ?? before?.contactName ?? '',
      email: input.email?.trim() ?? before?.email ?? '',
      phone: input.phone?.trim() ?? before?.phone ?? '',
      address: input.address?.trim() ?? before?.address ?? '',
      notes: input.notes?.trim() ?? before?.notes ?? '',
      active: input.active ?? before?.active ?? true,
    };
  }

  /** The supplier's id rides in every entry (a supplier code's too), so the supplier's History tab finds them by an index. */
  private audit(userId: number, record: 'supplier' | 'supplier-code', label: string, before: unknown, after: unknown): void {
    const r = (after ?? before) as { id: number; supplierId?: number };
    const id = record === 'supplier' ? r.id : r.supplierId;
    audit(this.store.db, { userId, username: this.store.username(userId) }, 'master-data-changed', { record, id, label, before, after }, this.clock());
  }
}

/** The rule for the supplier picked on a new receipt, on either store: it must exist and be active. */
export function receiptSupplierOf(s: Pick<SupplierRecord, 'id' | 'code' | 'name' | 'inEc' | 'active'> | null): ReceiptSupplier {
  if (!s) throw refuse('supplierId', 'The supplier picked for this receipt does not exist. Pick a supplier from the list.', 'NOT_FOUND');
  if (!s.active) {
    throw refuse('supplierId', `Supplier ${s.name} is inactive, so it cannot be picked on a new receipt. Reactivate it in the Suppliers window or pick another supplier.`, 'CONFLICT');
  }
  return { id: s.id, code: s.code, name: s.name, inEc: s.inEc };
}
