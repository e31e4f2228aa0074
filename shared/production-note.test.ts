import { describe, expect, it } from 'vitest';
import { formatJournalMoney, formatMoney } from './company-format';
import { reportMessage } from './production-note';

describe("a posting report's production note", () => {
  const report = { message: 'Posted 3 movements.', productionBalances: [{ code: '2400', name: 'Work in Progress', balance: -15 }] };

  it("writes each balance in the format it is shown in: the company's currency decimals on screen, the journal's exact four in files", () => {
    const screen = (a: number) => formatMoney(a, 'EUR', 'de-DE');
    expect(reportMessage({ ...report, productionBalances: [{ code: '2400', name: 'Work in Progress', balance: -1_234_567 }] }, screen)).toMatch(/2400 Work in Progress -123,46\s€\./);
    expect(reportMessage(report, (a) => formatJournalMoney(a, 'EUR', 'de-DE'))).toMatch(/2400 Work in Progress -0,0015\s€\./);
    expect(reportMessage(report, screen)).not.toContain('GBP');
  });

  it('tells an account that absorbs production costs apart from one left with rounding', () => {
    const both = { message: 'Posted.', productionBalances: [{ code: '2400', name: 'Work in Progress', balance: 1 }, { code: '5200', name: 'Kitchen Production', balance: -64_000, absorbs: true }] };
    const text = reportMessage(both, (a) => formatJournalMoney(a, 'GBP', 'en-GB'));
    expect(text).toMatch(/^Posted\. Production accounts left with a balance by this batch: 2400 Work in Progress £0\.0001\. .*rounding\. Production costs absorbed into made stock by this batch: 5200 Kitchen Production -£6\.4000\. /);
    expect(reportMessage({ ...both, productionBalances: both.productionBalances.slice(1) }, String)).not.toMatch(/left with a balance|by that rounding/);
  });

  it('is only the message when no production account is left with a balance (or the report was saved before balances were kept)', () => {
    expect(reportMessage({ message: 'Posted 3 movements.', productionBalances: [] }, String)).toBe('Posted 3 movements.');
    expect(reportMessage({ message: 'Posted 3 movements.' }, String)).toBe('Posted 3 movements.');
  });
});
