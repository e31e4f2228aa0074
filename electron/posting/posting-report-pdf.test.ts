import { describe, expect, it } from 'vitest';
import { targetLabel, type PostingReport } from '../../shared/posting';
import { formatJournalMoney as formatMoney } from '../../shared/company-format';
import { amounts, pdfText, roundingReport, squash } from '../../test/fixtures/posting-report';
import { postUpTo, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { reportTime } from './posting-report';
import { reportPdf } from './posting-report-pdf';

/**
 * A posting batch's printable report: downloaded through the Posting window's operation (posting.reportPdf) on the
 * configured store (test/fixtures/store-under-test.ts), and laid out for reports of every size and currency. SQLite's
 * PDF saved beside the ledger file, and `stockbook post --pdf` on a ledger file, are posting-report-pdf.sqlite.test.ts.
 */
const T0 = Date.UTC(2026, 0, 5, 9);
const LONDON = 'Europe/London';
/** A British company's report: pounds, en-GB, London time. */
const GB = { currency: 'GBP', locale: 'en-GB', timeZone: LONDON };
const iso = (t: number) => new Date(t).toISOString();
/** Posting tests wait for real posting jobs (each SQLite run takes its checked backup first): a slow machine's minutes, not a limit checked. */
const SLOW = 180_000;

let s: StoreUnderTest;
let n = 0;
const key = () => `report-pdf-test-${process.pid}-${++n}`;
storePerTest((opened) => (s = opened));

/** A British company's 12 receipts (with freight) and despatches of rice, one of each a minute from T0. */
async function seed(): Promise<void> {
  await s.call('company.update', { name: 'Harbour Kitchen Ltd', ...GB, fyStartMonth: 1 });
  for (let i = 0; i < 12; i++) {
    const occurredAt = iso(T0 + i * 60_000);
    await s.call('operations.receive', { idempotencyKey: key(), kind: 'stock_receipt', siteId: s.ids.wh, dutyPaid: false, occurredAt, lines: [{ productId: s.ids.bulk, qty: 2_000, unitCost: 15_000 + i, onCosts: { freight: 120 } }] });
    await s.call('operations.despatch', { idempotencyKey: key(), kind: 'stock_despatch', siteId: s.ids.wh, occurredAt, lines: [{ productId: s.ids.bulk, qty: 1_500 }] });
  }
}

describe('the posting report PDF', { timeout: SLOW }, () => {
  it('is a valid PDF of a posted batch, with batch id, totals, checks and page numbers; downloaded again, the same bytes', async () => {
    await seed();
    const r = await s.call('posting.report', { batchId: (await postUpTo(s, iso(T0 + 86_400_000))).batchId });
    expect(r.status).toBe('posted');
    const pdf = await s.call('posting.reportPdf', { batchId: r.batchId });
    expect(pdf.fileName).toBe(`posting-batch-${r.batchId}.pdf`);
    const bytes = Buffer.from(pdf.base64, 'base64');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.subarray(-8).toString('latin1')).toContain('%%EOF');
    const text = squash(pdfText(bytes));
    expect(text).toContain(`Posting report — batch ${r.batchId}`);
    expect(text).toContain(`every unposted movement up to ${reportTime(r.postedTo, LONDON)}`);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/); // no UTC ISO times
    expect(text).toContain(targetLabel(r.target)); // the target by name, never its key
    for (const t of r.byType) expect(text).toContain(t.displayName);
    for (const a of r.accounts) expect(text).toContain(a.code);
    expect(r.totalDebit).toBeGreaterThan(0);
    expect(text).toContain(`Total ${formatMoney(r.totalDebit)} ${formatMoney(r.totalCredit)}`);
    expect(text).toContain(`Debits = credits: ${formatMoney(r.totalDebit)} = ${formatMoney(r.totalCredit)} BALANCED`);
    expect(text).toContain(`Before + postings = after: ${r.lastEntryBefore} + ${r.entryCount} = ${r.lastEntryAfter} CHECK OK`);
    expect(text).toContain('Page 1 of 1');
    // deterministic: its dates come from the batch
    expect(Buffer.from((await s.call('posting.reportPdf', { batchId: r.batchId })).base64, 'base64').equals(bytes)).toBe(true);
  });

  it('breaks long account lists over pages, repeating the header, and numbers every page', async () => {
    const accounts = Array.from({ length: 150 }, (_, i) => ({ code: `A${String(i).padStart(4, '0')}`, name: `Account ${i}`, debit: i * 10_000, credit: 0 }));
    const total = accounts.reduce((s, a) => s + a.debit, 0);
    accounts.push({ code: 'ZCTRL', name: 'Control', debit: 0, credit: total });
    const r: PostingReport = {
      batchId: 42, target: 'builtin', status: 'posted', summarised: true, postedTo: '2026-01-31T23:59:59.000Z', startedAt: '2026-02-01T06:00:00.000Z',
      finishedAt: '2026-02-01T06:00:05.000Z', reversalOf: null, movementCount: 1_234_567, valueCreditCount: 0, entryCount: 151, lineCount: 302,
      byType: [{ type: 'stock_receipt', displayName: 'Stock receipt', movements: 1_234_567, entries: 151 }], accounts, totalDebit: total, totalCredit: total,
      balanced: true, lastEntryBefore: 1_000, lastEntryAfter: 1_151, entryCheckOk: true, message: 'Posted.',
    };
    const text = squash(pdfText(await reportPdf(r, GB)));
    const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text.split('Account Name Debit Credit').length - 1).toBe(pages); // header repeated on every page of the table
    expect(text).toContain('1,234,567');
    expect(text).toContain('Before + postings = after: 1,000 + 151 = 1,151 CHECK OK');
  });
  it('prints amounts at the journal precision: the printed total of each column is the sum of its printed lines, to 4 decimals', async () => {
    const text = (pdfText(await reportPdf(roundingReport(), GB))).split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    const row = (code: string) => text.find((l) => l.startsWith(`${code} `))!;
    const printed = ['5000', '5010', '5020'].map((c) => amounts(row(c))[0]!);
    const totalLine = text.find((l) => l.startsWith('Total £'))!;
    expect(amounts(totalLine)[0]).toBe(printed.reduce((a, b) => a + b, 0));
    expect(amounts(totalLine)[1]).toBe(amounts(row('1200'))[1]);
    expect(totalLine).toContain('£3.7035');
  });

  it("writes money in the company's currency and locale, as the screen does, not in pounds: EUR (2 decimals), JPY (0)", async () => {
    const r = roundingReport();
    for (const style of [{ currency: 'EUR', locale: 'de-DE', timeZone: 'Europe/Berlin', display: 'symbol' as const }, { currency: 'JPY', locale: 'en-GB', timeZone: 'Asia/Tokyo', display: 'symbol' as const },
      // ja-JP writes the yen as ￥, which the PDF's font has not: the ISO code instead
      { currency: 'JPY', locale: 'ja-JP', timeZone: 'Asia/Tokyo', display: 'code' as const }]) {
      const text = squash(pdfText(await reportPdf(r, style)));
      const money = (a: number) => formatMoney(a, style.currency, style.locale, style.display);
      expect(text).not.toContain('£');
      expect(text).not.toContain('GBP');
      expect(text).toContain(squash(`Total ${money(r.totalDebit)} ${money(r.totalCredit)}`));
      expect(text).toContain(squash(`Debits = credits: ${money(r.totalDebit)} = ${money(r.totalCredit)}`));
      expect(text).toContain(squash(`5000 Cost of sales ${money(12_345)}`));
    }
  });
});
