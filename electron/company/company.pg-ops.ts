import type { PgOpsFactory } from '../ledger/pg/pg-ops';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import { runLater } from '../ledger/steps';
import { companyInfo, updateCompany, type CompanyOptions } from './company-settings';
import { PgCompanyStore } from './pg-company-store';

/**
 * Company settings and the first-run assistant on PostgreSQL: the rules of company-settings.ts. A change and its audit
 * entry are one transaction; the answer is read after it commits (as on SQLite). STOCKBOOK_NO_FIRST_RUN=1 keeps the
 * assistant closed on a new ledger (company.ops.ts).
 */
export const companyPgOps: PgOpsFactory = ({ pool, clock }) => {
  const options: CompanyOptions = { firstRun: process.env.STOCKBOOK_NO_FIRST_RUN !== '1' };
  // The settings, whether movements carry values, the assistant's step and whether the ledger is new: one snapshot, so a
  // change another server saves meanwhile (settings and step together) is all in the answer or not at all.
  const info = () => readSnapshot(pool, (c) => runLater(companyInfo(new PgCompanyStore(c), options)));
  return {
    'company.get': info,
    'company.update': async (input, { userId }) => {
      await pgTransaction(pool, async (c) => {
        const store = new PgCompanyStore(c);
        await store.lockForChange();
        await runLater(updateCompany(store, input, userId, clock()));
      });
      return info();
    },
    'company.setupStep': async ({ step }) => {
      await pgTransaction(pool, (c) => new PgCompanyStore(c).saveSetupStep(step, clock()));
      return info();
    },
  };
};
