import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovementLineInput } from '../../shared/contract/schemas';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { exportMovementsCsv, sqliteMovementSource } from './sqlite-movement-export';
import { writeMovementsXlsx } from './movement-export';
import { StatementCache } from './movement-query';

/**
 * The CSV export's bytes are a contract with whoever reads the files (accountants' macros, imports elsewhere): a fixed
 * ledger must export to exactly the bytes of the golden file, which the writer before its speed work produced
 * (`STOCKBOOK_WRITE_GOLDEN=1 npx vitest run electron/enquiry/movement-export.golden.test.ts` writes it anew, for a
 * deliberate change of the format only). The ledger holds what the writer has paths for: products at scales 0–4 with
 * texts that need quoting, bins and none, lots with and without expiry, serials, reversals, negative and large
 * quantities and costs, on-costs, notes that look like formulas or hold quotes, line breaks and non-ASCII text, document
 * references likewise, backdated rows, and times on both sides of both 2025 daylight-saving changes in London.
 */
const GOLDEN = join(__dirname, 'movement-export.golden.csv');
/**
 * The XLSX export of the same ledger, part by part as the zip holds them uncompressed (sheet XML, shared strings,
 * styles…): the SHA-256 and length of each, written by the writer before its speed work. The parts, not the zip's bytes,
 * so the compression may change; the cells, their types, styles and values may not.
 */
const GOLDEN_XLSX = join(__dirname, 'movement-export.golden.xlsx.json');

let f: Fixture;

const NOTES = ['=1+2', '+44 20 7946 0000', '-5', '@home', 'say "cheers", then go', 'two\r\nlines', ' edge ', 'Größe <b>&amp;</b> 🍷', 'tab\there', ''];
const REFERENCES = ['PO-1', '=HYPERLINK("x")', 'INV, 2025', 'Réf "7"', ''];

beforeAll(async () => {
  // Recorded times: the poster's clock, 13 min 13.5 s apart (the milliseconds are dropped in the file), from just before
  // the autumn change in London (2025-10-26 01:00 UTC).
  let now = Date.UTC(2025, 9, 25, 23, 30, 0, 250);
  f = await openFixture({ clock: () => (now += 793_500) });
  const r = f.ledger.reference;
  const { wh, shop, binA, binB, bulk, lot, serial, admin } = f.ids;
  const oil = r.addProduct({ sku: 'OIL,"1L"', name: 'Huile d’olive "extra", 1 l', unit: 'l', scale: 2, stockType: 'Supplied' });
  const saffron = r.addProduct({ sku: 'SAFFRON', name: 'Saffron\nthreads', unit: 'g', scale: 4, stockType: 'Supplied' });
  const clerk = r.addUser('clerk', 'Zoë "Clerk", Bar', []);
  const seqOf = () => f.ledger.db.prepare('SELECT MAX(seq) FROM movements').pluck().get() as number;
  for (let i = 0; i < 160; i++) {
    // Occurred: 41 min 17 s apart from just before the spring change (2025-03-30 01:00 UTC), every 7th document three
    // days earlier (backdated); the last ones jump to the autumn change, before they were recorded.
    const base = Date.UTC(2025, 2, 29, 21, 0, 0) + i * 2_477_000 + (i >= 120 ? 206 * 86_400_000 : 0);
    const occurredAt = new Date(base - (i % 7 === 3 ? 3 * 86_400_000 : 0)).toISOString();
    const note = NOTES[i % NOTES.length] || undefined;
    const reference = REFERENCES[i % REFERENCES.length] || undefined;
    const lines: MovementLineInput[] = [
      { productId: bulk, siteId: wh, binId: i % 2 ? binA : binB, type: 'inbound', qty: 1_250 + i * 37, unitCost: (i % 9) * 1_2345, note },
      { productId: lot, siteId: wh, binId: binA, batch: i % 4 ? { code: `L-${i % 11}`, expiry: `2026-${String(1 + (i % 11)).padStart(2, '0')}-15` } : { code: `NOEXP-${i % 3}` }, type: 'stock_receipt', qty: 1 + (i % 5), unitCost: 99_999_999_9999 - i, ...(i % 3 ? {} : { onCosts: { freight: 1_2345, customs: 5 + i, insurance: i % 2 ? 0 : 7 } }) },
      { productId: oil, siteId: i % 5 ? wh : shop, type: 'inbound', qty: 105 + i, unitCost: 3_3333 },
      { productId: saffron, siteId: wh, type: 'inbound', qty: 12_3456 + i, unitCost: 1 + i },
    ];
    if (i % 6 === 0) lines.push({ productId: serial, siteId: wh, binId: binA, serial: `SN-${String(i).padStart(4, '0')}`, type: 'inbound', qty: 1, unitCost: 990_0000 });
    f.ledger.poster.post(f.doc('receipt', lines, { occurredAt, reference, note }), i % 3 ? admin : clerk);
    if (i % 8 === 5) {
      // An over-recorded inbound taken back (negative quantity, reversal of the bulk line), and stock going out.
      const first = seqOf() - lines.length + 1;
      f.ledger.poster.post(f.docOf([{ productId: bulk, siteId: wh, binId: i % 2 ? binA : binB, type: 'inbound_reversal', qty: -(1_250 + i * 37), reversalOf: first, note: 'over-recorded' }], { occurredAt }), admin);
      f.ledger.poster.post(f.docOf([{ productId: oil, siteId: wh, type: 'outbound', qty: -(40 + i) }], { occurredAt, reference: `SO-${i}` }), clerk);
    }
  }
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
