import { currencyDecimals, formatJournalMoney, formatMoney } from '../common/format';
import type { PostingReport } from '../../shared/posting';

/** How the posting report writes its amounts on screen, and whether it shows the journal's four decimals. */
export interface ReportMoney {
  money: (amount1e4: number) => string;
  /** True when some amount holds a fraction of the currency's smallest unit (part of a penny): shown exact, at 4 decimals. */
  exact: boolean;
}

/**
 * The report's amounts in the currency's own decimals (£12.50), unless an amount it shows holds part of a penny
 * (unit costs of 1/10000): then every amount at the journal's four decimals, so the lines still add up to the totals
 * on screen, in the company's currency and locale (common/format.ts). The saved journal and its CSV/PDF stay exact either way.
 */
export function reportMoney(report: Pick<PostingReport, 'accounts' | 'totalDebit' | 'totalCredit'>): ReportMoney {
  const step = 10 ** Math.max(0, 4 - currencyDecimals());
  const amounts = [report.totalDebit, report.totalCredit, ...report.accounts.flatMap((a) => [a.debit, a.credit])];
  const exact = amounts.some((a) => a % step !== 0);
  return { exact, money: exact ? formatJournalMoney : formatMoney };
}
