import type { CompanyInfo } from '../company';
import { companyUpdateSchema, setupStepSchema } from './company.schemas';
import { method, returns } from './define-method';
import { emptySchema } from './schemas';

/** Company settings and the first-run assistant (issue 12). */
export const companyMethods = {
  'company.get': method({
    input: emptySchema,
    result: returns<CompanyInfo>(),
    permission: 'read:stock',
    description: 'Read the company settings',
  }),
  'company.update': method({
    input: companyUpdateSchema,
    result: returns<CompanyInfo>(),
    permission: 'manage:settings',
    description: 'Change the company settings',
  }),
  'company.setupStep': method({
    input: setupStepSchema,
    result: returns<CompanyInfo>(),
    permission: 'manage:settings',
    description: 'Move the first-run assistant on to its next step',
  }),
} as const;
