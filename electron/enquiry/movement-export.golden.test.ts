import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { goldenClock, postGoldenLedger } from '../../test/fixtures/golden-ledger';
import { exportMovementsCsv, sqliteMovementSource } from './sqlite-movement-export';
import { writeMovementsXlsx } from './movement-export';
import { StatementCache } from './movement-query';

/**
 * The CSV export's bytes are a contract with whoever reads the files (accountants' macros, imports elsewhere): a fixed
 * ledger must export to exactly the bytes of the golden file, which the writer before its speed work produced
 * (`STOCKBOOK_WRITE_GOLDEN=1 npx vitest run electron/enquiry/movement-export.golden.test.ts` writes it anew, for a
 * deliberate change of the format only). The ledger holds what the writer has paths for (test/fixtures/golden-ledger.ts).
 * PostgreSQL's export of the same ledger must give the same bytes: pg/pg-movement-export.golden.test.ts.
 */
const GOLDEN = join(__dirname, 'movement-export.golden.csv');
/**
 * The XLSX export of the same ledger, part by part as the zip holds them uncompressed (sheet XML, shared strings,
 * styles…): the SHA-256 and length of each, written by the writer before its speed work. The parts, not the zip's bytes,
 * so the compression may change; the cells, their types, styles and values may not.
 */
const GOLDEN_XLSX = join(__dirname, 'movement-export.golden.xlsx.json');

let f: Fixture;

beforeAll(async () => {
  const clock = goldenClock();
  f = await openFixture({ clock: clock.now });
  const r = f.ledger.reference;
  await postGoldenLedger({
    ids: f.ids,
    addProduct: (p) => r.addProduct(p),
    addUser: (username, displayName) => r.addUser(username, displayName, []),
    post: (d, userId) => f.ledger.poster.post(d, userId),
    maxSeq: () => f.ledger.db.prepare('SELECT MAX(seq) FROM movements').pluck().get() as number,
  }, clock);
}, 60_000);
afterAll(() => f.cleanup());

describe('movement export CSV bytes', () => {
  it('a fixed ledger exports to exactly the golden file, in London time across both daylight-saving changes', async () => {
    const file = join(f.dir, 'golden.csv');
    const n = await exportMovementsCsv(f.ledger.db, new StatementCache(f.ledger.db), {}, file, new AbortController().signal, () => {}, 'Europe/London');
    const got = readFileSync(file);
    if (process.env.STOCKBOOK_WRITE_GOLDEN === '1') writeFileSync(GOLDEN, got);
    expect(n).toBe(f.ledger.db.prepare('SELECT COUNT(*) FROM movements').pluck().get());
    const want = readFileSync(GOLDEN);
    // Line by line first, so a difference shows where it is; then every byte (BOM, CRLF, the last line end).
    expect(got.toString('utf8').split('\r\n')).toEqual(want.toString('utf8').split('\r\n'));
    expect(got.equals(want)).toBe(true);
  });
});

describe('movement export XLSX parts', () => {
  it('a fixed ledger exports to exactly the golden parts (every cell, type, style and value), whatever the compression', async () => {
    const file = join(f.dir, 'golden.xlsx');
    const db = f.ledger.db;
    const n = await writeMovementsXlsx(sqliteMovementSource(db, new StatementCache(db), {}), file, new AbortController().signal, () => {}, 'Europe/London', { created: Date.UTC(2026, 0, 2, 3, 4, 5) });
    expect(n).toBe(db.prepare('SELECT COUNT(*) FROM movements').pluck().get());
    const parts = Object.fromEntries(
      Object.entries(unzipSync(readFileSync(file))).map(([name, bytes]) => [name, `${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`]),
    );
    if (process.env.STOCKBOOK_WRITE_GOLDEN === '1') writeFileSync(GOLDEN_XLSX, `${JSON.stringify(parts, null, 2)}\n`);
    // On a difference, unzip golden.xlsx in the fixture folder and compare its parts with what the writer wrote before the change.
    expect(parts).toEqual(JSON.parse(readFileSync(GOLDEN_XLSX, 'utf8')));
  });
});
