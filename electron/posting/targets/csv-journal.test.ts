import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { doc } from '../../../test/fixtures/ledger';
import { postingPerTest, type PostingUnderTest } from '../../../test/fixtures/posting-under-test';
import { STORE_UNDER_TEST } from '../../../test/fixtures/store-under-test';
import { runPosting } from '../batch-runner';
import { FOLDER_ID_FILE, renderCsv, toPence, type CsvFormat } from './csv-journal';

/**
 * The Sage 50 and Xero CSV folders a batch posts to, on the configured store (test/fixtures/store-under-test.ts):
 * SQLite's CsvJournalTarget or PostgreSQL's PgCsvTarget, the same files either way.
 */
let p: PostingUnderTest;
const T0 = Date.UTC(2026, 0, 5, 9);

postingPerTest((opened) => (p = opened));
beforeEach(async () => {
  const { bulk, wh, admin } = p.ids;
  for (let i = 0; i < 30; i++) {
    const at = new Date(T0 + i * 60_000).toISOString();
    // awkward unit costs at scale 3 so values carry sub-penny parts
    await p.core.post(doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 1_234, unitCost: 15_017 + i, onCosts: { freight: 123 } }], { occurredAt: at }), admin);
    await p.core.post(doc('despatch', [{ productId: bulk, siteId: wh, type: 'stock_despatch', qty: -777, onCosts: { freight: 123, excise: 41 } }], { occurredAt: at }), admin);
  }
});

/** Parsed rows of every journal file: entry ref, account, signed pence. */
function readRows(dir: string, format: CsvFormat) {
  const rows: { ref: string; account: string; pence: number }[] = [];
  for (const name of readdirSync(dir).filter((n) => n.startsWith('stockbook-')).sort()) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\r\n').slice(1).filter(Boolean)) {
      const c = line.split(',');
      const money = (s: string) => Math.round(Number(s) * 100);
      rows.push(format === 'sage50' ? { ref: c[5]!, account: c[2]!, pence: (c[0] === 'JC' ? -1 : 1) * money(c[7]!) } : { ref: c[0]!, account: c[3]!, pence: money(c[5]!) });
    }
  }
  return rows;
}

