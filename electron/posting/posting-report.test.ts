import { describe, expect, it } from 'vitest';
import type { PostingReport } from '../../shared/posting';
import { amounts, roundingReport } from '../../test/fixtures/posting-report';
import { reportCsv, reportText, reportTime } from './posting-report';

describe('posting report CSV', () => {
  it('neutralises formula-looking account names and codes; amounts and counts stay numbers', () => {
    const report: PostingReport = {
      batchId: 3, target: 'builtin', status: 'posted', summarised: false, postedTo: '2026-01-31T23:59:59.999Z', startedAt: '2026-02-01T09:00:00.000Z',
      finishedAt: '2026-02-01T09:00:01.000Z', reversalOf: null, movementCount: 2, valueCreditCount: 0, entryCount: 1, lineCount: 2, byType: [],
      accounts: [
        { code: '1200', name: '=HYPERLINK("http://evil.example","x")', debit: 0, credit: 12_345 },
        { code: '@SUM(A1)', name: '+cmd', debit: 12_345, credit: 0 },
      ],
      totalDebit: 12_345, totalCredit: 12_345, balanced: true, lastEntryBefore: 10, lastEntryAfter: 11, entryCheckOk: true, message: 'ok',
    };
    expect(reportCsv(report, 'Europe/London').split('\r\n')).toEqual([
      'batch,target,posted_to (Europe/London),status,summarised,account,name,debit,credit',
      `3,builtin,2026-01-31 23:59:59,posted,false,1200,"'=HYPERLINK(""http://evil.example"",""x"")",0.0000,1.2345`,
      "3,builtin,2026-01-31 23:59:59,posted,false,'@SUM(A1),'+cmd,1.2345,0.0000",
      '3,builtin,2026-01-31 23:59:59,posted,false,TOTAL,,1.2345,1.2345',
      '3,last_entry_before,10,entries,1,last_entry_after,11,check,ok',
      '',
    ]);
  });

  it('writes posted_to as a local date-time in the business time zone that spreadsheets read as a date', () => {
    const report = { ...roundingReport(), postedTo: '2026-07-31T22:59:59.999Z' }; // a July month end in London (BST)
    const [head, first] = reportCsv(report, 'Europe/London').split('\r\n').map((l) => l.split(','));
    expect(head![2]).toBe('posted_to (Europe/London)');
    expect(first![2]).toBe('2026-07-31 23:59:59');
  });
});

describe('the posting report prints amounts at the journal precision', () => {
  it('text: the printed total of each column is the sum of its printed lines, to 4 decimals', () => {
    const lines = reportText(roundingReport(), 'Europe/London').split('\n');
    const accountLines = lines.filter((l) => /^(5000|5010|5020|1200) /.test(l));
    const total = lines.find((l) => l.startsWith('Total'))!;
    expect(accountLines).toHaveLength(4);
    const debits = accountLines.map((l) => amounts(l)[0]!);
    const credits = accountLines.map((l) => amounts(l)[1]!);
    expect(amounts(total)).toEqual([debits.reduce((a, b) => a + b, 0), credits.reduce((a, b) => a + b, 0)]);
    expect(total).toContain('£3.7035');
    expect(accountLines[0]).toContain('£1.2345');
  });

  it('text: every time is the company wall clock with its zone named, not UTC (a July month end in London is 23:59:59 BST)', () => {
    const r = { ...roundingReport(), postedTo: '2026-07-31T22:59:59.999Z', startedAt: '2026-08-01T06:00:00.000Z', finishedAt: '2026-08-01T06:00:05.000Z' };
    const lines = reportText(r, 'Europe/London').split('\n');
    expect(lines).toContain('Posted to:     2026-07-31 23:59:59 Europe/London');
    expect(lines).toContain('Started:       2026-08-01 07:00:00 Europe/London   Finished: 2026-08-01 07:00:05 Europe/London');
    expect(reportText({ ...r, finishedAt: null }, 'Europe/London')).toContain('Finished: —');
    expect(reportTime('2026-01-15T12:00:00.000Z', 'America/New_York')).toBe('2026-01-15 07:00:00 America/New_York');
  });
});
