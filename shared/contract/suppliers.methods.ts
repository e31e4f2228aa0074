import type { SupplierCodeRecord, SupplierRecord } from '../suppliers';
import { method, returns } from './define-method';
import {
  supplierCodeAddSchema,
  supplierCodeRemoveSchema,
  supplierCodesSchema,
  supplierCreateSchema,
  supplierUpdateSchema,
  suppliersListSchema,
} from './suppliers.schemas';

/** Suppliers (issue 12): the Suppliers window, the Receive form's supplier picker, a product's supplier codes. */
export const suppliersMethods = {
  'suppliers.list': method({
    input: suppliersListSchema,
    result: returns<SupplierRecord[]>(),
    permission: 'read:stock',
    description: 'List suppliers',
  }),
  'suppliers.create': method({
    input: supplierCreateSchema,
    result: returns<SupplierRecord>(),
    permission: 'manage:suppliers',
    description: 'Create a supplier',
  }),
  'suppliers.update': method({
    input: supplierUpdateSchema,
    result: returns<SupplierRecord>(),
    permission: 'manage:suppliers',
    description: 'Change a supplier',
  }),
  'suppliers.codes': method({
    input: supplierCodesSchema,
    result: returns<SupplierCodeRecord[]>(),
    permission: 'read:stock',
    description: "List a supplier's product codes, or a product's supplier codes",
  }),
  'suppliers.codeAdd': method({
    input: supplierCodeAddSchema,
    result: returns<SupplierCodeRecord>(),
    permission: 'manage:suppliers',
    description: "Add a product's code at a supplier",
  }),
  'suppliers.codeRemove': method({
    input: supplierCodeRemoveSchema,
    result: returns<{ removed: true }>(),
    permission: 'manage:suppliers',
    description: "Remove a product's code at a supplier",
  }),
} as const;
