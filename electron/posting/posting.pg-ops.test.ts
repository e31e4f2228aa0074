import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import type { DocumentTypeCode } from '../../shared/document-types';
import type { ControlAccounts } from '../../shared/posting';
import { hledgerBalances } from '../../test/fixtures/hledger';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { folderBytes } from '../../test/fixtures/csv-folder';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { asUser } from '../../test/fixtures/caller';
import { refusalOf } from '../../test/fixtures/refusal';
import type { PgLedgerOps } from '../ledger/pg/pg-ops';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { openPool } from '../ledger/pg/pg-types';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { createWorkerContext } from '../ledger/worker-context';
import { PgPostingStore } from './pg-posting-store';
import { postingPgOps } from './posting.pg-ops';
import { postingOps, type PostingOps } from './posting.ops';
import { FOLDER_ID_FILE } from './targets/csv-journal';
import { formatJournalMoney } from '../../shared/company-format';
import { machineDefaults } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';
import { PgCompanyStore } from '../company/pg-company-store';

/**
 * The Posting window on both stores: the same movements (same ids) posted through posting.ops.ts on SQLite and
 * posting.pg-ops.ts on PostgreSQL give the same answers — control accounts, preview, posting jobs to the built-in ledger
 * and to an hledger journal, batches, reports (JSON, CSV, PDF text), trial balances, reversal, customs — and the same
 * refusals. Batch times and journal paths differ between the two runs and are masked.
 */
type Pg = Partial<PgLedgerOps>;
type Events = [string, unknown][];

let cluster: TestCluster | undefined;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster?.stop());

let s: Fixture;
let p: PgFixture;
let sql: PostingOps;
let pg: Pg;
let sEvents: Events;
let pEvents: Events;
let dir: string;
let cancel: (jobId: string) => boolean;
beforeEach(async () => {
  s = await openFixture();
  p = await openPgFixture(cluster!);
  sEvents = [];
  pEvents = [];
  sql = postingOps(createWorkerContext(s.ledger, (e, x) => sEvents.push([e, x])));
  const pctx = createPgWorkerContext(p.pool, p.connection, (e, x) => pEvents.push([e, x]));
  pg = postingPgOps(pctx);
  cancel = (jobId) => pctx.cancelJob(jobId);
  dir = mkdtempSync(join(tmpdir(), 'stockbook-posting-pg-'));
});
afterEach(async () => {
  await s.cleanup();
  await p.close();
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
const T0 = Date.UTC(2026, 0, 5, 9);
const iso = (t: number) => new Date(t).toISOString();
const doc = (type: DocumentTypeCode, lines: MovementLineInput[], at: number): PostDocumentInput => ({ idempotencyKey: `pg-ops-${process.pid}-${++counter}`, type, lines, occurredAt: iso(at) });

/** The same documents, in the same order, on both stores. */
async function postBoth(docs: PostDocumentInput[]): Promise<void> {
  for (const d of docs) {
    s.ledger.poster.post(d, s.ids.admin);
    await p.store.post(d, p.ids.admin);
  }
}

/** n receipts (freight) and despatches (freight and excise) of rice and claret, a minute apart from `start`. */
function movements(n: number, start: number): PostDocumentInput[] {
  const { bulk, lot, wh } = s.ids;
  const out: PostDocumentInput[] = [];
  for (let i = 0; i < n; i++) {
    const at = start + i * 60_000;
    out.push(doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 2_000 + i, unitCost: 15_000 + i, onCosts: { freight: 120 } }], at));
    out.push(doc('receipt', [{ productId: lot, siteId: wh, type: 'stock_receipt', qty: 6, unitCost: 80_000, batch: { code: `L${i}` }, onCosts: { excise: 900 } }], at));
    out.push(doc('despatch', [{ productId: bulk, siteId: wh, type: 'stock_despatch', qty: -1_500, onCosts: { freight: 120, excise: 40 } }], at + 30_000));
  }
  return out;
}

/** Where each run's journal file or CSV folder is, masked alike. */
const maskPaths = (text: string) =>
  text.split(join(dir, 'sqlite.journal')).join('JOURNAL').split(join(dir, 'pg.journal')).join('JOURNAL').split(join(dir, 'sqlite-')).join('FOLDER-').split(join(dir, 'pg-')).join('FOLDER-');

