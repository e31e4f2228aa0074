import { COMPANY_RECORD_ID, SETUP_STEPS, type CompanyInfo, type CompanySettings, type SetupState, type SetupStep } from '../../shared/company';
import type { CompanyUpdateInput } from '../../shared/contract/company.schemas';
import type { AuditAction } from '../../shared/auth';
import { minorUnitsOf } from '../../shared/company-format';
import { runNow, value, type Awaitable, type Steps } from '../ledger/steps';
import type { AuditActor } from '../safety/audit';
import { checkCompanySettings, machineDefaults, refuse } from './company-rules';
import type { CompanyStore } from './company-store';

/**
 * What the company rules ask of a store: SQLite's CompanyStore answers at once, PostgreSQL's PgCompanyStore
 * (pg-company-store.ts) later. The rules below are written once for both (ledger/steps.ts).
 */
export interface CompanyRecords {
  settings(): Awaitable<CompanySettings | null>;
  saveSettings(settings: CompanySettings, now: number): Awaitable<void>;
  setupStep(): Awaitable<SetupStep | null>;
  saveSetupStep(step: SetupStep, now: number): Awaitable<void>;
  hasValuedMovements(): Awaitable<boolean>;
  isNewLedger(): Awaitable<boolean>;
  username(userId: number): Awaitable<string>;
  audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, now: number): Awaitable<void>;
}

/** Whether the first-run assistant may open on a new ledger (STOCKBOOK_NO_FIRST_RUN=1 keeps it closed). */
export interface CompanyOptions {
  clock?: () => number;
  firstRun?: boolean;
}

const same = (a: CompanySettings, b: CompanySettings) => (Object.keys(a) as (keyof CompanySettings)[]).every((k) => a[k] === b[k]);

export function* companyInfo(store: CompanyRecords, options: CompanyOptions): Steps<CompanyInfo> {
  const saved = yield* value(store.settings());
  const settings = saved ?? machineDefaults();
  return {
    settings,
    saved: saved !== null,
    minorUnits: minorUnitsOf(settings.currency),
    currencyLocked: (yield* value(store.hasValuedMovements()))
      ? `Stock movements already carry values in ${settings.currency}, so the base currency cannot change.`
      : null,
    setup: yield* setupState(store, options),
  };
}

/** Saves the settings (and the assistant's step, when given); the caller runs it in one transaction. */
export function* updateCompany(store: CompanyRecords, input: CompanyUpdateInput, userId: number, now: number): Steps<void> {
  const after = checkCompanySettings(input);
  const before = yield* value(store.settings());
  const current = before ?? machineDefaults();
  if (after.currency !== current.currency && (yield* value(store.hasValuedMovements()))) {
    throw refuse(
      'currency',
      `The company's base currency cannot change from ${current.currency} to ${after.currency}: stock movements already carry values in ${current.currency}, and they would read as ${after.currency}. Keep ${current.currency}, or start a new ledger file for a business that keeps its books in ${after.currency}.`,
      'CONFLICT',
    );
  }
  if (!before || !same(before, after)) {
    yield* value(store.saveSettings(after, now));
    const actor = { userId, username: yield* value(store.username(userId)) };
    yield* value(store.audit(actor, 'master-data-changed', { record: 'company', id: COMPANY_RECORD_ID, label: after.name, before, after }, now));
  }
  if (input.setupStep) yield* value(store.saveSetupStep(input.setupStep, now));
}

function* setupState(store: CompanyRecords, options: CompanyOptions): Steps<SetupState> {
  const step = yield* value(store.setupStep());
  if (step === 'done') return { open: false, step };
  // A step this version does not know (written by another version) starts the assistant over rather than showing none.
  if (step) return { open: true, step: (SETUP_STEPS as readonly string[]).includes(step) ? step : 'company' };
  if (options.firstRun !== false && (yield* value(store.isNewLedger()))) return { open: true, step: 'company' };
  return { open: false, step: 'done' };
}

/**
 * The company settings and the first-run assistant on SQLite. A change is one transaction and one audit entry
 * ('master-data-changed', record 'company', before → after); the base currency stays once movements carry values
 * in it. The assistant opens on a new, empty ledger, stays open (at the step reached) until the user finishes it,
 * and never opens on a ledger that was set up without it.
 */
export class Company {
  constructor(
    private readonly store: CompanyStore,
    private readonly options: CompanyOptions = {},
  ) {}

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  get(): CompanyInfo {
    return runNow(companyInfo(this.store, this.options));
  }

  update(input: CompanyUpdateInput, userId: number): CompanyInfo {
    this.store.transaction(() => runNow(updateCompany(this.store, input, userId, this.now())));
    return this.get();
  }

  setupStep(step: SetupStep): CompanyInfo {
    this.store.saveSetupStep(step, this.now());
    return this.get();
  }
}