describe(`CSV journal targets (Sage 50 audit trail, Xero manual journals), on ${STORE_UNDER_TEST}`, () => {
  it('rounds to pence and still balances every entry', () => {
    const lines = [
      { entryNo: 1, entryDate: 0, account: 'a', amount: 12_345 }, { entryNo: 1, entryDate: 0, account: 'b', amount: -6_172 }, { entryNo: 1, entryDate: 0, account: 'c', amount: -6_173 },
    ].map((l) => ({ ...l, description: '' }));
    const p = toPence(lines);
    expect(p.reduce((s, v) => s + v, 0)).toBe(0);
    expect(p).toEqual([124, -62, -62]);
  });

  it('neutralises formula-looking descriptions and accounts; amounts stay numbers, negative ones too', () => {
    const lines = [
      { entryNo: 7, entryDate: T0, account: '@SUM(A1)', amount: 12_300, description: '=HYPERLINK("http://evil.example","x")' },
      { entryNo: 7, entryDate: T0, account: '2100', amount: -12_300, description: '+cmd' },
    ];
    expect(renderCsv('sage50', lines).split('\r\n').slice(1, 3)).toEqual([
      `JD,,'@SUM(A1),0,05/01/2026,SB7,"'=HYPERLINK(""http://evil.example"",""x"")",1.23,T9,0.00`,
      "JC,,2100,0,05/01/2026,SB7,'+cmd,1.23,T9,0.00",
    ]);
    expect(renderCsv('xero', lines).split('\r\n').slice(1, 3)).toEqual([
      `Stockbook entry 7,05/01/2026,"'=HYPERLINK(""http://evil.example"",""x"")",'@SUM(A1),No VAT,1.23`,
      "Stockbook entry 7,05/01/2026,'+cmd,2100,No VAT,-1.23",
    ]);
  });

  it('dates each line on its business day in the company time zone: 00:30 BST on 1 July is 01/07/2026', () => {
    const at = Date.parse('2026-07-01T00:30:00+01:00');
    const lines = [
      { entryNo: 1, entryDate: at, account: '1200', amount: 100, description: 'x' },
      { entryNo: 1, entryDate: at, account: '2100', amount: -100, description: 'x' },
    ];
    expect(renderCsv('sage50', lines, 'Europe/London').split('\r\n')[1]).toContain(',01/07/2026,');
    expect(renderCsv('xero', lines, 'Europe/London').split('\r\n')[1]).toContain(',01/07/2026,');
    expect(renderCsv('xero', lines, 'UTC').split('\r\n')[1]).toContain(',30/06/2026,');
  });

  for (const format of ['sage50', 'xero'] as const) {
    it(`${format}: every movement once, each entry balances to the penny, totals within rounding of ours, crash-safe rewrite`, async () => {
      const dir = join(p.dir, format);
      const target = await p.openTarget(`csv:${format}:${dir}`);
      const r = await runPosting(p.store, target, { to: T0 + 86_400_000, summarised: false, userId: p.ids.admin, chunkSize: 16 });
      expect(r.movementCount).toBe(60);
      expect(r.entryCheckOk).toBe(true);
      expect(await target.findBatch(r.batchId)).toEqual({ found: true, entries: r.entryCount });
      const rows = readRows(dir, format);
      const byRef = new Map<string, number>();
      for (const row of rows) byRef.set(row.ref, (byRef.get(row.ref) ?? 0) + row.pence);
      expect(byRef.size).toBe(r.entryCount);
      for (const sum of byRef.values()) expect(sum).toBe(0);
      const perAccount = new Map<string, number>();
      for (const row of rows) perAccount.set(row.account, (perAccount.get(row.account) ?? 0) + row.pence);
      for (const a of r.accounts) expect(Math.abs((perAccount.get(a.code) ?? 0) * 100 - (a.debit - a.credit))).toBeLessThanOrEqual(r.entryCount * 100);
      // a crash after writing a file but before recording it: the rewrite lands on the same name, nothing doubles
      const files = readdirSync(dir).length;
      await p.rows('UPDATE journal_chunks SET exported_end = NULL');
      await target.sync();
      expect(readdirSync(dir).length).toBe(files);
      expect(readRows(dir, format)).toEqual(rows);
    });
  }

  it('a batch that recorded its folder id as its start (before migration 0043) is still written only to that folder', async () => {
    const dir = join(p.dir, 'old');
    const target = await p.openTarget(`csv:xero:${dir}`);
    const batch = await p.store.createBatch({ target: target.key, postedTo: T0, summarised: false, userId: p.ids.admin, now: T0, lastEntry: 0, ...(await target.startMark()) });
    const id = Number((await p.store.batch(batch)).target_id);
    expect(id).toBe(Number(readFileSync(join(dir, FOLDER_ID_FILE), 'utf8')));
    // as recorded before target_id: the folder id in target_start
    await p.rows('UPDATE journal_batches SET target_start = target_id, target_id = NULL');
    await p.rows('INSERT INTO journal_chunks (batch_id, chunk_no, item_count, line_count) VALUES (?, 0, 0, 0)', [batch]);
    writeFileSync(join(dir, FOLDER_ID_FILE), '7\n');
    await expect((async () => target.sync())()).rejects.toThrow(`Batch ${batch} was started in another folder at ${dir} (folder id ${id}; this folder's ${FOLDER_ID_FILE} holds 7)`);
    writeFileSync(join(dir, FOLDER_ID_FILE), `${id}\n`);
    await target.sync();
    expect((await p.rows<{ exported_end: number }>('SELECT exported_end FROM journal_chunks')).map((c) => Number(c.exported_end))).toEqual([1]);
  });

  it('refuses rule accounts that the folder chart does not have', async () => {
    const dir = join(p.dir, 'x');
    const t = await p.openTarget(`csv:xero:${dir}`);
    writeFileSync(join(dir, 'accounts.csv'), 'Code,Name\r\n1200,Stock\r\n');
    await expect(runPosting(p.store, t, { to: T0 + 86_400_000, summarised: false, userId: p.ids.admin })).rejects.toThrow(/2100.*do not exist in Xero CSV folder/);
  });
});
