import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MovementLineInput, PostDocumentInput } from '../../shared/contract/schemas';
import { AppError } from '../../shared/contract/errors';
import { openFixture, tableCounts, type Fixture } from '../../test/fixtures/ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { finishInterruptedImports, IN_PROGRESS, postImportChunk, REPLAYED, stageImportChunks, type StageResult } from './import-chunks';
import { runNow } from '../ledger/steps';
import { duplicateImport } from './import-rules';
import { ImportStore } from './import-store';
import { CompanyStore } from '../company/company-store';

/**
 * SQLite-only (import-chunks.test.ts runs an import's chunk documents on both stores): SQLite's writer keeps an import's
 * chunks aside and posts them one per write, rolled forward at start-up; PostgreSQL posts an import in one transaction.
 * The writer's side of an import posted in chunks, against a real ledger file. An interrupted import is set up the way
 * a killed process leaves it (chunks kept aside, some posted), then start-up's roll-forward runs on it.
 */
let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  expect(f.ledger.verify().ok).toBe(true);
  await f.cleanup();
});

const count = (sql: string, ...args: unknown[]) => f.ledger.db.prepare(sql).pluck().get(...args) as number;
const KEY = 'chunked-import-1';
const posting = (over: Partial<Parameters<typeof stageImportChunks>[1]['posting']> = {}) => ({
  idempotencyKey: KEY,
  requestHash: 'r'.repeat(64),
  contentHash: 'c'.repeat(64),
  confirmDuplicate: false,
  kind: 'inventory_import' as const,
  fileName: 'opening.csv',
  userId: f.ids.admin,
  rows: 6,
  chunks: 3,
  ...over,
});
const rice = (qty: number): MovementLineInput => ({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inventory_import', qty, unitCost: 1_0000, costSource: 'declared' });
const chunkDoc = (key: string, no: number, lines: MovementLineInput[]): PostDocumentInput => ({
  idempotencyKey: `${key}:${no}`,
  type: 'import',
  reference: `opening.csv (${no}/3)`,
  occurredAt: '2026-01-05T09:00:00.000Z',
  lines,
});
/** Keeps chunks aside in one write, as the job does before posting (numbered from `from`). */
const stage = (importId: number | null, p: ReturnType<typeof posting>, docs: PostDocumentInput[], from = 1): StageResult =>
  stageImportChunks(f.ledger, { importId, posting: p, chunks: docs.map((doc, i) => ({ chunkNo: from + i, document: JSON.stringify(doc) })) });
/** Keeps the three chunks of an import aside in one write; returns its id. */
function stageAll(p = posting(), docs = [1, 2, 3].map((no) => chunkDoc(p.idempotencyKey, no, [rice(no * 10), rice(no * 10 + 1)]))): number {
  return (stage(null, p, docs) as { importId: number }).importId;
}
/** The movements of each of an import's documents, by chunk number. */
const perChunk = (key = KEY) =>
  f.ledger.db
    .prepare(`SELECT d.idempotency_key AS k, COUNT(m.seq) AS n FROM documents d JOIN movements m ON m.document_id = d.id WHERE d.idempotency_key LIKE ? || ':%' GROUP BY d.id ORDER BY d.id`)
    .all(key) as { k: string; n: number }[];
/** Runs start-up's roll-forward and resolves with each job's end. */
function restart(): { resumed: number; finished: Promise<{ ok: boolean; message: string }[]> } {
  const ends: { ok: boolean; message: string }[] = [];
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  let expected = 0;
  const ctx = createWorkerContext(f.ledger, (event, payload) => {
    if (event !== 'job.finished') return;
    ends.push(payload as { ok: boolean; message: string });
    if (ends.length === expected) resolveAll();
  });
  expected = finishInterruptedImports(ctx);
  if (expected === 0) resolveAll();
  return { resumed: expected, finished: all.then(() => ends) };
}

describe('SQLite: keeping chunks aside', () => {
  it('keeps several chunks in one write, each once, in order; posting then takes them one per write', () => {
    const importId = stageAll();
    expect(f.ledger.db.prepare('SELECT chunk_no FROM import_posting_chunks WHERE import_id = ? ORDER BY chunk_no').pluck().all(importId)).toEqual([1, 2, 3]);
    expect(f.ledger.db.prepare('SELECT status, chunk_count AS chunks, row_count AS rows FROM import_postings').get()).toEqual({ status: 'staging', chunks: 3, rows: 6 });
    expect(count('SELECT COUNT(*) FROM movements')).toBe(0);
    expect(postImportChunk(f.ledger, importId)).toMatchObject({ done: false, postedChunks: 1, postedRows: 2 });
    expect(perChunk()).toEqual([{ k: `${KEY}:1`, n: 2 }]);
  });

  it('a later write to an import that has started posting is refused whole: none of its chunks is kept', () => {
    const p = posting({ rows: 8, chunks: 4 });
    const importId = (stage(null, p, [chunkDoc(KEY, 1, [rice(1), rice(2)])]) as { importId: number }).importId;
    expect(stage(importId, p, [2, 3].map((no) => chunkDoc(KEY, no, [rice(no), rice(no)])), 2)).toMatchObject({ importId });
    postImportChunk(f.ledger, importId);
    const before = tableCounts(f.ledger);
    const chunksBefore = count('SELECT COUNT(*) FROM import_posting_chunks');
    expect(() => stage(importId, p, [chunkDoc(KEY, 4, [rice(4)])], 4)).toThrow(
      /^This import is no longer being prepared \(it was cancelled or has started posting\); nothing more was added to it\.$/,
    );
    expect(tableCounts(f.ledger)).toEqual(before);
    expect(count('SELECT COUNT(*) FROM import_posting_chunks')).toBe(chunksBefore);
  });

  it('knows its documents by their chunk keys, in chunk order, never another import\'s whose key starts with its own', () => {
    // Another import under the key "<KEY>:1" posts its first chunk as "<KEY>:1:1" first: not one of this import's documents.
    const other = stageAll(posting({ idempotencyKey: `${KEY}:1`, contentHash: 'd'.repeat(64) }), [1, 2, 3].map((no) => chunkDoc(`${KEY}:1`, no, [rice(no)])));
    postImportChunk(f.ledger, other);
    const importId = stageAll();
    postImportChunk(f.ledger, importId);
    postImportChunk(f.ledger, importId);
    const store = new ImportStore(f.ledger.db);
    const ids = (key: string) => f.ledger.db.prepare('SELECT id FROM documents WHERE idempotency_key = ?').pluck().get(key) as number;
    expect(store.posting(importId)?.documentIds).toEqual([ids(`${KEY}:1`), ids(`${KEY}:2`)]);
    expect(store.posting(other)?.documentIds).toEqual([ids(`${KEY}:1:1`)]);
    // A chunk's commit writes no growing list of ids: the import's row keeps only its counts.
    expect(f.ledger.db.prepare('SELECT document_ids FROM import_postings WHERE id = ?').pluck().get(importId)).toBe('[]');
  });
});

describe('SQLite: an import interrupted part-way', () => {
  it('is finished at start-up: the remaining chunks post under the same keys, each row once, and only then is the file recorded', async () => {
    const importId = stageAll();
    expect(postImportChunk(f.ledger, importId)).toMatchObject({ done: false, postedRows: 2, postedChunks: 1 });
    // The process stops here. What it left: chunk 1 posted, the request recorded, the file not yet recorded as imported.
    expect(perChunk()).toEqual([{ k: `${KEY}:1`, n: 2 }]);
    expect(count('SELECT COUNT(*) FROM operation_requests WHERE idempotency_key = ?', KEY)).toBe(1);
    expect(count('SELECT COUNT(*) FROM import_files')).toBe(0);
    expect(count('SELECT COUNT(*) FROM import_posting_chunks WHERE import_id = ?', importId)).toBe(2);

    const { resumed, finished } = restart();
    expect(resumed).toBe(1);
    expect(await finished).toEqual([{ jobId: `import-resume-${importId}`, kind: 'import', ok: true, cancelled: false, message: 'Finished the import of opening.csv that was interrupted: 6 rows in 3 documents, each row posted once.' }]);
    expect(perChunk()).toEqual([1, 2, 3].map((no) => ({ k: `${KEY}:${no}`, n: 2 })));
    expect(f.ledger.db.prepare('SELECT qty FROM movements ORDER BY seq').pluck().all()).toEqual([10, 11, 20, 21, 30, 31]);
    expect(count('SELECT COUNT(*) FROM import_posting_chunks')).toBe(0);
    expect(f.ledger.db.prepare('SELECT status, posted_rows AS rows FROM import_postings').get()).toEqual({ status: 'posted', rows: 6 });
    expect(new ImportStore(f.ledger.db).earlier('c'.repeat(64))).toMatchObject([{ rows: 6, documentIds: perChunk().map((_, i) => i + 1) }]);
    // A second start finds nothing to do; the same key again replays; the same content is refused as imported.
    expect(restart().resumed).toBe(0);
    expect(stage(null, posting(), [chunkDoc(KEY, 1, [rice(10)])])).toEqual({ replayed: REPLAYED });
    expect(() => runNow(duplicateImport(new ImportStore(f.ledger.db), 'c'.repeat(64), false))).toThrow(/already imported on .* as documents 1–3 \(opening\.csv\)/);
  });

  it('left while its chunks were being kept aside, it posted nothing and is dropped at start-up', async () => {
    const before = tableCounts(f.ledger);
    stageAll();
    const { resumed, finished } = restart();
    expect(resumed).toBe(0);
    expect(await finished).toEqual([]);
    expect(tableCounts(f.ledger)).toEqual(before);
    expect(count('SELECT COUNT(*) FROM import_postings') + count('SELECT COUNT(*) FROM import_posting_chunks')).toBe(0);
  });

  it('while it posts, the same key answers "in progress", another key is a conflict, and the same file is refused', () => {
    const importId = stageAll();
    postImportChunk(f.ledger, importId);
    const before = tableCounts(f.ledger);
    expect(stage(null, posting(), [chunkDoc(KEY, 1, [rice(10)])])).toEqual({ replayed: IN_PROGRESS });
    expect(() => stage(null, posting({ requestHash: 'x'.repeat(64) }), [chunkDoc(KEY, 1, [rice(1)])])).toThrow(
      /A different operation was already posted with idempotency key "chunked-import-1"/,
    );
    const again = (): StageResult => stage(null, posting({ idempotencyKey: 'chunked-import-2' }), [chunkDoc('chunked-import-2', 1, [rice(10)])]);
    expect(again).toThrow(/^This file is being imported now \(started .* by .*; 2 of 6 rows posted\)\. Importing it again would add its stock a second time, so nothing was imported\. Wait for that import to finish\.$/);
    expect(tableCounts(f.ledger)).toEqual(before);
    expect(count('SELECT COUNT(*) FROM import_postings')).toBe(1);
    // Finishing it, then the roll-forward has nothing left; the content is now an earlier import.
    while (!postImportChunk(f.ledger, importId).done);
    expect(perChunk().map((c) => c.n)).toEqual([2, 2, 2]);
  });

  it('a chunk the ledger refuses after the first stops the import, named and counted, never recorded as imported; start-up leaves it', async () => {
    const serial = (sn: string): MovementLineInput => ({ productId: f.ids.serial, siteId: f.ids.shop, type: 'inventory_import', qty: 1, serial: sn, unitCost: 40_0000, costSource: 'declared' });
    const importId = stageAll(posting({ rows: 4, chunks: 2 }), [chunkDoc(KEY, 1, [rice(10), rice(11)]), chunkDoc(KEY, 2, [serial('SN-1'), serial('SN-2')])]);
    postImportChunk(f.ledger, importId);
    // A clerk receives SN-2 between the chunks.
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.serial, siteId: f.ids.shop, type: 'inbound', qty: 1, serial: 'SN-2', unitCost: 1 }]), f.ids.admin);
    const before = tableCounts(f.ledger);
    let refused: unknown;
    try {
      postImportChunk(f.ledger, importId);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toMatch(
      /^The import stopped after posting 2 of 4 rows \(document 1\): the ledger refused the next part \(.*SN-2.*\)\. The rows posted stay in the ledger and the file is not recorded as imported; import a file of the remaining rows once the cause is fixed\.$/,
    );
    expect(tableCounts(f.ledger)).toEqual(before);
    expect(perChunk()).toEqual([{ k: `${KEY}:1`, n: 2 }]);
    expect(count('SELECT COUNT(*) FROM import_files')).toBe(0);
    expect(f.ledger.db.prepare('SELECT status, error FROM import_postings').get()).toEqual({ status: 'stopped', error: (refused as AppError).message });
    // Not silently complete: the same file is refused, naming the stop; a restart does not retry it.
    expect(() => runNow(duplicateImport(new ImportStore(f.ledger.db), 'c'.repeat(64), false))).toThrow(/^An import of this file \(started .*\) stopped part-way with 2 of 4 rows posted as document 1\./);
    expect(restart().resumed).toBe(0);
    expect(() => postImportChunk(f.ledger, importId)).toThrow(/^The import stopped after posting 2 of 4 rows/);
    expect(tableCounts(f.ledger)).toEqual(before);
  });

  it("a German company's stopped import counts its rows as the company writes numbers (1.234), in the stop and in the refusal of the same file", () => {
    new CompanyStore(f.ledger.db).saveSettings({ name: 'Weinhandel GmbH', currency: 'EUR', timeZone: 'Europe/Berlin', locale: 'de-DE', fyStartMonth: 1 }, Date.now());
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.serial, siteId: f.ids.shop, type: 'inbound', qty: 1, serial: 'SN-2', unitCost: 1 }]), f.ids.admin);
    const serial: MovementLineInput = { productId: f.ids.serial, siteId: f.ids.shop, type: 'inventory_import', qty: 1, serial: 'SN-2', unitCost: 40_0000, costSource: 'declared' };
    const first = Array.from({ length: 1_200 }, (_, i) => rice(i + 1));
    const importId = stageAll(posting({ rows: 1_201, chunks: 2 }), [chunkDoc(KEY, 1, first), chunkDoc(KEY, 2, [serial])]);
    postImportChunk(f.ledger, importId);
    expect(() => postImportChunk(f.ledger, importId)).toThrow(/^The import stopped after posting 1\.200 of 1\.201 rows \(document 2\)/);
    expect(() => runNow(duplicateImport(new ImportStore(f.ledger.db), 'c'.repeat(64), false))).toThrow(/^An import of this file \(started .*\) stopped part-way with 1\.200 of 1\.201 rows posted as document 2\./);
  });

  it('a first chunk the ledger refuses drops the import: nothing written, as a one-transaction import', () => {
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.serial, siteId: f.ids.shop, type: 'inbound', qty: 1, serial: 'SN-9', unitCost: 1 }]), f.ids.admin);
    const before = tableCounts(f.ledger);
    const sn9: MovementLineInput = { productId: f.ids.serial, siteId: f.ids.shop, type: 'inventory_import', qty: 1, serial: 'SN-9', unitCost: 1, costSource: 'declared' };
    const importId = stageAll(posting({ rows: 3, chunks: 2 }), [chunkDoc(KEY, 1, [rice(1), sn9]), chunkDoc(KEY, 2, [rice(2)])]);
    expect(() => postImportChunk(f.ledger, importId)).toThrow(/SN-9/);
    expect(tableCounts(f.ledger)).toEqual(before);
    expect(count('SELECT COUNT(*) FROM import_postings') + count('SELECT COUNT(*) FROM import_posting_chunks') + count('SELECT COUNT(*) FROM operation_requests')).toBe(0);
  });
});
