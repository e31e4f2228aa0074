import type { SupplierCodeAddInput, SupplierCodesInput, SupplierCreateInput, SupplierUpdateInput, SuppliersListInput } from '../../shared/contract/suppliers.schemas';
import type { SupplierCodeRecord, SupplierRecord } from '../../shared/suppliers';
import type { WorkerContext } from '../ledger/worker-context';
import { SupplierStore } from './supplier-store';
import { Suppliers } from './suppliers';

/** Suppliers in the ledger worker: listed, created, changed, and their product codes. */
export interface SuppliersOps {
  suppliersList(input: SuppliersListInput): SupplierRecord[];
  suppliersCreate(input: SupplierCreateInput, userId: number): SupplierRecord;
  suppliersUpdate(input: SupplierUpdateInput, userId: number): SupplierRecord;
  suppliersCodes(input: SupplierCodesInput): SupplierCodeRecord[];
  suppliersCodeAdd(input: SupplierCodeAddInput, userId: number): SupplierCodeRecord;
  suppliersCodeRemove(id: number, userId: number): { removed: true };
}

export function suppliersOps(ctx: WorkerContext, clock: () => number = Date.now): SuppliersOps {
  const store = new SupplierStore(ctx.ledger.db);
  const rules = new Suppliers(store, clock);
  /** Open windows (the Receive form's supplier list, a product's codes) reload after a change. */
  const changed = <T>(result: T): T => {
    ctx.emit('stock.changed', { documentId: null, reason: 'supplier' });
    return result;
  };
  return {
    suppliersList: (input) => store.suppliers(input.search, input.includeInactive),
    suppliersCreate: (input, userId) => changed(rules.create(input, userId)),
    suppliersUpdate: (input, userId) => changed(rules.update(input, userId)),
    suppliersCodes: (input) => (input.supplierId !== undefined ? store.codesOfSupplier(input.supplierId) : store.codesOfProduct(input.productId!)),
    suppliersCodeAdd: (input, userId) => changed(rules.addCode(input, userId)),
    suppliersCodeRemove: (id, userId) => changed(rules.removeCode(id, userId)),
  };
}
