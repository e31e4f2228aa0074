import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixture } from '../../test/fixtures/ledger';
import { openFixture } from '../../test/fixtures/ledger';
import { exportMovementsCsv } from './sqlite-movement-export';
import { StatementCache } from './movement-query';
import { DAY_MS, StockSnapshots } from './stock-snapshots';

/**
 * SQLite-only (stock-views.test.ts runs the rest on both stores): the SQLite snapshots' own patching and dropping
 * (StockSnapshots with a small spacing and patch limit; PostgreSQL keeps no snapshots), and SQLite's export writer with a
 * formula-start line note (no operation writes a movement note that starts with one) and cancelled before it starts.
 */
const D0 = Date.UTC(2025, 0, 1);
let f: Fixture;
let now = Date.UTC(2025, 6, 1);

beforeAll(async () => {
  f = await openFixture({ clock: () => (now += 1000) });
});
afterAll(() => f.cleanup());

function post(day: number, hour: number, lines: Parameters<Fixture['doc']>[1], reference?: string) {
  return f.ledger.poster.post(f.docOf(lines, { occurredAt: new Date(D0 + day * DAY_MS + hour * 3_600_000).toISOString(), reference }), f.ids.admin);
}

/** Ground truth: the sum of movements with occurred_at ≤ T per product/site/bin/batch (real sites only). */
function truth(at: number): Map<string, number> {
  const rows = f.ledger.db
    .prepare(
      `SELECT m.product_id || ':' || m.site_id || ':' || IFNULL(m.bin_id, 0) || ':' || IFNULL(m.batch_id, 0) AS k, SUM(m.qty) AS q
       FROM movements m JOIN sites s ON s.id = m.site_id AND s.kind != 'external' WHERE m.occurred_at <= ? GROUP BY k HAVING q != 0`,
    )
    .all(at) as { k: string; q: number }[];
  return new Map(rows.map((r) => [r.k, r.q]));
}

function answer(s: StockSnapshots, at: number): Map<string, number> {
  return new Map(s.stockAt(at).rows.map((x) => [`${x.productId}:${x.siteId}:${x.binId ?? 0}:${x.batchId ?? 0}`, x.qty]));
}

describe('SQLite stock snapshots and export writer', () => {
  it('a backdated movement patches the snapshots after it and leaves those before it; many at once drop and rebuild them, still exact', () => {
    const { wh, shop, binA, bulk, lot } = f.ids;
    for (let day = 0; day < 60; day++) {
      for (let k = 0; k < 5; k++) {
        post(day, (day * 5 + k) % 24, [
          { productId: bulk, siteId: wh, binId: binA, type: 'inbound', qty: 1000 + k, unitCost: 100 },
          { productId: lot, siteId: k % 2 ? wh : shop, batch: { code: `B${day % 4}` }, type: 'inbound', qty: 10 },
        ]);
      }
    }
    const s = new StockSnapshots(f.ledger.db, { spacing: 40, patchLimit: 30, clock: () => now });
    const dates = [D0 + 10 * DAY_MS, D0 + 10 * DAY_MS - 1, D0 + 25 * DAY_MS, D0 + 45 * DAY_MS, D0 - 1, D0 + 100 * DAY_MS];
    for (const at of dates) expect(answer(s, at)).toEqual(truth(at));
    expect(f.ledger.db.prepare('SELECT COUNT(DISTINCT day_end) FROM stock_snapshots').pluck().get() as number).toBeGreaterThan(5);

    const snapshotsUpTo = (t: number) => f.ledger.db.prepare('SELECT day_end, product_id, site_id, bin_id, batch_id, qty FROM stock_snapshots WHERE day_end <= ? ORDER BY 1,2,3,4,5').all(t);
    const before = snapshotsUpTo(D0 + 20 * DAY_MS);
    post(20, 5, [{ productId: bulk, siteId: wh, binId: binA, type: 'inbound', qty: 777_000, unitCost: 100 }], 'LATE-1');
    const refreshed = s.refresh();
    expect(refreshed.dropped).toBe(false);
    expect(refreshed.patched).toBeGreaterThan(0);
    expect(snapshotsUpTo(D0 + 20 * DAY_MS)).toEqual(before);
    for (const at of [...dates, D0 + 20 * DAY_MS + 5 * 3_600_000, D0 + 20 * DAY_MS + 5 * 3_600_000 - 1]) expect(answer(s, at)).toEqual(truth(at));

    for (let i = 0; i < 40; i++) post(30 + (i % 5), 1, [{ productId: lot, siteId: wh, batch: { code: 'LATE' }, type: 'inbound', qty: 3 }]);
    expect(s.refresh().dropped).toBe(true);
    for (const at of dates) expect(answer(s, at)).toEqual(truth(at));
  });

  it('the writer neutralises a formula-start note and, cancelled, leaves nothing behind', async () => {
    const { wh, bulk } = f.ids;
    post(80, 1, [{ productId: bulk, siteId: wh, type: 'inbound', qty: 2500, unitCost: 12_3456, note: '=SUM(A1:A9)' }]);
    const file = join(f.dir, 'exports', 'x.csv');
    const progress: number[] = [];
    const n = await exportMovementsCsv(f.ledger.db, new StatementCache(f.ledger.db), { occurred: { from: D0 + 80 * DAY_MS, to: D0 + 81 * DAY_MS } }, file, new AbortController().signal, (p) => progress.push(p.done), 'UTC');
    expect([n, progress.at(-1)]).toEqual([1, 1]);
    expect(readFileSync(file, 'utf8')).toContain(",'=SUM(A1:A9),Administrator,");
    const aborted = new AbortController();
    aborted.abort();
    await expect(exportMovementsCsv(f.ledger.db, new StatementCache(f.ledger.db), {}, join(f.dir, 'exports', 'y.csv'), aborted.signal, () => {}, 'UTC')).rejects.toThrow(/cancelled/);
    expect(() => readFileSync(join(f.dir, 'exports', 'y.csv'))).toThrow();
    expect(() => readFileSync(join(f.dir, 'exports', 'y.csv.part'))).toThrow();
  });
});
