import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenLedgerOnStore, type GoldenLedgerOnStore } from '../../test/fixtures/golden-ledger';
import { clusterForConfiguredStore } from '../../test/fixtures/store-under-test';

/**
 * The CSV export's bytes are a contract with whoever reads the files (accountants' macros, imports elsewhere): a fixed
 * ledger must export to exactly the bytes of the golden file, which the writer before its speed work produced
 * (`STOCKBOOK_WRITE_GOLDEN=1 npx vitest run electron/enquiry/movement-export.golden.test.ts` writes it anew, for a
 * deliberate change of the format only). The ledger holds what the writer has paths for (test/fixtures/golden-ledger.ts:
 * quoting, formulas, line breaks, non-ASCII text, scales 0–4, lots, serials, reversals, negative and large figures,
 * on-costs, backdated rows, both 2025 daylight-saving changes in London). It is posted on the configured store
 * (test/fixtures/store-under-test.ts) with the same ids and recorded times, so both stores must export the same bytes.
 */
const GOLDEN = join(__dirname, 'movement-export.golden.csv');
/**
 * The XLSX export of the same ledger, part by part as the zip holds them uncompressed (sheet XML, shared strings,
 * styles…): the SHA-256 and length of each, written by the writer before its speed work. The parts, not the zip's bytes,
 * so the compression may change; the cells, their types, styles and values may not.
 */
const GOLDEN_XLSX = join(__dirname, 'movement-export.golden.xlsx.json');

const cluster = clusterForConfiguredStore();
let g: GoldenLedgerOnStore;

beforeAll(async () => {
  g = await goldenLedgerOnStore(cluster());
}, 120_000);
afterAll(() => g?.close());

describe('movement export CSV bytes', () => {
  it('a fixed ledger exports to exactly the golden file, in London time across both daylight-saving changes', async () => {
    const file = join(g.dir, 'golden.csv');
    const n = await g.exportTo('csv', file);
    const got = readFileSync(file);
    if (process.env.STOCKBOOK_WRITE_GOLDEN === '1') writeFileSync(GOLDEN, got);
    expect(n).toBe(await g.movements());
    const want = readFileSync(GOLDEN);
    // Line by line first, so a difference shows where it is; then every byte (BOM, CRLF, the last line end).
    expect(got.toString('utf8').split('\r\n')).toEqual(want.toString('utf8').split('\r\n'));
    expect(got.equals(want)).toBe(true);
  });
});

describe('movement export XLSX parts', () => {
  it('a fixed ledger exports to exactly the golden parts (every cell, type, style and value), whatever the compression', async () => {
    const file = join(g.dir, 'golden.xlsx');
    const n = await g.exportTo('xlsx', file, { created: Date.UTC(2026, 0, 2, 3, 4, 5) });
    expect(n).toBe(await g.movements());
    const parts = Object.fromEntries(
      Object.entries(unzipSync(readFileSync(file))).map(([name, bytes]) => [name, `${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`]),
    );
    if (process.env.STOCKBOOK_WRITE_GOLDEN === '1') writeFileSync(GOLDEN_XLSX, `${JSON.stringify(parts, null, 2)}\n`);
    // On a difference, unzip golden.xlsx in the export's folder and compare its parts with what the writer wrote before the change.
    expect(parts).toEqual(JSON.parse(readFileSync(GOLDEN_XLSX, 'utf8')));
  });
});
