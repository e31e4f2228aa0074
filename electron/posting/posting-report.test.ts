import { describe, expect, it } from 'vitest';
import type { PostingReport } from '../../shared/posting';
import { amounts, roundingReport } from '../../test/fixtures/posting-report';
import { postUpTo, STORE_UNDER_TEST, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { reportCsv, reportText, reportTime } from './posting-report';

/**
 * The posting report as CSV and as the CLI's text: laid out from a report in the company's format, and downloaded from
 * the Posting window (posting.reportCsv) in the format the company saved, on the configured store
 * (test/fixtures/store-under-test.ts).
 */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));
/** Posting tests wait for real posting jobs (each SQLite run takes its checked backup first): a slow machine's minutes, not a limit checked. */
const SLOW = 180_000;

const LONDON = { currency: 'GBP', locale: 'en-GB', timeZone: 'Europe/London' };
const BERLIN = { currency: 'EUR', locale: 'de-DE', timeZone: 'Europe/Berlin' };
const TOKYO = { currency: 'JPY', locale: 'ja-JP', timeZone: 'Asia/Tokyo' };

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
    expect(reportCsv(report, LONDON).split('\r\n')).toEqual([
      'batch,target,posted_to (Europe/London),status,summarised,account,name,debit (GBP),credit (GBP)',
      `3,builtin,2026-01-31 23:59:59,posted,false,1200,"'=HYPERLINK(""http://evil.example"",""x"")",0.0000,1.2345`,
      "3,builtin,2026-01-31 23:59:59,posted,false,'@SUM(A1),'+cmd,1.2345,0.0000",
      '3,builtin,2026-01-31 23:59:59,posted,false,TOTAL,,1.2345,1.2345',
      '3,last_entry_before,10,entries,1,last_entry_after,11,check,ok',
      '',
    ]);
  });

  it('writes posted_to as a local date-time in the business time zone that spreadsheets read as a date', () => {
    const report = { ...roundingReport(), postedTo: '2026-07-31T22:59:59.999Z' }; // a July month end in London (BST)
    const [head, first] = reportCsv(report, LONDON).split('\r\n').map((l) => l.split(','));
    expect(head![2]).toBe('posted_to (Europe/London)');
    expect(first![2]).toBe('2026-07-31 23:59:59');
  });
});

describe('the posting report prints amounts at the journal precision', () => {
  it('text: the printed total of each column is the sum of its printed lines, to 4 decimals', () => {
    const lines = reportText(roundingReport(), LONDON).split('\n');
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
    const lines = reportText(r, LONDON).split('\n');
    expect(lines).toContain('Posted to:     2026-07-31 23:59:59 Europe/London');
    expect(lines).toContain('Started:       2026-08-01 07:00:00 Europe/London   Finished: 2026-08-01 07:00:05 Europe/London');
    expect(reportText({ ...r, finishedAt: null }, LONDON)).toContain('Finished: —');
    expect(reportTime('2026-01-15T12:00:00.000Z', 'America/New_York')).toBe('2026-01-15 07:00:00 America/New_York');
  });
});

describe("the posting report is written in the company's number format and currency (CSV and CLI text)", () => {
  const report = (): PostingReport => ({
    ...roundingReport(),
    movementCount: 12_345,
    accounts: [
      { code: '1200', name: 'Vorräte', debit: 12_345_678, credit: 0 },
      { code: '5000', name: 'Wareneinsatz', debit: 0, credit: 12_345_678 },
    ],
    totalDebit: 12_345_678,
    totalCredit: 12_345_678,
  });

  it('CSV, EUR / de-DE: fields by ";", decimal commas, the currency in the amount headers', () => {
    const lines = reportCsv(report(), BERLIN).split('\r\n');
    expect(lines[0]).toBe('batch;target;posted_to (Europe/Berlin);status;summarised;account;name;debit (EUR);credit (EUR)');
    expect(lines[1]).toMatch(/;1200;Vorräte;1234,5678;0,0000$/);
    expect(lines[3]).toMatch(/;TOTAL;;1234,5678;1234,5678$/);
  });

  it('CSV, JPY / ja-JP: fields by ",", decimal points, JPY named', () => {
    const lines = reportCsv(report(), TOKYO).split('\r\n');
    expect(lines[0]).toBe('batch,target,posted_to (Asia/Tokyo),status,summarised,account,name,debit (JPY),credit (JPY)');
    expect(lines[1]).toMatch(/,1200,Vorräte,1234\.5678,0\.0000$/);
  });

  it('text: money in the company currency and locale, counts grouped in its locale; never £ for a euro company', () => {
    const de = reportText(report(), BERLIN);
    expect(de).toContain('1.234,5678\u00a0€');
    expect(de).toContain('12.345');
    expect(de).not.toContain('£');
    const jp = reportText(report(), TOKYO);
    expect(jp).toMatch(/[￥¥]1,234\.5678/);
    expect(jp).not.toContain('£');
  });
});

describe(`the posting report downloaded as CSV from the Posting window, on ${STORE_UNDER_TEST}`, { timeout: SLOW }, () => {
  it("is in the company's saved number format, currency and time zone: a German company's, from one July posting", async () => {
    await s.call('company.update', { name: 'Bäckerei GmbH', ...BERLIN, fyStartMonth: 1 });
    const occurredAt = '2026-07-31T12:00:00.000Z';
    await s.call('operations.receive', { idempotencyKey: `report-csv-${process.pid}`, kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, occurredAt, lines: [{ productId: s.ids.bulk, qty: 2_000, unitCost: 15_000 }] });
    // the end of 31 July in Berlin (CEST): 21:59:59.999 UTC
    const { batchId } = await postUpTo(s, '2026-07-31');
    const { fileName, csv } = await s.call('posting.reportCsv', { batchId });
    expect(fileName).toBe(`posting-batch-${batchId}.csv`);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('batch;target;posted_to (Europe/Berlin);status;summarised;account;name;debit (EUR);credit (EUR)');
    expect(lines[1]).toMatch(new RegExp(`^${batchId};builtin;2026-07-31 23:59:59;posted;false;`));
    // 2 kg of rice at 1,50 € a kg: 3,0000 € each way, the total line at the journal's four places
    expect(lines).toContain(`${batchId};builtin;2026-07-31 23:59:59;posted;false;TOTAL;;3,0000;3,0000`);
  });
});
