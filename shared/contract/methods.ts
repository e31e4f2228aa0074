import type { z } from 'zod';
import { appMethods } from './app.methods';
import { companyMethods } from './company.methods';
import { countsMethods } from './counts.methods';
import { enquiryMethods } from './enquiry.methods';
import { ledgerMethods } from './ledger.methods';
import { masterdataMethods } from './masterdata.methods';
import { catalogMethods } from './catalog.methods';
import { operationsMethods } from './operations.methods';
import { recipesMethods } from './recipes.methods';
import { postingMethods } from './posting.methods';
import { scannerMethods } from './scanner.methods';
import { suppliersMethods } from './suppliers.methods';
import { authMethods, safetyMethods } from './safety.methods';
import { exportsMethods } from './exports.methods';
import { desktopMethods } from './desktop.methods';

export { method, returns, type MethodDef } from './define-method';

/**
 * The IPC contract: method name → input schema, result type, required permission.
 * Each capability keeps its entries in its own `<capability>.methods.ts`, merged here.
 */
export const methods = {
  ...appMethods,
  ...ledgerMethods,
  ...operationsMethods,
  ...enquiryMethods,
  ...countsMethods,
  ...postingMethods,
  ...scannerMethods,
  ...safetyMethods,
  ...authMethods,
  ...masterdataMethods,
  ...suppliersMethods,
  ...companyMethods,
  ...recipesMethods,
  ...catalogMethods,
  ...exportsMethods,
  ...desktopMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodResult<M extends MethodName> = Methods[M]['result'];
export const METHOD_NAMES = Object.keys(methods) as MethodName[];
