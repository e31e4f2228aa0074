import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { runPosting } from './batch-runner';
import { runPostCommand } from './post-command';
import { loadReportPdf, reportPdfPath, saveReportPdf } from './posting-report-file';
import { machineDefaults } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';
import { PostingStore } from './posting-store';
import { pdfText, squash } from '../../test/fixtures/posting-report';
import { BuiltinLedgerTarget } from './targets/builtin-ledger';

const T0 = Date.UTC(2026, 0, 5, 9);
const LONDON = 'Europe/London';
/** A British company's report: pounds, en-GB, London time. */
const GB = { currency: 'GBP', locale: 'en-GB', timeZone: LONDON };
const iso = (t: number) => new Date(t).toISOString();

/**
 * A SQLite ledger's posting report PDF, saved beside the ledger file (reports/) and made again when lost, and
 * `stockbook post --pdf FILE` on a ledger file. The PDF itself, downloaded on either store, is posting-report-pdf.test.ts.
 */
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

describe('the posting report PDF beside a ledger file', () => {
  it('is saved beside the ledger, and made again from the batch\'s saved report when lost', async () => {
    const r = await runPosting(store, new BuiltinLedgerTarget(store), { to: T0 + 86_400_000, summarised: false, userId: f.ids.admin });
    expect(r.status).toBe('posted');
    const path = await saveReportPdf(f.path, r, GB);
    expect(path).toBe(reportPdfPath(f.path, r.batchId));
    expect(path).toBe(join(f.path, '..', 'reports', `posting-batch-${r.batchId}.pdf`));
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(squash(pdfText(bytes))).toContain(`Posting report — batch ${r.batchId}`);

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
});
