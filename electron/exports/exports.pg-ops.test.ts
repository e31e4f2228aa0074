import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { ExportWhat } from '../../shared/contract/exports.schemas';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import type { ExportFormat, ExportJobInfo } from '../../shared/enquiry';
import { openBothLedgers, type BothLedgers } from '../../test/fixtures/both-ledgers';
import { enquiryOps, type EnquiryOps } from '../enquiry/enquiry.ops';
import { EXPORT_CHUNK, writeMovementsCsv, writeMovementsXlsx } from '../enquiry/movement-export';
import { sqliteMovementSource } from '../enquiry/sqlite-movement-export';
import { StatementCache } from '../enquiry/movement-query';
import { pgMovementExport } from '../enquiry/pg/pg-movement-export';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { SqliteLedgerCore } from '../ledger/store/sqlite-ledger-core';
import { setSetting } from '../safety/settings-store';
import { exportsOps, type ExportsOps } from './exports.ops';
import { exportsPgOpsWith } from './exports.pg-ops';
import { writeListFile } from './list-file';
import { listSource } from './list-sources';
import { sqliteListReads } from './list-export-job';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { PgStockStore } from '../enquiry/pg/pg-stock-store';
import { PgPostingStore } from '../posting/pg-posting-store';
import { runPosting } from '../posting/batch-runner';
import { PostingStore } from '../posting/posting-store';
import { BuiltinLedgerTarget } from '../posting/targets/builtin-ledger';
import { PgBuiltinTarget } from '../posting/targets/pg-targets';

/**
 * Exports on both stores: the same documents posted on SQLite and PostgreSQL (same ids, same times, a business time
 * zone far from UTC), then the same exports asked of exports.ops/enquiry.ops (SQLite) and exports.pg-ops
 * (PostgreSQL): the same job answers and the same file bytes (XLSX: the same bytes when made at the same time; through
 * the ops, the same parts but the creation time). A cancelled PostgreSQL export leaves no file.
 */
let cluster: TestCluster;
let both: BothLedgers;
let lite: { exports: ExportsOps; enquiry: EnquiryOps };
let pgOps: ReturnType<typeof exportsPgOpsWith>;
const ZONE = 'Pacific/Auckland';
const T0 = Date.UTC(2026, 2, 1, 9);
/** Notes that test the writers: formula starts, quotes, commas, XML's special characters, edge spaces, a line break. */
const NOTES: Record<number, string> = { 0: '=cmd, "x"', 1: '+SUM(A1) <b>&amp;</b>', 2: '-2+3', 3: '@x > y & z < w', 4: ' spaced ', 5: 'two\nlines' };
/** Documents for more movements than one export chunk. */
const DOCS = Math.ceil((EXPORT_CHUNK + 400) / 2);

