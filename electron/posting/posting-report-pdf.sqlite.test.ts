import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { targetLabel, type PostingReport } from '../../shared/posting';
import { formatJournalMoney as formatMoney } from '../../shared/company-format';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { runPosting } from './batch-runner';
import { runPostCommand } from './post-command';
import { loadReportPdf, reportPdfPath, saveReportPdf } from './posting-report-file';
import { reportTime } from './posting-report';
import { reportPdf } from './posting-report-pdf';
import { machineDefaults } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';
import { PostingStore } from './posting-store';
import { amounts, roundingReport } from '../../test/fixtures/posting-report';
import { BuiltinLedgerTarget } from './targets/builtin-ledger';

const T0 = Date.UTC(2026, 0, 5, 9);
const LONDON = 'Europe/London';
/** A British company's report: pounds, en-GB, London time. */
const GB = { currency: 'GBP', locale: 'en-GB', timeZone: LONDON };
const iso = (t: number) => new Date(t).toISOString();
const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The PDF's text: pdftotext (poppler-utils, installed by .ci/run) or, without it, a loose read of pdfkit's hex text strings. */
function pdfText(bytes: Buffer): string {
  if (hasPdftotext) {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-pdf-'));
    try {
      const file = join(dir, 'r.pdf');
      writeFileSync(file, bytes);
      return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const raw = bytes.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let body: string;
    try {
      body = inflateSync(Buffer.from(m[1] ?? '', 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const line of body.split('\n').filter((l) => /T[Jj]$/.test(l))) {
      out.push([...line.matchAll(/<([0-9a-f]+)>/gi)].map((h) => Buffer.from(h[1] ?? '', 'hex').toString('latin1')).join(''));
    }
  }
  return out.join('\n').replace(/\xa3/g, '£').replace(/\x97/g, '—').replace(/\x96/g, '–');
}
const squash = (s: string) => s.replace(/\s+/g, ' ');

let f: Fixture;
let store: PostingStore;
beforeEach(async () => {
  f = await openFixture();
  store = new PostingStore(f.ledger.db);
  const { bulk, wh } = f.ids;
  for (let i = 0; i < 12; i++) {
    const at = iso(T0 + i * 60_000);
    f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 2_000, unitCost: 15_000 + i, onCosts: { freight: 120 } }], { occurredAt: at }), f.ids.admin);
    f.ledger.poster.post(f.doc('despatch', [{ productId: bulk, siteId: wh, type: 'stock_despatch', qty: -1_500, onCosts: { freight: 120, excise: 40 } }], { occurredAt: at }), f.ids.admin);
  }
});
afterEach(async () => f.cleanup());

describe('the posting report PDF', () => {
  it('is a valid PDF of a posted batch, saved beside the ledger, with batch id, totals, checks and page numbers', async () => {
    const r = await runPosting(store, new BuiltinLedgerTarget(store), { to: T0 + 86_400_000, summarised: false, userId: f.ids.admin });
    expect(r.status).toBe('posted');
    const path = await saveReportPdf(f.path, r, GB);
    expect(path).toBe(reportPdfPath(f.path, r.batchId));
    expect(path).toBe(join(f.path, '..', 'reports', `posting-batch-${r.batchId}.pdf`));
    const bytes = readFileSync(path);
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

    // The download reads the saved file; a lost file is made again from the report saved in the batch row.
    const loaded = await loadReportPdf(f.path, r, GB);
    expect(loaded.fileName).toBe(`posting-batch-${r.batchId}.pdf`);
    expect(loaded.bytes.equals(bytes)).toBe(true);
    rmSync(path);
    const again = await loadReportPdf(f.path, r, GB);
    expect(existsSync(path)).toBe(true);
    expect(again.bytes.equals(bytes)).toBe(true); // deterministic: dates come from the batch
  });

  it('`stockbook post --pdf FILE` writes the PDF to FILE and beside the ledger; its times are in the company time zone', async () => {
    new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: LONDON, currency: 'EUR', locale: 'en-IE' }, Date.now());
    const file = join(f.path, '..', 'out', 'report.pdf');
    const out: string[] = [];
    const err: string[] = [];
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(f.path, '..', 'out'));
    const code = await runPostCommand(f.ledger, { to: iso(T0 + 86_400_000), target: 'builtin', pdf: file }, (s) => out.push(s), (s) => err.push(s));
    expect(code).toBe(0);
    expect(err.join('')).toContain(`PDF report: ${file}`);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const batchId = Number(/batch (\d+)/.exec(out.join('\n'))?.[1]);
    expect(batchId).toBeGreaterThan(0);
    expect(readFileSync(reportPdfPath(f.path, batchId)).equals(bytes)).toBe(true);
    expect(squash(pdfText(bytes))).toContain(`Posting report — batch ${batchId}`);
    // --to 2026-01-06T09:00:00Z is 09:00 GMT in London: stdout and the PDF say so, naming the zone
    expect(out.join('\n')).toMatch(/^Posted to: {5}2026-01-06 09:00:00 Europe\/London$/m);
    expect(out.join('\n')).toMatch(/^Started: {7}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Europe\/London {3}Finished: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Europe\/London$/m);
    expect(squash(pdfText(bytes))).toContain('every unposted movement up to 2026-01-06 09:00:00 Europe/London');
    // ... and its money in the company's currency (euro, written the Irish way), not pounds
    expect(squash(pdfText(bytes))).toMatch(/Total €[\d,]+\.\d{4} €[\d,]+\.\d{4}/);
    expect(squash(pdfText(bytes))).not.toContain('£');
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
