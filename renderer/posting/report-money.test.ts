import { describe, expect, it } from 'vitest';
import { showDatesIn } from '../common/format';
import { reportMoney } from './report-money';

const inCurrency = (currency: string) => showDatesIn({ timeZone: 'Europe/London', locale: 'en-GB', currency });

const account = (debit: number, credit: number) => ({ code: '1200', name: 'Stock', debit, credit });

describe('the posting report on screen', () => {
  it("shows whole pennies in the currency's own two decimals", () => {
    inCurrency('GBP');
    const r = reportMoney({ accounts: [account(125_000, 0), account(0, 125_000)], totalDebit: 125_000, totalCredit: 125_000 });
    expect(r.rounded).toBe(false);
    expect(r.money(125_000)).toBe('£12.50');
  });

  it("shows an amount holding part of a penny in the currency's decimals too, as the rest of the app does, and says it is rounded", () => {
    inCurrency('GBP');
    const r = reportMoney({ accounts: [account(125_037, 0), account(0, 125_037)], totalDebit: 125_037, totalCredit: 125_037 });
    expect(r.rounded).toBe(true);
    expect(r.money(125_037)).toBe('£12.50');
    expect(r.money(125_000)).toBe('£12.50');
    expect(r.exact(125_037)).toBe('£12.5037');
    // A production account's balance of part of a penny is not shown as £0.00.
    expect(r.balance(-15)).toBe('(a credit of less than £0.01)');
    expect(r.balance(-1_234_567)).toBe('-£123.46');
  });

  it('takes the decimals from the currency: yen has none, so any fraction of a yen is rounded', () => {
    inCurrency('JPY');
    expect(reportMoney({ accounts: [account(10_000, 10_000)], totalDebit: 10_000, totalCredit: 10_000 }).money(10_000)).toBe('JP¥1');
    const r = reportMoney({ accounts: [account(10_100, 10_100)], totalDebit: 10_100, totalCredit: 10_100 });
    expect(r.rounded).toBe(true);
    expect(r.money(10_100)).toBe('JP¥1');
  });
});
