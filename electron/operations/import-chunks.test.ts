import { describe, expect, it } from 'vitest';
import { jobFinished, storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { documentList, nextStageCount, STAGE_MAX_CHUNKS } from './import-chunks';
import { IMPORT_CHUNK_LINES } from './import-rules';

/**
 * An import posted as several documents (IMPORT_CHUNK_LINES rows each) on the configured store
 * (test/fixtures/store-under-test.ts): SQLite by default, PostgreSQL in `npm run test:unit:pg`, through
 * operations.importStart to its job.finished. SQLite's chunks kept aside and rolled forward at start-up:
 * import-chunks.sqlite.test.ts.
 */
let s: StoreUnderTest;

describe('documentList', () => {
  it('names one document, lists two, and shortens three or more in a row to a range', () => {
    expect(documentList([5])).toBe('document 5');
    expect(documentList([5, 6])).toBe('documents 5 and 6');
    expect(documentList([1, 2, 3, 7, 9, 10])).toBe('documents 1–3, 7, 9 and 10');
  });
});

describe('nextStageCount', () => {
  it("sizes the next write to the budget by the last one's time: at most double or half, never under one chunk or over the cap", () => {
    expect(nextStageCount(1, 0.1, 3)).toBe(2); // fast: doubles
    expect(nextStageCount(8, 3, 3)).toBe(8); // on budget: stays
    expect(nextStageCount(8, 4, 3)).toBe(6); // a little slow: scaled down
    expect(nextStageCount(8, 100, 3)).toBe(4); // very slow (a busy machine): halves only
    expect(nextStageCount(1, 100, 3)).toBe(1);
    expect(nextStageCount(STAGE_MAX_CHUNKS, 0.1, 3)).toBe(STAGE_MAX_CHUNKS);
  });
});

const KEY = 'chunked-import-1';
/** A rice file of `rows` rows (quantities from `first` up), whose content is its own. */
const riceFile = (rows: number, first: number) =>
  `sku,site,bin,qty,batch,expiry,serial,unit_cost\n${Array.from({ length: rows }, (_, i) => `RICE-1KG,WH1,A-01,${first + i},,,,1.00`).join('\n')}\n`;
let jobs = 0;
const start = (csv: string, idempotencyKey: string, fileName: string, jobId = `import-chunks-${process.pid}-${++jobs}`) =>
  s.call('operations.importStart', { csv, kind: 'inventory_import', jobId, idempotencyKey, fileName, occurredAt: '2026-01-05T09:00:00.000Z' });
/** Imports a file as the Import button does: the job's end. */
async function importFile(csv: string, idempotencyKey: string, fileName: string) {
  const jobId = `import-chunks-${process.pid}-${++jobs}`;
  await start(csv, idempotencyKey, fileName, jobId);
  return jobFinished(s, jobId);
}

describe('an import of more rows than one document', () => {
  storePerTest((opened) => (s = opened));

  it("posts one document per chunk under the import's key, in order, each row once; a second import of the file is refused naming them, never another import's whose key starts with its own", async () => {
    const rows = 2 * IMPORT_CHUNK_LINES + 20;
    // Another import under the key "<KEY>:1" posts its chunks as "<KEY>:1:1" and "<KEY>:1:2" first: not this import's documents.
    expect(await importFile(riceFile(IMPORT_CHUNK_LINES + 1, 100_000), `${KEY}:1`, 'other.csv')).toMatchObject({ ok: true });
    const mine = riceFile(rows, 1);
    expect(await importFile(mine, KEY, 'opening.csv')).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported 120 rows in 3 documents; posting took [\d.]+ s\.$/) as string });
    const docs = await s.rows<{ id: number; k: string; n: number | string; q: number | string }>(
      'SELECT d.id, d.idempotency_key AS k, COUNT(m.seq) AS n, SUM(m.qty) AS q FROM documents d JOIN movements m ON m.document_id = d.id GROUP BY d.id, d.idempotency_key ORDER BY d.id',
    );
    expect(docs.map((d) => [d.k, Number(d.n)])).toEqual([
      [`${KEY}:1:1`, IMPORT_CHUNK_LINES],
      [`${KEY}:1:2`, 1],
      [`${KEY}:1`, IMPORT_CHUNK_LINES],
      [`${KEY}:2`, IMPORT_CHUNK_LINES],
      [`${KEY}:3`, 20],
    ]);
    // Each row once, in the file's order (rice is kg to 3 decimals: 1 kg is 1,000).
    const qty = await s.rows<{ qty: number | string }>('SELECT m.qty FROM movements m JOIN documents d ON d.id = m.document_id WHERE d.idempotency_key IN (?, ?, ?) ORDER BY m.seq', [`${KEY}:1`, `${KEY}:2`, `${KEY}:3`]);
    expect(qty.map((r) => Number(r.qty))).toEqual(Array.from({ length: rows }, (_, i) => (i + 1) * 1_000));
    const [, , a, , c] = docs.map((d) => d.id);
    const before = await s.counts();
    await expect(start(mine, `${KEY}-again`, 'opening.csv')).rejects.toThrow(new RegExp(`^This file was already imported on .* as documents ${a}–${c} \\(opening\\.csv\\)\\. Importing it again would add its stock a second time, so nothing was imported\\.`));
    // The other import's file is named by its own documents; the same key again replays. Nothing more is written.
    await expect(start(riceFile(IMPORT_CHUNK_LINES + 1, 100_000), `${KEY}-other-again`, 'other.csv')).rejects.toThrow(
      new RegExp(`^This file was already imported on .* as documents ${docs[0]!.id} and ${docs[1]!.id} \\(other\\.csv\\)\\.`),
    );
    expect(await importFile(mine, KEY, 'opening.csv')).toMatchObject({ ok: true, message: expect.stringMatching(/already imported/) as string });
    expect(await s.counts()).toEqual(before);
  });

  it('a first document the ledger refuses writes nothing and leaves no import behind: once the cause is fixed, the same file under the same key imports', async () => {
    const serialIn = (idempotencyKey: string) =>
      s.call('operations.receive', { idempotencyKey, kind: 'inbound', siteId: s.ids.shop, dutyPaid: false, lines: [{ productId: s.ids.serial, qty: 1, serials: ['SN-9'], unitCost: 1 }] });
    await serialIn('serial-in-shop-9');
    const before = await s.counts();
    // SN-9 (already in stock) in the first document, more rice in the second: the file's check refuses it by the
    // poster's own rule (serialRefusal), before anything is staged.
    const csv = riceFile(IMPORT_CHUNK_LINES + 10, 1).replace('\n', '\nTAP-01,BAR,,1,,,SN-9,1.00\n');
    const refused = await importFile(csv, KEY, 'opening.csv');
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/row 2 of the file, serial: Serial SN-9 of TAP-01 is already in stock at Soho Bar/) as string });
    expect(await s.counts()).toEqual(before);
    expect(await s.count('import_files')).toBe(0);
    // The serial leaves the shop: the same file, under the same key, now posts whole.
    await s.call('operations.despatch', { idempotencyKey: 'serial-out-shop-9', kind: 'sale', siteId: s.ids.shop, lines: [{ productId: s.ids.serial, qty: 1, serials: ['SN-9'] }] });
    expect(await importFile(csv, KEY, 'opening.csv')).toMatchObject({ ok: true, message: expect.stringMatching(/^Imported 61 rows in 2 documents;/) as string });
    const docs = await s.rows<{ k: string; n: number | string }>('SELECT d.idempotency_key AS k, COUNT(m.seq) AS n FROM documents d JOIN movements m ON m.document_id = d.id WHERE d.idempotency_key LIKE ? GROUP BY d.id, d.idempotency_key ORDER BY d.id', [`${KEY}:%`]);
    expect(docs.map((d) => [d.k, Number(d.n)])).toEqual([[`${KEY}:1`, IMPORT_CHUNK_LINES], [`${KEY}:2`, 11]]);
  });
});