beforeAll(async () => {
  cluster = await startTestCluster();
  let now = Date.UTC(2026, 5, 1);
  both = await openBothLedgers(cluster, () => now);
  const { wh, shop, binA, binB, bulk, lot, serial, admin } = both.pg.ids;
  expect(both.sqlite.ids).toEqual(both.pg.ids);
  setSetting(both.sqlite.ledger.db, 'company', { timeZone: ZONE }, now);
  await both.pg.pool.query('INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)', ['company', JSON.stringify({ timeZone: ZONE }), now]);
  both.sqlite.ledger.db.prepare('UPDATE products SET low_stock_level = ? WHERE id = ?').run(2_000_000, bulk);
  await both.pg.pool.query('UPDATE products SET low_stock_level = $1 WHERE id = $2', [2_000_000, bulk]);
  const docs: PostDocumentInput[] = [];
  for (let i = 0; i < DOCS; i++) {
    const lines: MovementLineInput[] = [
      { productId: bulk, siteId: wh, binId: i % 2 ? binA : binB, type: 'supplier_order', qty: 1250 + i, unitCost: 12_3456, note: NOTES[i % 97] },
      { productId: lot, siteId: i % 3 ? wh : shop, batch: { code: `L-${i % 13}`, expiry: `2027-${String(1 + ((i % 13) % 12)).padStart(2, '0')}-01` }, type: 'supplier_order', qty: 3, unitCost: 8000, ...(i % 7 ? {} : { onCosts: { freight: 1_2345, customs: 5 + i } }) },
    ];
    if (i % 400 === 0) lines.push({ productId: serial, siteId: wh, serial: `SN-${i}`, type: 'supplier_order', qty: 1, unitCost: 99_0000 });
    // Some entered late: effective two days before they were recorded (backdated).
    const occurred = T0 + Math.floor(i / 3) * 61_000 + (i % 3) - (i % 50 === 0 ? 2 * 86_400_000 : 0);
    docs.push({ idempotencyKey: `exp-${i}`, type: 'receipt', lines, occurredAt: new Date(occurred).toISOString(), reference: `PO-${i}` });
    if (i % 5 === 4) {
      const sale: MovementLineInput = { productId: bulk, siteId: wh, binId: binA, type: 'sale', qty: -700, unitCost: 12_3456, costSource: 'latest_at_site' };
      docs.push({ idempotencyKey: `exp-sale-${i}`, type: 'despatch', lines: [sale], occurredAt: new Date(occurred + 5).toISOString(), note: NOTES[i % 6] });
    }
  }
  const core = new SqliteLedgerCore(both.sqlite.ledger.db, both.sqlite.ledger.poster);
  for (const d of docs) {
    now += 1_000;
    expect(await both.pg.store.post(d, admin)).toEqual(await core.post(d, admin));
  }
  lite = { exports: exportsOps(both.sqliteCtx, { exportsDir: join(both.sqlite.dir, 'lite-exports') }), enquiry: enquiryOps(both.sqliteCtx, { exportsDir: join(both.sqlite.dir, 'lite-exports') }) };
  pgOps = exportsPgOpsWith(both.pgCtx, { exportsDir: join(both.sqlite.dir, 'pg-exports') });
}, 600_000);

afterAll(async () => {
  await both?.sqliteCtx.jobs.close();
  await both?.close();
  cluster?.stop();
});

/** The job's finished event, once it has come. */
async function finished(events: unknown[], jobId: string): Promise<void> {
  const done = () => events.some((e) => (e as { event: string; payload: { jobId?: string } }).event === 'job.finished' && (e as { payload: { jobId?: string } }).payload.jobId === jobId);
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
}

let jobs = 0;
/** The same export on both stores (the same job id), each waited for: its answer when started, its job when done. */
async function exportOnBoth(start: (ops: { lite: boolean }, jobId: string) => Promise<ExportJobInfo> | ExportJobInfo, get: (lite: boolean, jobId: string) => Promise<ExportJobInfo | null> | ExportJobInfo | null) {
  const jobId = `export-both-${++jobs}`;
  const started = { lite: await start({ lite: true }, jobId), pg: await start({ lite: false }, jobId) };
  await finished(both.events.sqlite, jobId);
  await finished(both.events.pg, jobId);
  return { started, done: { lite: (await get(true, jobId))!, pg: (await get(false, jobId))! } };
}

