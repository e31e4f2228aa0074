import { AppError } from '../../shared/contract/errors';
import { countryByCode } from '../../shared/countries';
import type { SupplierCodeRecord, SupplierRecord } from '../../shared/suppliers';
import { runNow, value, type Steps } from '../ledger/steps';
import type { SupplierRecords, SupplierRow, SupplierStore } from './supplier-store';

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

/** The lock keys of a supplier's code and name, and of a supplier's product code: compared as the rules compare them (any case). */
export const supplierKeys = {
  supplier: (code: string, name: string) => [`code ${code.toLowerCase()}`, `name ${name.toLowerCase()}`],
  productCode: (supplierId: number, code: string) => [`product-code ${supplierId} ${code.toLowerCase()}`],
};

/**
 * The rules of suppliers, on either store (SupplierRecords): code and name unique (any case), a real ISO country,
 * "in the EC" from the country unless set; a supplier code belongs to one product per supplier. Each change is a
 * generator of store calls (ledger/steps.ts): SQLite runs it at once (Suppliers), PostgreSQL awaiting each call
 * (suppliers.pg-ops.ts), in one transaction with one audit entry, before → after. The keys a change checks are locked
 * first, so on PostgreSQL a second server's change of the same code waits and meets the same refusal.
 */
export const supplierRules = {
  *create(store: SupplierRecords, input: SupplierInput, userId: number, now: number): Steps<SupplierRecord> {
    yield* value(store.lockKeys(keysOf(input)));
    const row = yield* check(store, input, null, null);
    const id = yield* value(store.insertSupplier(row));
    const after = (yield* value(store.supplier(id)))!;
    yield* auditChange(store, userId, 'supplier', after.code, null, after, now);
    return after;
  },

  /**
   * `nameBefore`: the name the supplier had before a catalog import gave it a temporary one to pass its name on to
   * another supplier of the file (unique-renames.ts); the audit's before shows that name.
   */
  *update(store: SupplierRecords, input: SupplierInput & { id: number }, userId: number, now: number, nameBefore?: string): Steps<SupplierRecord> {
    // The keys first, then the supplier as it is now, its row held (on PostgreSQL another server's save of it has
    // committed or waits for this one): the fields the input leaves out keep what was last saved, not what was read earlier.
    yield* value(store.lockKeys(keysOf(input)));
    const before = yield* value(store.lockedSupplier(input.id));
    if (!before) throw refuse('id', 'That supplier no longer exists. Reload the list.', 'NOT_FOUND');
    const row = yield* check(store, input, input.id, before);
    yield* value(store.updateSupplier(input.id, row));
    const after = (yield* value(store.supplier(input.id)))!;
    yield* auditChange(store, userId, 'supplier', after.code, nameBefore === undefined ? before : { ...before, name: nameBefore }, after, now);
    return after;
  },

  /** Create or update by code (any case): what a catalog import row does (`nameBefore`: see update). */
  *saveByCode(store: SupplierRecords, input: SupplierInput, userId: number, now: number, nameBefore?: string): Steps<{ supplier: SupplierRecord; created: boolean }> {
    const id = yield* value(store.supplierIdByCode(input.code.trim()));
    return id === null
      ? { supplier: yield* supplierRules.create(store, input, userId, now), created: true }
      : { supplier: yield* supplierRules.update(store, { ...input, id }, userId, now, nameBefore), created: false };
  },

  *codeAdd(store: SupplierRecords, input: { supplierId: number; productId: number; code: string }, userId: number, now: number): Steps<SupplierCodeRecord> {
    const supplier = yield* value(store.supplier(input.supplierId));
    if (!supplier) throw refuse('supplierId', 'That supplier no longer exists. Reload the list.', 'NOT_FOUND');
    const product = yield* value(store.product(input.productId));
    if (!product) throw refuse('productId', 'That product no longer exists. Pick a product from the list.', 'NOT_FOUND');
    const code = input.code.trim();
    if (!code) throw refuse('code', `Enter ${supplier.name}'s code for ${product.sku}.`);
    yield* value(store.lockKeys(supplierKeys.productCode(supplier.id, code)));
    const owner = yield* value(store.codeOwner(supplier.id, code));
    if (owner) {
      throw refuse(
        'code',
        owner.productId === product.id
          ? `${supplier.name}'s code ${owner.code} is already recorded for ${product.sku}.`
          : `${supplier.name}'s code ${owner.code} already belongs to ${owner.sku}. A supplier code belongs to one product per supplier: remove it from ${owner.sku} first.`,
        'CONFLICT',
      );
    }
    const after = (yield* value(store.code(yield* value(store.insertCode(product.id, supplier.id, code)))))!;
    yield* auditChange(store, userId, 'supplier-code', `${supplier.code} ${code}`, null, after, now);
    return after;
  },

  *codeRemove(store: SupplierRecords, id: number, userId: number, now: number): Steps<{ removed: true }> {
    const found = yield* value(store.code(id));
    if (!found) throw refuse('id', 'That supplier code no longer exists. Reload the list.', 'NOT_FOUND');
    // Read again under the code's lock (the one codeAdd takes): a removal by another server has committed by then, and
    // this one finds nothing to remove instead of recording the removal twice.
    yield* value(store.lockKeys(supplierKeys.productCode(found.supplierId, found.code)));
    const before = yield* value(store.code(id));
    if (!before) throw refuse('id', 'That supplier code no longer exists. Reload the list.', 'NOT_FOUND');
    yield* value(store.deleteCode(id));
    yield* auditChange(store, userId, 'supplier-code', `${before.supplierCode} ${before.code}`, before, null, now);
    return { removed: true };
  },
};

