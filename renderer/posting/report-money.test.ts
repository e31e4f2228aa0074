import { describe, expect, it } from 'vitest';
import { showDatesIn } from '../common/format';
import { reportMoney } from './report-money';

const inCurrency = (currency: string) => showDatesIn({ timeZone: 'Europe/London', locale: 'en-GB', currency });

const account = (debit: number, credit: number) => ({ code: '1200', name: 'Stock', debit, credit });

describe('the posting report on screen', () => {
  it("shows whole pennies in the currency's own two decimals", () => {
    inCurrency('GBP');
    const r = reportMoney({ accounts: [account(125_000, 0), account(0, 125_000)], totalDebit: 125_000, totalCredit: 125_000 });
    expect(r.exact).toBe(false);
    expect(r.money(125_000)).toBe('£12.50');
  });

  it('shows all four decimals when an amount holds part of a penny', () => {
    inCurrency('GBP');
    const r = reportMoney({ accounts: [account(125_001, 0), account(0, 125_001)], totalDebit: 125_001, totalCredit: 125_001 });
    expect(r.exact).toBe(true);
    expect(r.money(125_000)).toBe('£12.5000');
  });

  it('takes the decimals from the currency: yen has none, so any fraction of a yen is exact', () => {
    inCurrency('JPY');
    expect(reportMoney({ accounts: [account(10_000, 10_000)], totalDebit: 10_000, totalCredit: 10_000 }).money(10_000)).toBe('JP¥1');
    expect(reportMoney({ accounts: [account(10_100, 10_100)], totalDebit: 10_100, totalCredit: 10_100 }).exact).toBe(true);
  });
});
