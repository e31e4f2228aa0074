import { currencyDecimals, formatJournalMoney, formatMoney } from '../common/format';
import type { PostingReport } from '../../shared/posting';

/** How the posting report writes its amounts on screen, and whether some of them are rounded. */
export interface ReportMoney {
  /** An amount in the currency's own decimals (£12.50), as the rest of Stockbook shows money. */
  money: (amount1e4: number) => string;
  /** The amount as the journal holds it, to 1/10000 (£12.5037): told on hover where `rounded`. */
  exact: (amount1e4: number) => string;
  /** True when some amount holds a fraction of the currency's smallest unit (part of a penny): shown rounded. */
  rounded: boolean;
  /** A balance in the report's words: in the currency's decimals, or "a credit of less than £0.01" where those hide it. */
  balance: (amount1e4: number) => string;
}

/**
 * The report's amounts in the currency's own decimals (£12.50), like the batch history, trial balance and every other
 * window, in the company's currency and locale (common/format.ts). An amount holding part of a penny (unit costs of
 * 1/10000) is rounded on screen, and the report says so; its exact figure is on hover, and the saved journal and its
 * CSV/PDF stay exact.
 */
export function reportMoney(report: Pick<PostingReport, 'accounts' | 'totalDebit' | 'totalCredit'>): ReportMoney {
  const step = 10 ** Math.max(0, 4 - currencyDecimals());
  const amounts = [report.totalDebit, report.totalCredit, ...report.accounts.flatMap((a) => [a.debit, a.credit])];
  const balance = (a: number) => (a !== 0 && Math.abs(a) < step ? `(a ${a < 0 ? 'credit' : 'debit'} of less than ${formatMoney(step)})` : formatMoney(a));
  return { money: formatMoney, exact: formatJournalMoney, rounded: amounts.some((a) => a % step !== 0), balance };
}
