import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenClock, postGoldenLedger } from '../../../test/fixtures/golden-ledger';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { PgReferenceStore } from '../../ledger/pg/store/pg-reference-store';
import { startTestCluster, type TestCluster } from '../../ledger/pg/test-cluster';
import { pgMovementExport } from './pg-movement-export';

/**
 * The movement export's golden files (../movement-export.golden.test.ts) from PostgreSQL: the same fixed ledger
 * (test/fixtures/golden-ledger.ts: quoting, formulas, line breaks, non-ASCII text, scales 0–4, lots, serials, reversals,
 * negative and large figures, on-costs, backdated rows, both 2025 daylight-saving changes in London), posted through
 * PostgreSQL's store with the same ids and times, must export to exactly the same CSV bytes and XLSX parts.
 */
const GOLDEN = join(__dirname, '..', 'movement-export.golden.csv');
const GOLDEN_XLSX = join(__dirname, '..', 'movement-export.golden.xlsx.json');

let cluster: TestCluster;
let f: PgFixture;
let dir: string;

beforeAll(async () => {
  cluster = await startTestCluster();
  const clock = goldenClock();
  f = await openPgFixture(cluster, clock.now);
  dir = mkdtempSync(join(tmpdir(), 'stockbook-pg-golden-'));
  const r = new PgReferenceStore(f.pool);
  await postGoldenLedger(
    {
      ids: f.ids,
      addProduct: (p) => r.addProduct(p),
      addUser: async (username, displayName) =>
        (await f.pool.query<{ id: number }>('INSERT INTO users (username, display_name, permissions, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [username, displayName, '[]', clock.now()])).rows[0]!.id,
      post: (d, userId) => f.store.post(d, userId),
      maxSeq: async () => (await f.pool.query<{ top: number }>('SELECT MAX(seq) AS top FROM movements')).rows[0]!.top,
    },
    clock,
  );
}, 120_000);
afterAll(async () => {
  await f?.close();
  cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const style = { timeZone: 'Europe/London', separator: ',' as const };
const movements = async () => (await f.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM movements')).rows[0]!.n;

describe('movement export from PostgreSQL: the golden bytes', () => {
  it('the fixed ledger exports to exactly the golden CSV, in London time across both daylight-saving changes', async () => {
    const file = join(dir, 'golden.csv');
    const n = await pgMovementExport(f.pool, {}, 'csv', style)(file, new AbortController().signal, () => {});
    expect(n).toBe(await movements());
    const got = readFileSync(file);
    const want = readFileSync(GOLDEN);
    expect(got.toString('utf8').split('\r\n')).toEqual(want.toString('utf8').split('\r\n'));
    expect(got.equals(want)).toBe(true);
  });

  it('and to exactly the golden XLSX parts (every cell, type, style and value)', async () => {
    const file = join(dir, 'golden.xlsx');
    const n = await pgMovementExport(f.pool, {}, 'xlsx', style, { created: Date.UTC(2026, 0, 2, 3, 4, 5) })(file, new AbortController().signal, () => {});
    expect(n).toBe(await movements());
    const parts = Object.fromEntries(
      Object.entries(unzipSync(readFileSync(file))).map(([name, bytes]) => [name, `${bytes.length} ${createHash('sha256').update(bytes).digest('hex')}`]),
    );
    expect(parts).toEqual(JSON.parse(readFileSync(GOLDEN_XLSX, 'utf8')));
  });
});