/** The keys a supplier's save checks (its code and name as entered), locked before anything is read. */
const keysOf = (input: SupplierInput) => supplierKeys.supplier(input.code.trim(), input.name.trim());

/** The row to write, under the keys' locks: refused on a duplicate or an unknown country; a field left out keeps its value (new: empty). */
function* check(store: SupplierRecords, input: SupplierInput, selfId: number | null, before: SupplierRecord | null): Steps<SupplierRow> {
  const code = input.code.trim();
  const name = input.name.trim();
  const country = input.country.trim().toUpperCase();
  const byCode = yield* value(store.supplierIdByCode(code));
  if (byCode !== null && byCode !== selfId) throw refuse('code', `Another supplier already has the code ${code}. Choose a different code.`, 'CONFLICT');
  const byName = yield* value(store.supplierIdByName(name));
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
function* auditChange(store: SupplierRecords, userId: number, record: 'supplier' | 'supplier-code', label: string, before: unknown, after: unknown, now: number): Steps<void> {
  const r = (after ?? before) as { id: number; supplierId?: number };
  const id = record === 'supplier' ? r.id : r.supplierId;
  const username = yield* value(store.username(userId));
  yield* value(store.audit({ userId, username }, 'master-data-changed', { record, id, label, before, after }, now));
}

/**
 * The suppliers' rules on SQLite (the ledger worker, a catalog import): each change synchronously in one transaction
 * (a savepoint inside a caller's transaction); an inactive supplier cannot be picked on a new receipt.
 */
export class Suppliers {
  constructor(private readonly store: SupplierStore, private readonly clock: () => number = Date.now) {}

  create(input: SupplierInput, userId: number): SupplierRecord {
    return this.run((now) => supplierRules.create(this.store, input, userId, now));
  }

  update(input: SupplierInput & { id: number }, userId: number): SupplierRecord {
    return this.run((now) => supplierRules.update(this.store, input, userId, now));
  }

  /** Create or update by code (any case): what a catalog import row does. */
  saveByCode(input: SupplierInput, userId: number): { supplier: SupplierRecord; created: boolean } {
    return this.run((now) => supplierRules.saveByCode(this.store, input, userId, now));
  }

  codeAdd(input: { supplierId: number; productId: number; code: string }, userId: number): SupplierCodeRecord {
    return this.run((now) => supplierRules.codeAdd(this.store, input, userId, now));
  }

  codeRemove(id: number, userId: number): { removed: true } {
    return this.run((now) => supplierRules.codeRemove(this.store, id, userId, now));
  }

  /** The supplier picked on a new receipt: it must exist and be active. */
  forReceipt(supplierId: number): ReceiptSupplier {
    return receiptSupplierOf(this.store.supplier(supplierId));
  }

  private run<T>(steps: (now: number) => Steps<T>): T {
    return this.store.transaction(() => runNow(steps(this.clock())));
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
