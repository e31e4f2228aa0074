import type { CompanyInfo, SetupStep } from '../../shared/company';
import type { CompanyUpdateInput } from '../../shared/contract/company.schemas';
import type { WorkerContext } from '../ledger/worker-context';
import { Company } from './company-settings';
import { CompanyStore } from './company-store';

/** Company settings and the first-run assistant in the ledger worker. */
export interface CompanyOps {
  companyGet(): CompanyInfo;
  companyUpdate(input: CompanyUpdateInput, userId: number): CompanyInfo;
  companySetupStep(step: SetupStep): CompanyInfo;
}

/**
 * STOCKBOOK_NO_FIRST_RUN=1 keeps the assistant closed on a new ledger (end-to-end specs that start from an empty
 * database to test something else, as STOCKBOOK_NO_DAILY_BACKUP keeps their backups off).
 */
export function companyOps(ctx: WorkerContext, clock: () => number = Date.now): CompanyOps {
  const company = new Company(new CompanyStore(ctx.ledger.db), { clock, firstRun: process.env.STOCKBOOK_NO_FIRST_RUN !== '1' });
  return {
    companyGet: () => company.info(),
    companyUpdate: (input, userId) => company.update(input, userId),
    companySetupStep: (step) => company.setupStep(step),
  };
}
