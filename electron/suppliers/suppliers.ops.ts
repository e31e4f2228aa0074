import type { SupplierCodeAddInput, SupplierCodesInput, SupplierCreateInput, SupplierUpdateInput, SuppliersListInput } from '../../shared/contract/suppliers.schemas';
import type { SupplierCodeRecord, SupplierRecord } from '../../shared/suppliers';
import type { WorkerContext } from '../ledger/worker-context';
import { SupplierStore } from './supplier-store';
import { Suppliers } from './suppliers';
import type { Caller } from '../ledger/caller';
import type { MethodParsedInput } from '../../shared/contract/methods';

/** Suppliers in the ledger worker: listed, created, changed, and their product codes. */
export interface SuppliersOps {
  'suppliers.list'(input: SuppliersListInput): SupplierRecord[];
  'suppliers.create'(input: SupplierCreateInput, caller: Caller): SupplierRecord;
  'suppliers.update'(input: SupplierUpdateInput, caller: Caller): SupplierRecord;
  'suppliers.codes'(input: SupplierCodesInput): SupplierCodeRecord[];
  'suppliers.codeAdd'(input: SupplierCodeAddInput, caller: Caller): SupplierCodeRecord;
  'suppliers.codeRemove'(input: MethodParsedInput<'suppliers.codeRemove'>, caller: Caller): { removed: true };
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
    'suppliers.list': (input) => store.list(input.search, input.includeInactive),
    'suppliers.create': (input, { userId }) => changed(rules.create(input, userId)),
    'suppliers.update': (input, { userId }) => changed(rules.update(input, userId)),
    'suppliers.codes': (input) => (input.supplierId !== undefined ? store.codesOfSupplier(input.supplierId) : store.codesOfProduct(input.productId!)),
    'suppliers.codeAdd': (input, { userId }) => changed(rules.codeAdd(input, userId)),
    'suppliers.codeRemove': ({ id }, { userId }) => changed(rules.codeRemove(id, userId)),
  };
}
