import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { runPosting } from '../batch-runner';
import { PostingStore } from '../posting-store';
import { FOLDER_ID_FILE, renderCsv, toPence, type CsvFormat } from './csv-journal';
import { openTarget } from './open-target';

let f: Fixture;
let store: PostingStore;
const T0 = Date.UTC(2026, 0, 5, 9);

beforeEach(async () => {
  f = await openFixture();
  store = new PostingStore(f.ledger.db);
  const { bulk, wh } = f.ids;
  for (let i = 0; i < 30; i++) {
    const at = new Date(T0 + i * 60_000).toISOString();
    // awkward unit costs at scale 3 so values carry sub-penny parts
    f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty: 1_234, unitCost: 15_017 + i, onCosts: { freight: 123 } }], { occurredAt: at }), f.ids.admin);
    f.ledger.poster.post(f.doc('despatch', [{ productId: bulk, siteId: wh, type: 'stock_despatch', qty: -777, onCosts: { freight: 123, excise: 41 } }], { occurredAt: at }), f.ids.admin);
  }
});
afterEach(async () => f.cleanup());

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

describe('CSV journal targets (Sage 50 audit trail, Xero manual journals)', () => {
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
      const dir = join(f.dir, format);
      const target = openTarget(store, `csv:${format}:${dir}`);
      const r = await runPosting(store, target, { to: T0 + 86_400_000, summarised: false, userId: f.ids.admin, chunkSize: 16 });
      expect(r.movementCount).toBe(60);
      expect(r.entryCheckOk).toBe(true);
      expect(target.findBatch(r.batchId)).toEqual({ found: true, entries: r.entryCount });
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
      f.ledger.db.prepare('UPDATE journal_chunks SET exported_end = NULL').run();
      target.sync();
      expect(readdirSync(dir).length).toBe(files);
      expect(readRows(dir, format)).toEqual(rows);
    });
  }

  it('a batch that recorded its folder id as its start (before migration 0043) is still written only to that folder', () => {
    const dir = join(f.dir, 'old');
    const target = openTarget(store, `csv:xero:${dir}`);
    const batch = store.createBatch({ target: target.key, postedTo: T0, summarised: false, userId: f.ids.admin, now: T0, lastEntry: 0, ...target.startMark() });
    const { target_id: id } = store.batch(batch);
    expect(id).toBe(Number(readFileSync(join(dir, FOLDER_ID_FILE), 'utf8')));
    // as recorded before target_id: the folder id in target_start
    f.ledger.db.prepare('UPDATE journal_batches SET target_start = target_id, target_id = NULL').run();
    f.ledger.db.prepare('INSERT INTO journal_chunks (batch_id, chunk_no, item_count, line_count) VALUES (?, 0, 0, 0)').run(batch);
    writeFileSync(join(dir, FOLDER_ID_FILE), '7\n');
    expect(() => target.sync()).toThrow(`Batch ${batch} was started in another folder at ${dir} (folder id ${id}; this folder's ${FOLDER_ID_FILE} holds 7)`);
    writeFileSync(join(dir, FOLDER_ID_FILE), `${id}\n`);
    target.sync();
    expect(f.ledger.db.prepare('SELECT exported_end FROM journal_chunks').pluck().all()).toEqual([1]);
  });

  it('refuses rule accounts that the folder chart does not have', async () => {
    const dir = join(f.dir, 'x');
    const t = openTarget(store, `csv:xero:${dir}`);
    writeFileSync(join(dir, 'accounts.csv'), 'Code,Name\r\n1200,Stock\r\n');
    await expect(runPosting(store, t, { to: T0 + 86_400_000, summarised: false, userId: f.ids.admin })).rejects.toThrow(/2100.*do not exist in Xero CSV folder/);
  });
});
