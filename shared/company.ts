/** Company settings (issue 12): who the ledger belongs to and how its dates and money read. */
/** The company is one record; its audit entries and its History tab use this id. */
export const COMPANY_RECORD_ID = 1;

export interface CompanySettings {
  name: string;
  /** ISO 4217 code of the base currency (money is stored in 1/10000 of it). */
  currency: string;
  /** IANA time zone every business day is taken in. */
  timeZone: string;
  /** BCP 47 tag numbers and dates are written in. */
  locale: string;
  /** First month of the financial year, 1 = January … 12 = December. */
  fyStartMonth: number;
}

/** The first-run assistant's steps, in order; 'done' once the user has chosen how to add products. */
export const SETUP_STEPS = ['company', 'site', 'people', 'finance', 'products', 'done'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

export interface SetupState {
  /** True while the assistant should open: a new, empty ledger, or one whose setup was started and not finished. */
  open: boolean;
  step: SetupStep;
}

export interface CompanyInfo {
  settings: CompanySettings;
  /** False until someone saves the settings: the values are this machine's defaults. */
  saved: boolean;
  /** Decimals of the base currency's minor unit. */
  minorUnits: number;
  /** Why the base currency can no longer change (movements carry values in it); null while it can. */
  currencyLocked: string | null;
  setup: SetupState;
}

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** The currency a ledger without company settings keeps its money in (see ARCHITECTURE.md §7). */
export const DEFAULT_CURRENCY = 'GBP';