/** A job's answer without what differs by nature between the two runs: the clock, and the folder and time stamp in the file's name. */
const comparable = (info: ExportJobInfo) => {
  const stamp = (s: string | null) => s?.replace(/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d/, '<time>').replace(/^.*\/(?:lite|pg)-exports\//, '') ?? null;
  return { ...info, file: stamp(info.file), fileName: stamp(info.fileName), message: stamp(info.message), startedAt: 0, finishedAt: 0 };
};

/** An .xlsx's parts, its creation time left out. */
const xlsxParts = (file: string) => {
  const parts = unzipSync(readFileSync(file));
  return Object.fromEntries(Object.entries(parts).map(([name, bytes]) => [name, Buffer.from(bytes).toString('utf8').replace(/<dcterms:created[^<]*<\/dcterms:created>/, '')]));
};

function expectSameFiles(a: string, b: string, format: ExportFormat): void {
  if (format === 'csv') expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
  else expect(xlsxParts(b)).toEqual(xlsxParts(a));
}

const MOVEMENT_FILTERS: [string, (ids: BothLedgers['pg']['ids']) => MovementFilter][] = [
  ['everything', () => ({})],
  ['one product (whole histories)', (ids) => ({ productId: ids.bulk })],
  ['from a date on', () => ({ occurred: { from: T0 + 20 * 61_000 } })],
  ['a type (balances read per chunk)', () => ({ types: ['sale'] })],
  ['a search', () => ({ search: 'clar' })],
  ['a search that matches nothing', () => ({ search: 'zzz' })],
];

describe('movement exports on both stores', () => {
  it.each(MOVEMENT_FILTERS)('exports.start (movements): the same job answers and the same CSV bytes: %s', async (_name, make) => {
    const what: ExportWhat = { list: 'movements', filter: make(both.pg.ids) };
    const r = await exportOnBoth(
      ({ lite: l }, jobId) => (l ? lite.exports['exports.start'](jobId, what, 'csv', 'all', null) : pgOps['exports.start'](jobId, what, 'csv', 'all', null)),
      (l, jobId) => (l ? lite.exports['exports.job']({ jobId }) : pgOps['exports.job']({ jobId })),
    );
    expect(comparable(r.started.pg)).toEqual(comparable(r.started.lite));
    expect(r.done.lite.status).toBe('done');
    expect(comparable(r.done.pg)).toEqual(comparable(r.done.lite));
    expectSameFiles(r.done.lite.file, r.done.pg.file, 'csv');
  });

  it('the whole ledger is more than one chunk, and the CSV has every movement', async () => {
    const n = (await both.rows<{ n: number }>('SELECT COUNT(*) AS n FROM movements')).sqlite[0]!.n;
    expect(n).toBeGreaterThan(EXPORT_CHUNK);
    const r = await exportOnBoth(
      ({ lite: l }, jobId) => (l ? lite.enquiry['enquiry.exportStart'](jobId, { filter: {}, format: 'csv', summary: 'all' }) : pgOps['enquiry.exportStart'](jobId, { filter: {}, format: 'csv', summary: 'all' })),
      async (l, jobId) => (l ? lite.enquiry['enquiry.exports']() : await pgOps['enquiry.exports']()).find((j) => j.jobId === jobId) ?? null,
    );
    expect(r.done.pg.rows).toBe(n);
    expect(comparable(r.done.pg)).toEqual(comparable(r.done.lite));
    expectSameFiles(r.done.lite.file, r.done.pg.file, 'csv');
    expect((await pgOps['enquiry.exports']()).map(comparable)).toEqual(lite.enquiry['enquiry.exports']().map(comparable));
  });

  it('enquiry.exportStart as XLSX: the same parts; made at the same time, the same bytes', async () => {
    const filter: MovementFilter = { occurred: { to: T0 + 40 * 61_000 } };
    const r = await exportOnBoth(
      ({ lite: l }, jobId) => (l ? lite.enquiry['enquiry.exportStart'](jobId, { filter, format: 'xlsx', summary: 's' }) : pgOps['enquiry.exportStart'](jobId, { filter, format: 'xlsx', summary: 's' })),
      async (l, jobId) => (l ? lite.enquiry['enquiry.exports']() : await pgOps['enquiry.exports']()).find((j) => j.jobId === jobId) ?? null,
    );
    expect(comparable(r.done.pg)).toEqual(comparable(r.done.lite));
    expectSameFiles(r.done.lite.file, r.done.pg.file, 'xlsx');

    // The writers themselves, both sources, one creation time: byte for byte.
    const created = Date.UTC(2026, 0, 1);
    const dir = join(both.sqlite.dir, 'bytes');
    const signal = new AbortController().signal;
    for (const f of [{}, { types: ['sale'] }] as MovementFilter[]) {
      const db = both.sqlite.ledger.db;
      await writeMovementsXlsx(sqliteMovementSource(db, new StatementCache(db), f), join(dir, 'lite.xlsx'), signal, () => {}, ZONE, { created });
      await pgMovementExport(both.pg.pool, f, 'xlsx', { timeZone: ZONE, separator: ',' }, { created })(join(dir, 'pg.xlsx'), signal, () => {});
      expect(readFileSync(join(dir, 'pg.xlsx')).equals(readFileSync(join(dir, 'lite.xlsx')))).toBe(true);
      await writeMovementsCsv(sqliteMovementSource(db, new StatementCache(db), f), join(dir, 'lite.csv'), signal, () => {}, ZONE);
      await pgMovementExport(both.pg.pool, f, 'csv', { timeZone: ZONE, separator: ',' })(join(dir, 'pg.csv'), signal, () => {});
      expect(readFileSync(join(dir, 'pg.csv')).equals(readFileSync(join(dir, 'lite.csv')))).toBe(true);
    }
  });

  it('a cancelled PostgreSQL export says so, and leaves no file and no part file', async () => {
    const dir = join(both.sqlite.dir, 'pg-exports');
    const before = existsSync(dir) ? readdirSync(dir) : [];
    const started = await pgOps['enquiry.exportStart']('export-cancel', { filter: {}, format: 'xlsx', summary: 'all' });
    expect(both.pgCtx.cancelJob('export-cancel')).toBe(true);
    await finished(both.events.pg, 'export-cancel');
    const job = (await pgOps['enquiry.exports']()).find((j) => j.jobId === 'export-cancel')!;
    expect(job.status).toBe('cancelled');
    expect(job.message).toMatch(/^The export was cancelled after 0 of [\d,]+ rows; no file was left behind\.$/);
    expect(existsSync(started.file)).toBe(false);
    expect(existsSync(`${started.file}.part`)).toBe(false);
    expect(readdirSync(dir)).toEqual(before);
  });
});

const LISTS: [string, ExportWhat][] = [
  ['Current Stock', { list: 'currentStock', query: { status: 'all', sort: 'sku', direction: 'asc' } }],
  ['Current Stock, searched and sorted', { list: 'currentStock', query: { status: 'all', sort: 'onHand', direction: 'desc', search: 'ri' } }],
  ['Low stock', { list: 'lowStock', query: { includeOut: true } }],
  ['Stock at a date per site', { list: 'stockAt', query: { at: new Date(T0 + 10 * 61_000).toISOString(), level: 'site' } }],
  ['Stock at a date per bin and batch', { list: 'stockAt', query: { at: new Date(T0 + 3_000 * 61_000).toISOString(), level: 'batch' } }],
  ['Trial balance', { list: 'trialBalance', target: 'builtin' }],
];

describe('list exports on both stores', () => {
  beforeAll(async () => {
    // The movements posted to the built-in finance ledger on both, for a trial balance to export.
    const to = T0 + 30 * 86_400_000;
    const store = new PostingStore(both.sqlite.ledger.db);
    const pgStore = new PgPostingStore(both.pg.pool);
    const options = { to, summarised: false, userId: both.pg.ids.admin };
    const [a, b] = [await runPosting(store, new BuiltinLedgerTarget(store), options), await runPosting(pgStore, new PgBuiltinTarget(pgStore), options)];
    expect(b.batchId).toBe(a.batchId);
  }, 120_000);

  it.each(LISTS)('%s: the same job answers and the same CSV and XLSX', async (_name, what) => {
    for (const format of ['csv', 'xlsx'] as const) {
      const r = await exportOnBoth(
        ({ lite: l }, jobId) => (l ? lite.exports['exports.start'](jobId, what, format, 'x', null) : pgOps['exports.start'](jobId, what, format, 'x', null)),
        (l, jobId) => (l ? lite.exports['exports.job']({ jobId }) : pgOps['exports.job']({ jobId })),
      );
      expect(r.done.lite.status).toBe('done');
      expect(comparable(r.done.pg)).toEqual(comparable(r.done.lite));
      expectSameFiles(r.done.lite.file, r.done.pg.file, format);
    }
  });

  it('the list writers, both sources, one creation time: the same XLSX bytes', async () => {
    const created = Date.UTC(2026, 0, 1);
    const dir = join(both.sqlite.dir, 'list-bytes');
    const signal = new AbortController().signal;
    const what = LISTS[0]![1] as Exclude<ExportWhat, { list: 'movements' }>;
    await writeListFile(await listSource(sqliteListReads(both.sqlite.ledger.db, ZONE), what, ZONE), 'xlsx', join(dir, 'lite.xlsx'), signal, () => {}, { created });
    await readSnapshot(both.pg.pool, async (c) => {
      const stock = new PgStockStore(c);
      const reads = { currentStock: stock.currentStock.bind(stock), stockAt: stock.stockAt.bind(stock), trialBalance: (t: string) => new PgPostingStore(both.pg.pool).trialBalance(t) };
      return writeListFile(await listSource(reads, what, ZONE), 'xlsx', join(dir, 'pg.xlsx'), signal, () => {}, { created });
    });
    expect(readFileSync(join(dir, 'pg.xlsx')).equals(readFileSync(join(dir, 'lite.xlsx')))).toBe(true);
  });
});
