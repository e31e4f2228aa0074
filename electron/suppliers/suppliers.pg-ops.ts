import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import type { PgOpsFactory } from '../ledger/pg/pg-ops';
import { runLater, type Steps } from '../ledger/steps';
import { PgSupplierStore } from './pg-supplier-store';
import { supplierRules } from './suppliers';

/**
 * Suppliers on a PostgreSQL ledger (the twin of suppliers.ops.ts): the same rules (suppliers.ts), each change in one
 * transaction retried from the start when the database asks, and the same event for open windows.
 */
export const suppliersPgOps: PgOpsFactory = (ctx) => {
  const reads = new PgSupplierStore(ctx.pool);
  const change = async <T>(steps: (store: PgSupplierStore, now: number) => Steps<T>): Promise<T> => {
    const result = await pgTransaction(ctx.pool, (c) => runLater(steps(new PgSupplierStore(c), ctx.clock())));
    ctx.emit('stock.changed', { documentId: null, reason: 'supplier' });
    return result;
  };
  return {
    'suppliers.list': (input) => reads.list(input.search, input.includeInactive),
    'suppliers.create': (input, { userId }) => change((s, now) => supplierRules.create(s, input, userId, now)),
    'suppliers.update': (input, { userId }) => change((s, now) => supplierRules.update(s, input, userId, now)),
    'suppliers.codes': (input) => (input.supplierId !== undefined ? reads.codesOfSupplier(input.supplierId) : reads.codesOfProduct(input.productId!)),
    'suppliers.codeAdd': (input, { userId }) => change((s, now) => supplierRules.codeAdd(s, input, userId, now)),
    'suppliers.codeRemove': ({ id }, { userId }) => change((s, now) => supplierRules.codeRemove(s, id, userId, now)),
  };
};
