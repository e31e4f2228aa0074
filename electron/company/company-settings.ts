import { COMPANY_RECORD_ID, type CompanyInfo, type CompanySettings, type SetupState, type SetupStep } from '../../shared/company';
import type { CompanyUpdateInput } from '../../shared/contract/company.schemas';
import { minorUnitsOf } from '../../shared/company-format';
import { audit } from '../safety/audit';
import { checkCompanySettings, machineDefaults, refuse } from './company-rules';
import type { CompanyStore } from './company-store';

const same = (a: CompanySettings, b: CompanySettings) => (Object.keys(a) as (keyof CompanySettings)[]).every((k) => a[k] === b[k]);

/**
 * The company settings and the first-run assistant. A change is one transaction and one audit entry
 * ('master-data-changed', record 'company', before → after); the base currency stays once movements carry values
 * in it. The assistant opens on a new, empty ledger, stays open (at the step reached) until the user finishes it,
 * and never opens on a ledger that was set up without it.
 */
export class Company {
  constructor(
    private readonly store: CompanyStore,
    private readonly options: { clock?: () => number; firstRun?: boolean } = {},
  ) {}

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  info(): CompanyInfo {
    const saved = this.store.settings();
    const settings = saved ?? machineDefaults();
    return {
      settings,
      saved: saved !== null,
      minorUnits: minorUnitsOf(settings.currency),
      currencyLocked: this.store.hasValuedMovements()
        ? `Stock movements already carry values in ${settings.currency}, so the base currency cannot change.`
        : null,
      setup: this.setup(),
    };
  }

  update(input: CompanyUpdateInput, userId: number): CompanyInfo {
    this.store.transaction(() => {
      const after = checkCompanySettings(input);
      const before = this.store.settings();
      const current = before ?? machineDefaults();
      if (after.currency !== current.currency && this.store.hasValuedMovements()) {
        throw refuse(
          'currency',
          `The company's base currency cannot change from ${current.currency} to ${after.currency}: stock movements already carry values in ${current.currency}, and they would read as ${after.currency}. Keep ${current.currency}, or start a new ledger file for a business that keeps its books in ${after.currency}.`,
          'CONFLICT',
        );
      }
      if (!before || !same(before, after)) {
        this.store.saveSettings(after, this.now());
        audit(this.store.db, { userId, username: this.store.username(userId) }, 'master-data-changed', { record: 'company', id: COMPANY_RECORD_ID, label: after.name, before, after }, this.now());
      }
      if (input.setupStep) this.store.saveSetupStep(input.setupStep, this.now());
    });
    return this.info();
  }

  setupStep(step: SetupStep): CompanyInfo {
    this.store.saveSetupStep(step, this.now());
    return this.info();
  }

  private setup(): SetupState {
    const step = this.store.setupStep();
    if (step === 'done') return { open: false, step };
    if (step) return { open: true, step };
    if (this.options.firstRun !== false && this.store.isNewLedger()) return { open: true, step: 'company' };
    return { open: false, step: 'done' };
  }
}
