import type { CompanyInfo } from '../../shared/company';
import type { CompanyUpdateInput } from '../../shared/contract/company.schemas';
import type { WorkerContext } from '../ledger/worker-context';
import { Company } from './company-settings';
import { CompanyStore } from './company-store';
import type { Caller } from '../ledger/caller';
import type { MethodParsedInput } from '../../shared/contract/methods';

/** Company settings and the first-run assistant in the ledger worker. */
export interface CompanyOps {
  'company.get'(): CompanyInfo;
  'company.update'(input: CompanyUpdateInput, caller: Caller): CompanyInfo;
  'company.setupStep'(input: MethodParsedInput<'company.setupStep'>): CompanyInfo;
}

/**
 * STOCKBOOK_NO_FIRST_RUN=1 keeps the assistant closed on a new ledger (end-to-end specs that start from an empty
 * database to test something else, as STOCKBOOK_NO_DAILY_BACKUP keeps their backups off).
 */
export function companyOps(ctx: WorkerContext, clock: () => number = Date.now): CompanyOps {
  const company = new Company(new CompanyStore(ctx.ledger.db), { clock, firstRun: process.env.STOCKBOOK_NO_FIRST_RUN !== '1' });
  return {
    'company.get': () => company.get(),
    'company.update': (input, { userId }) => company.update(input, userId),
    'company.setupStep': ({ step }) => company.setupStep(step),
  };
}
