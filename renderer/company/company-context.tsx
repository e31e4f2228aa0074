import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_CURRENCY, type CompanyInfo, type CompanySettings } from '../../shared/company';
import { formatDate, formatDateTime, formatJournalMoney, formatMoney, formatQuantityIn, formatUnitMoney } from '../../shared/company-format';
import type { AppError } from '../../shared/contract/errors';
import { toAppError } from '../app/to-app-error';
import { useClient, useConnectionStatus } from '../client';
import { showDatesIn } from '../common/format';

/** Money, quantities and dates as the company writes them (currency, locale, business time zone). */
export interface CompanyFormat {
  money: (amount1e4: number) => string;
  /** A price per unit: the currency's minor units and any further stored decimals, so quantity × price shown = value shown. */
  unitMoney: (amount1e4: number) => string;
  /** Money at the journal's precision (4 decimals, exact): finance reports, whose lines must add up to their totals. */
  journalMoney: (amount1e4: number) => string;
  quantity: (units: number, scale: number) => string;
  date: (at: number | string | Date | null | undefined) => string;
  dateTime: (at: number | string | Date | null | undefined) => string;
}

interface CompanyState {
  /** Null until company.get answers. */
  info: CompanyInfo | null;
  /** The saved settings, or this browser's defaults until they are known. */
  settings: CompanySettings;
  format: CompanyFormat;
  error: AppError | null;
  reload: () => Promise<void>;
  /** Takes a CompanyInfo that main returned (after a save or a setup step). */
  apply: (info: CompanyInfo) => void;
  /** True while the first-run assistant shows: main says it should open and the user has not left it for now. */
  assistantOpen: boolean;
  leaveAssistant: () => void;
  resumeAssistant: () => void;
}

const browserDefaults = (): CompanySettings => ({
  name: '',
  currency: DEFAULT_CURRENCY,
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  locale: Intl.NumberFormat().resolvedOptions().locale,
  fyStartMonth: 1,
});

export function formatterFor(s: Pick<CompanySettings, 'currency' | 'timeZone' | 'locale'>): CompanyFormat {
  return {
    money: (amount) => formatMoney(amount, s.currency, s.locale),
    unitMoney: (amount) => formatUnitMoney(amount, s.currency, s.locale),
    journalMoney: (amount) => formatJournalMoney(amount, s.currency, s.locale),
    quantity: (units, scale) => formatQuantityIn(units, scale, s.locale),
    date: (at) => formatDate(at, s),
    dateTime: (at) => formatDateTime(at, s),
  };
}

const CompanyContext = createContext<CompanyState | null>(null);

/** Loads company.get once the connection is open (and again on reconnect or when asked), for every window. */
export function CompanyProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const connection = useConnectionStatus();
  const [info, setInfo] = useState<CompanyInfo | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [left, setLeft] = useState(false);

  const reload = useCallback(async () => {
    try {
      setInfo(await client.call('company.get', {}));
      setError(null);
    } catch (e) {
      setError(toAppError(e));
    }
  }, [client]);

  useEffect(() => {
    if (connection !== 'open') return undefined;
    let live = true;
    client.call('company.get', {}).then(
      (next) => {
        if (!live) return;
        setInfo(next);
        setError(null);
      },
      (e: unknown) => {
        if (live) setError(toAppError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [client, connection]);

  const value = useMemo<CompanyState>(() => {
    const settings = info?.settings ?? browserDefaults();
    // Dates everywhere (renderer/common/format.ts) show in the company's time zone and locale from here on.
    showDatesIn(settings);
    return {
      info,
      settings,
      format: formatterFor(settings),
      error,
      reload,
      apply: setInfo,
      assistantOpen: Boolean(info?.setup.open) && !left,
      leaveAssistant: () => setLeft(true),
      resumeAssistant: () => setLeft(false),
    };
  }, [info, error, reload, left]);
  return <CompanyContext.Provider value={value}>{children}</CompanyContext.Provider>;
}

export function useCompany(): CompanyState {
  const value = useContext(CompanyContext);
  if (!value) throw new Error('useCompany() must be used inside <CompanyProvider>');
  return value;
}