/** What may differ between the two runs: when each batch ran, and where each one's journal file or folder is. */
function masked<T>(v: T): T {
  return JSON.parse(maskPaths(JSON.stringify(v, (k, x: unknown) => (k === 'startedAt' || k === 'finishedAt') && x !== null ? 'TIME' : x))) as T;
}

/** Starts a posting job on both stores and waits for each one's job.finished. */
async function postOnBoth(to: string, target: { sqlite: string; pg: string }, summarised = false): Promise<[unknown, unknown]> {
  const sPreview = sql['posting.preview']({ to, target: target.sqlite, summarised });
  const pPreview = await pg['posting.preview']!({ to, target: target.pg, summarised });
  expect(masked(pPreview)).toEqual(masked(sPreview));
  const jobId = `job-${++counter}`;
  sql['posting.start'](jobId, { to, target: target.sqlite, summarised, expectedMovements: sPreview.unposted }, s.ids.admin);
  expect(await pg['posting.start']!(jobId, { to, target: target.pg, summarised, expectedMovements: pPreview.unposted }, p.ids.admin)).toEqual({ started: true });
  const finished = (events: Events) => events.find(([e, x]) => e === 'job.finished' && (x as { jobId: string }).jobId === jobId)?.[1];
  // A job thread (SQLite's posting) starts slowly on a busy machine: a CI run at load ~28 waited past 30 s.
  await expect.poll(() => finished(sEvents), { timeout: 90_000 }).toBeTruthy();
  await expect.poll(() => finished(pEvents), { timeout: 90_000 }).toBeTruthy();
  return [finished(sEvents), finished(pEvents)];
}

const pdfText = (base64: string) => {
  const file = join(dir, `r-${++counter}.pdf`);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/g, 'TIME')
    .split('\n').map(maskPaths).join('\n')
    .replace(/[ \t]+/g, ' '); // the layout's spacing follows the text's widths (the two journal paths differ in length)
};

describe('the Posting window on SQLite and PostgreSQL', { timeout: 240_000 }, () => {
  it('gives the same answers: map, preview, posting to the built-in ledger and to hledger, batches, reports, trial balance, reversal', async () => {
    await postBoth(movements(12, T0));

    // the control-account map: the preset on both, then the same edited map saved on both
    const sMap = sql['posting.controlAccounts']();
    expect(await pg['posting.controlAccounts']!()).toEqual(sMap);
    const edited: ControlAccounts = { accounts: [...sMap.accounts.map((a) => (a.code === sMap.rules[0]!.debit ? { ...a, name: 'Stock at cost (edited)' } : a)), { code: '9100', name: 'Spare' }], rules: sMap.rules };
    const saved = sql['posting.saveControlAccounts']({ ...edited, target: 'builtin' });
    expect(await pg['posting.saveControlAccounts']!({ ...edited, target: 'builtin' })).toEqual(saved);
    expect(saved.accounts.find((a) => a.code === '9100')).toEqual({ code: '9100', name: 'Spare' });

    // refusals: a rule to an account the chart does not have, a rule twice — nothing saved on either
    const unmapped = { ...edited, rules: [{ ...edited.rules[0]!, debit: '9999' }, ...edited.rules.slice(1)], target: 'builtin' };
    const sUnmapped = await refusalOf(() => sql['posting.saveControlAccounts'](unmapped));
    expect(sUnmapped.message).toMatch(/Account 9999 is not in the chart being saved, but (a rule posts|\d+ rules post) to it/);
    expect(await refusalOf(() => pg['posting.saveControlAccounts']!(unmapped))).toEqual(sUnmapped);
    const twice = { ...edited, rules: [...edited.rules, edited.rules[0]!], target: 'builtin' };
    expect(await refusalOf(() => pg['posting.saveControlAccounts']!(twice))).toEqual(await refusalOf(() => sql['posting.saveControlAccounts'](twice)));
    expect(await pg['posting.controlAccounts']!()).toEqual(saved);

    // a stale confirmation is refused alike
    const to1 = iso(T0 + 6 * 60_000);
    const stale = { to: to1, target: 'builtin', summarised: false, expectedMovements: 2 };
    expect(await refusalOf(() => pg['posting.start']!('stale', stale, p.ids.admin))).toEqual(await refusalOf(() => sql['posting.start']('stale', stale, s.ids.admin)));

    // batch 1: the built-in ledger, detailed, up to 09:06
    const [s1, p1] = await postOnBoth(to1, { sqlite: 'builtin', pg: 'builtin' });
    expect(p1).toEqual(s1);
    expect(p1).toMatchObject({ ok: true, batchId: 1, message: expect.stringMatching(/^Batch 1: Posted 20 movements as 20 entries to Built-in general ledger\.$/) as unknown });

    // batch 2: an hledger journal, summarised, the rest
    const to2 = iso(T0 + 3_600_000);
    const journals = { sqlite: `hledger:${join(dir, 'sqlite.journal')}`, pg: `hledger:${join(dir, 'pg.journal')}` };
    const [s2, p2] = await postOnBoth(to2, journals, true);
    expect(masked(p2)).toEqual(masked(s2));
    expect(p2).toMatchObject({ ok: true, batchId: 2 });

    // batches, reports (JSON, CSV, PDF text)
    expect(masked(await pg['posting.batches']!())).toEqual(masked(sql['posting.batches']()));
    for (const batchId of [1, 2]) {
      const report = sql['posting.report']({ batchId });
      expect(masked(await pg['posting.report']!({ batchId }))).toEqual(masked(report));
      expect(report.balanced && report.entryCheckOk).toBe(true);
      expect(masked(await pg['posting.reportCsv']!({ batchId }))).toEqual(masked(sql['posting.reportCsv']({ batchId })));
      const [sPdf, pPdf] = [await sql['posting.reportPdf']({ batchId }), await pg['posting.reportPdf']!({ batchId })];
      expect(pPdf.fileName).toBe(sPdf.fileName);
      expect(pPdf.base64.length).toBeGreaterThan(1_000);
      expect(pdfText(pPdf.base64)).toEqual(pdfText(sPdf.base64));
      expect(pdfText(pPdf.base64)).toContain(`Posting report — batch ${batchId}`);
    }

    // trial balances; hledger balances the PostgreSQL ledger's journal to the same figures
    expect(await pg['posting.trialBalance']!({ target: 'builtin' })).toEqual(sql['posting.trialBalance']({ target: 'builtin' }));
    const pTb = await pg['posting.trialBalance']!({ target: journals.pg });
    expect(masked(pTb)).toEqual(masked(sql['posting.trialBalance']({ target: journals.sqlite })));
    const ours = Object.fromEntries(pTb.rows.filter((r) => r.balance !== 0).map((r) => [r.code, r.balance]));
    expect(Object.keys(ours).length).toBeGreaterThan(1);
    expect(hledgerBalances(join(dir, 'pg.journal'))).toEqual(ours);
    expect(hledgerBalances(join(dir, 'pg.journal'))).toEqual(hledgerBalances(join(dir, 'sqlite.journal')));

    // reversal of batch 1 (built-in) and of batch 2 (hledger), then a second reversal refused alike
    const sRev = await sql['posting.reverse']({ batchId: 1 }, asUser(s.ids.admin));
    expect(masked(await pg['posting.reverse']!({ batchId: 1 }, asUser(p.ids.admin)))).toEqual(masked(sRev));
    expect(sRev).toMatchObject({ batchId: 3, reversalOf: 1, balanced: true, entryCheckOk: true });
    const sRev2 = await sql['posting.reverse']({ batchId: 2 }, asUser(s.ids.admin));
    expect(masked(await pg['posting.reverse']!({ batchId: 2 }, asUser(p.ids.admin)))).toEqual(masked(sRev2));
    const again = await refusalOf(() => sql['posting.reverse']({ batchId: 1 }, asUser(s.ids.admin)));
    expect(again.message).toMatch(/already reversed/i);
    expect(await refusalOf(() => pg['posting.reverse']!({ batchId: 1 }, asUser(p.ids.admin)))).toEqual(again);
    expect(hledgerBalances(join(dir, 'pg.journal'))).toEqual({});
    expect(await pg['posting.trialBalance']!({ target: 'builtin' })).toEqual(sql['posting.trialBalance']({ target: 'builtin' }));
    expect(masked(await pg['posting.batches']!())).toEqual(masked(sql['posting.batches']()));
    // the reversed movements can be posted again: the previews agree
    expect(await pg['posting.preview']!({ to: to2, target: 'builtin', summarised: false })).toEqual(sql['posting.preview']({ to: to2, target: 'builtin', summarised: false }));

    // a missing batch is refused alike
    expect(await refusalOf(() => pg['posting.report']!({ batchId: 99 }))).toEqual(await refusalOf(() => sql['posting.report']({ batchId: 99 })));
  });

  it("prints the report's PDF in the company's currency and locale on both (a euro company's in euros, never pounds)", async () => {
    const euro = { ...machineDefaults(), name: 'Weinhandel GmbH', currency: 'EUR', locale: 'de-DE', timeZone: 'Europe/Berlin' };
    new CompanyStore(s.ledger.db).saveSettings(euro, Date.now());
    const c = await p.pool.connect();
    try {
      await new PgCompanyStore(c).saveSettings(euro, Date.now());
    } finally {
      c.release();
    }
    await postBoth(movements(3, T0));
    await postOnBoth(iso(T0 + 3_600_000), { sqlite: 'builtin', pg: 'builtin' });
    const [sPdf, pPdf] = [pdfText((await sql['posting.reportPdf']({ batchId: 1 })).base64), pdfText((await pg['posting.reportPdf']!({ batchId: 1 })).base64)];
    expect(pPdf).toEqual(sPdf);
    const total = sql['posting.report']({ batchId: 1 }).totalDebit;
    expect(total).toBeGreaterThan(0);
    const spaced = (t: string) => t.replace(/\s+/g, ' '); // de-DE puts a no-break space before the €
    expect(spaced(pPdf)).toContain(spaced(`Total ${formatJournalMoney(total, 'EUR', 'de-DE')}`));
    expect(pPdf).not.toContain('£');
    // The CSV too: ';' between fields and decimal commas (the company's number format), the amounts' currency named.
    const [sCsv, pCsv] = [sql['posting.reportCsv']({ batchId: 1 }).csv, (await pg['posting.reportCsv']!({ batchId: 1 })).csv];
    expect(pCsv).toEqual(sCsv);
    expect(pCsv.split('\r\n')[0]).toBe('batch;target;posted_to (Europe/Berlin);status;summarised;account;name;debit (EUR);credit (EUR)');
    expect(pCsv).toMatch(/;TOTAL;;\d+,\d{4};\d+,\d{4}\r\n/);
  });

  it('loads a preset and answers a receipt’s customs, its correction and its refusals alike', async () => {
    await postBoth(movements(2, T0));
    expect(await pg['posting.loadPreset']!({ preset: 'vision-commerce' })).toEqual(sql['posting.loadPreset']({ preset: 'vision-commerce' }));
    // receipt 1 from a supplier outside the EC (as operations.receive records it), receipt 2 from none
    const customsRows = [
      "INSERT INTO suppliers (code, name, country, in_ec) VALUES ('ACME', 'Acme Imports', 'US', false)",
      'INSERT INTO document_suppliers (document_id, supplier_id) VALUES (1, 1)',
      'INSERT INTO document_customs (document_id, non_ec, customs_duty_paid) VALUES (1, true, false)',
    ];
    for (const q of customsRows) {
      s.ledger.db.prepare(q.replace(/\btrue\b/g, '1').replace(/\bfalse\b/g, '0')).run();
      await p.pool.query(q);
    }
    for (const documentId of [1, 2, 3, 99]) expect(await pg['posting.documentCustoms']!({ documentId })).toEqual(sql['posting.documentCustoms']({ documentId }));
    expect(sql['posting.documentCustoms']({ documentId: 1 })).toMatchObject({ nonEc: true, customsDutyPaid: false, postedBatch: null });

    const set = { documentId: 1, customsDutyPaid: true };
    expect(await pg['posting.setDocumentCustoms']!(set, asUser(p.ids.admin))).toEqual(sql['posting.setDocumentCustoms'](set, asUser(s.ids.admin)));
    const audited = (await p.pool.query<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'master-data-changed'")).rows[0]!.n;
    expect(audited).toBe(1);
    for (const bad of [{ documentId: 2, customsDutyPaid: true }, { documentId: 3, customsDutyPaid: true }]) {
      expect(await refusalOf(() => pg['posting.setDocumentCustoms']!(bad, asUser(p.ids.admin)))).toEqual(await refusalOf(() => sql['posting.setDocumentCustoms'](bad, asUser(s.ids.admin))));
    }

    // posted: the correction is refused, naming the batch to reverse first
    await postOnBoth(iso(T0 + 3_600_000), { sqlite: 'builtin', pg: 'builtin' });
    const sPosted = await refusalOf(() => sql['posting.setDocumentCustoms']({ documentId: 1, customsDutyPaid: false }, asUser(s.ids.admin)));
    expect(sPosted.message).toMatch(/already posted to finance \(batch 1\)/);
    expect(await refusalOf(() => pg['posting.setDocumentCustoms']!({ documentId: 1, customsDutyPaid: false }, asUser(p.ids.admin)))).toEqual(sPosted);
    expect(await pg['posting.documentCustoms']!({ documentId: 1 })).toEqual(sql['posting.documentCustoms']({ documentId: 1 }));
  });
});

describe('CSV folders (Sage 50, Xero) posted from SQLite and from PostgreSQL', { timeout: 240_000 }, () => {
  for (const format of ['sage50', 'xero'] as const) {
    it(`${format}: the same files byte for byte, the same reports, batches and trial balance, across a detailed run, a summarised run and a reversal`, async () => {
      await postBoth(movements(12, T0));
      const folders = { sqlite: join(dir, `sqlite-${format}`), pg: join(dir, `pg-${format}`) };
      const keys = { sqlite: `csv:${format}:${folders.sqlite}`, pg: `csv:${format}:${folders.pg}` };
      const [s1, p1] = await postOnBoth(iso(T0 + 6 * 60_000), keys);
      expect(masked(p1)).toEqual(masked(s1));
      expect(p1).toMatchObject({ ok: true, batchId: 1 });
      const [s2, p2] = await postOnBoth(iso(T0 + 3_600_000), keys, true);
      expect(masked(p2)).toEqual(masked(s2));
      const sRev = await sql['posting.reverse']({ batchId: 1 }, asUser(s.ids.admin));
      expect(masked(await pg['posting.reverse']!({ batchId: 1 }, asUser(p.ids.admin)))).toEqual(masked(sRev));
      expect(sRev).toMatchObject({ batchId: 3, reversalOf: 1, balanced: true, entryCheckOk: true });

      // each folder's own id (a random number) aside: the chart and each batch's files
      const files = folderBytes(folders.pg, [FOLDER_ID_FILE]);
      expect(Object.keys(files).length).toBeGreaterThan(3);
      expect(files).toEqual(folderBytes(folders.sqlite, [FOLDER_ID_FILE]));
      expect(masked(await pg['posting.batches']!())).toEqual(masked(sql['posting.batches']()));
      for (const batchId of [1, 2, 3]) {
        const report = sql['posting.report']({ batchId });
        expect(report.balanced && report.entryCheckOk).toBe(true);
        expect(masked(await pg['posting.report']!({ batchId }))).toEqual(masked(report));
        expect(masked(await pg['posting.reportCsv']!({ batchId }))).toEqual(masked(sql['posting.reportCsv']({ batchId })));
      }
      expect(masked(await pg['posting.trialBalance']!({ target: keys.pg }))).toEqual(masked(sql['posting.trialBalance']({ target: keys.sqlite })));
    });
  }
});

describe('a posting job on PostgreSQL', () => {
  const TO = iso(T0 + 3_600_000);
  const jobFinished = (jobId: string) => pEvents.find(([e, x]) => e === 'job.finished' && (x as { jobId: string }).jobId === jobId)?.[1] as { ok: boolean; cancelled: boolean; message: string } | undefined;
  const count = async (q: string) => (await p.pool.query<{ n: number }>(q)).rows[0]!.n;

  it('waits for another server’s batch, saying so, then posts', async () => {
    await postBoth(movements(3, T0));
    const other = openPool(p.connection, 2);
    try {
      const held = await new PgPostingStore(other).claim(); // another server is posting
      await pg['posting.start']!('wait', { to: TO, target: 'builtin', summarised: false, expectedMovements: 9 }, p.ids.admin);
      await expect.poll(() => pEvents.some(([e, x]) => e === 'job.progress' && /Waiting for another server's posting/.test((x as { phase: string }).phase)), { timeout: 20_000 }).toBe(true);
      expect(jobFinished('wait')).toBeUndefined();
      expect(await count('SELECT COUNT(*) AS n FROM journal_batches')).toBe(0);
      await held.release();
      await expect.poll(() => jobFinished('wait'), { timeout: 20_000 }).toMatchObject({ ok: true, message: 'Batch 1: Posted 9 movements as 9 entries to Built-in general ledger.' });
    } finally {
      await other.end();
    }
  });

  it('after waiting, refuses when what the user confirmed changed meanwhile (another server posted or recorded movements)', async () => {
    await postBoth(movements(3, T0));
    const other = openPool(p.connection, 2);
    try {
      const held = await new PgPostingStore(other).claim();
      await pg['posting.start']!('changed', { to: TO, target: 'builtin', summarised: false, expectedMovements: 9 }, p.ids.admin);
      await expect.poll(() => pEvents.some(([e, x]) => e === 'job.progress' && /Waiting for another server's posting/.test((x as { phase: string }).phase)), { timeout: 20_000 }).toBe(true);
      await postBoth(movements(1, T0 + 60_000)); // recorded while this job waited: 12 unposted now, 9 confirmed
      await held.release();
      await expect.poll(() => jobFinished('changed'), { timeout: 20_000 }).toMatchObject({ ok: false, message: expect.stringMatching(/^12 movements are unposted up to that time now, not the 9 you confirmed/) as unknown });
      expect(await count('SELECT COUNT(*) AS n FROM journal_batches')).toBe(0);
    } finally {
      await other.end();
    }
  });

  it('a cancel while waiting posts nothing; a reversal while another server posts is refused by name', async () => {
    await postBoth(movements(2, T0));
    const other = openPool(p.connection, 2);
    try {
      const held = await new PgPostingStore(other).claim();
      await pg['posting.start']!('cancel', { to: TO, target: 'builtin', summarised: false, expectedMovements: 6 }, p.ids.admin);
      await expect.poll(() => pEvents.some(([e]) => e === 'job.progress'), { timeout: 20_000 }).toBe(true);
      // this server's second start is refused while its first is still in hand
      expect(await refusalOf(() => pg['posting.start']!('again', { to: TO, target: 'builtin', summarised: false, expectedMovements: 6 }, p.ids.admin))).toEqual({
        code: 'CONFLICT',
        message: 'A posting run is already in progress. Wait for it to finish or cancel it.',
      });
      expect(cancel('cancel')).toBe(true);
      await expect.poll(() => jobFinished('cancel'), { timeout: 20_000 }).toMatchObject({ ok: false, cancelled: true, message: expect.stringMatching(/^Cancelled while waiting for another server's posting; nothing was posted\./) as unknown });
      expect([await count('SELECT COUNT(*) AS n FROM journal_batches'), await count('SELECT COUNT(*) AS n FROM movement_postings')]).toEqual([0, 0]);
      await held.release();

      // posted, then another server holds the lock: a reversal is refused, naming what to do
      await pg['posting.start']!('post', { to: TO, target: 'builtin', summarised: false, expectedMovements: 6 }, p.ids.admin);
      await expect.poll(() => jobFinished('post'), { timeout: 20_000 }).toMatchObject({ ok: true });
      const held2 = await new PgPostingStore(other).claim();
      expect(await refusalOf(() => pg['posting.reverse']!({ batchId: 1 }, asUser(p.ids.admin)))).toEqual({
        code: 'CONFLICT',
        message: 'Another server is posting to the finance system now; one batch runs at a time. Wait for it to finish, then post again: it posts only what is left.',
      });
      await held2.release();
    } finally {
      await other.end();
    }
  });

  it('posts to a CSV folder (no longer refused); an unknown target is refused as on SQLite and lets go of the run', async () => {
    await postBoth(movements(1, T0));
    const bad = { to: TO, target: 'sage:/somewhere', summarised: false, expectedMovements: 3 };
    const r = await refusalOf(() => pg['posting.start']!('bad', bad, p.ids.admin));
    expect(r).toEqual(await refusalOf(() => sql['posting.start']('bad', bad, s.ids.admin)));
    expect(r.code).toBe('VALIDATION');
    await pg['posting.start']!('csv', { to: TO, target: `csv:sage50:${dir}`, summarised: false, expectedMovements: 3 }, p.ids.admin);
    await expect.poll(() => jobFinished('csv'), { timeout: 20_000 }).toMatchObject({ ok: true, message: `Batch 1: Posted 3 movements as 3 entries to Sage 50 CSV folder ${dir}.` });
    expect(readdirSync(dir).filter((n) => n.endsWith('.csv')).sort()).toEqual(['accounts.csv', 'stockbook-b000001-c00000-e0000000003.csv']);
  });
});
