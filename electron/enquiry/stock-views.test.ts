import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixture } from '../../test/fixtures/ledger';
import { openFixture } from '../../test/fixtures/ledger';
import { batchJourney } from './batch-journey';
import { exportHeader } from './movement-export';
import { exportMovementsCsv } from './sqlite-movement-export';
import { StatementCache } from './movement-query';
import { productDetails } from './product-details';
import { DAY_MS, StockSnapshots } from './stock-snapshots';

const D0 = Date.UTC(2025, 0, 1);
let f: Fixture;
let now = Date.UTC(2025, 6, 1);

/** A small seeded random so the property checks are repeatable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

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
  const r = s.stockAt(at);
  return new Map(r.rows.map((x) => [`${x.productId}:${x.siteId}:${x.binId ?? 0}:${x.batchId ?? 0}`, x.qty]));
}

describe('stock at a date, batch journey, product details, export', () => {
  it('stock at date equals the sum of movements up to T, before and after backdated postings', () => {
    const { wh, shop, binA, bulk, lot } = f.ids;
    const r = rng(7);
    for (let day = 0; day < 60; day++) {
      for (let k = 0; k < 5; k++) {
        const hour = Math.floor(r() * 24);
        post(day, hour, [
          { productId: bulk, siteId: wh, binId: binA, type: 'inbound', qty: 1000 + Math.floor(r() * 500), unitCost: 100 },
          { productId: lot, siteId: k % 2 ? wh : shop, batch: { code: `B${day % 4}` }, type: 'inbound', qty: 10 },
        ]);
        post(day, hour, [{ productId: bulk, siteId: wh, binId: binA, type: 'outbound', qty: -Math.floor(r() * 800) - 1 }]);
      }
    }
    const s = new StockSnapshots(f.ledger.db, { spacing: 40, patchLimit: 30, clock: () => now });
    const dates = Array.from({ length: 12 }, () => D0 + Math.floor(r() * 62 * DAY_MS));
    dates.push(D0 + 10 * DAY_MS, D0 + 10 * DAY_MS - 1, D0 - 1, D0 + 100 * DAY_MS);
    for (const at of dates) expect(answer(s, at)).toEqual(truth(at));
    const snaps = f.ledger.db.prepare('SELECT COUNT(DISTINCT day_end) FROM stock_snapshots').pluck().get() as number;
    expect(snaps).toBeGreaterThan(5);

    // A backdated movement (day 20): snapshots before day 20 stay untouched, later ones are patched.
    const before = f.ledger.db.prepare('SELECT day_end, product_id, site_id, bin_id, batch_id, qty FROM stock_snapshots WHERE day_end <= ? ORDER BY 1,2,3,4,5').all(D0 + 20 * DAY_MS);
    post(20, 5, [{ productId: bulk, siteId: wh, binId: binA, type: 'inbound', qty: 777_000, unitCost: 100 }], 'LATE-1');
    const refreshed = s.refresh();
    expect(refreshed.dropped).toBe(false);
    expect(refreshed.patched).toBeGreaterThan(0);
    expect(f.ledger.db.prepare('SELECT day_end, product_id, site_id, bin_id, batch_id, qty FROM stock_snapshots WHERE day_end <= ? ORDER BY 1,2,3,4,5').all(D0 + 20 * DAY_MS)).toEqual(before);
    for (const at of [...dates, D0 + 20 * DAY_MS + 5 * 3_600_000, D0 + 20 * DAY_MS + 5 * 3_600_000 - 1]) expect(answer(s, at)).toEqual(truth(at));

    // Many backdated movements at once: affected snapshots are dropped and rebuilt, still exact.
    for (let i = 0; i < 40; i++) post(30 + (i % 5), 1, [{ productId: lot, siteId: wh, batch: { code: 'LATE' }, type: 'inbound', qty: 3 }]);
    expect(s.refresh().dropped).toBe(true);
    for (const at of dates) expect(answer(s, at)).toEqual(truth(at));
    s.rebuild();
    for (const at of dates) expect(answer(s, at)).toEqual(truth(at));
    const site = s.stockAt(D0 + 40 * DAY_MS, { level: 'site', productId: bulk });
    expect(site.rows).toHaveLength(1);
    expect(site.rows[0]!.qty).toBe([...truth(D0 + 40 * DAY_MS)].filter(([k]) => k.startsWith(`${bulk}:`)).reduce((n, [, q]) => n + q, 0));
  });

  it('follows a batch through its whole life with the running remainder', () => {
    const { wh, shop, external, lot } = f.ids;
    post(70, 9, [{ productId: lot, siteId: wh, batch: { code: 'JOURNEY', expiry: '2027-01-31' }, type: 'stock_receipt', qty: 100, unitCost: 500 }], 'PO-J');
    post(71, 9, [
      { productId: lot, siteId: wh, batch: { code: 'JOURNEY' }, type: 'stock_transfer_out', qty: -30 },
      { productId: lot, siteId: shop, batch: { code: 'JOURNEY' }, type: 'stock_transfer_in', qty: 30 },
    ]);
    post(72, 9, [{ productId: lot, siteId: shop, batch: { code: 'JOURNEY' }, type: 'sale', qty: -12 }]);
    post(72, 9, [{ productId: lot, siteId: wh, batch: { code: 'JOURNEY' }, type: 'transfer_out', qty: -8 }, { productId: lot, siteId: external, batch: { code: 'JOURNEY' }, type: 'transfer_in', qty: 8 }]);
    // Backdated: recorded last, occurred first after the receipt.
    post(70, 12, [{ productId: lot, siteId: wh, batch: { code: 'JOURNEY' }, type: 'clear', qty: -5 }]);
    const id = f.ledger.db.prepare("SELECT id FROM batches WHERE code = 'JOURNEY'").pluck().get() as number;
    const j = batchJourney(f.ledger.db, id);
    expect(j.expiry).toBe('2027-01-31');
    expect(j.steps.map((s) => [s.type, s.qty, s.remainder])).toEqual([
      ['stock_receipt', 100, 100],
      ['clear', -5, 95],
      ['stock_transfer_out', -30, 65],
      ['stock_transfer_in', 30, 95],
      ['sale', -12, 83],
      ['transfer_out', -8, 75],
      ['transfer_in', 8, 75],
    ]);
    expect(j.remaining).toBe(75);
    const details = productDetails(f.ledger.db, lot);
    expect(details.lines.find((l) => l.batchCode === 'JOURNEY' && l.siteCode === 'BAR')!.qty).toBe(18);
    expect(details.onHand).toBe(details.lines.reduce((n, l) => n + l.qty, 0));
    expect(details.history.at(-1)!.balance).toBe(details.onHand);
  });

  it('exports the filtered movements to CSV, neutralising formulas, and leaves nothing behind on cancel', async () => {
    const { wh, bulk } = f.ids;
    post(80, 1, [{ productId: bulk, siteId: wh, type: 'inbound', qty: 2500, unitCost: 12_3456, note: '=SUM(A1:A9)' }], '+44 "quoted", ref');
    post(80, 2, [{ productId: bulk, siteId: wh, type: 'wastage', qty: -500, note: '@cmd|line\nbreak' }], '-minus');
    const file = join(f.dir, 'exports', 'x.csv');
    const filter = { occurred: { from: D0 + 80 * DAY_MS, to: D0 + 81 * DAY_MS } };
    const progress: number[] = [];
    const n = await exportMovementsCsv(f.ledger.db, new StatementCache(f.ledger.db), filter, file, new AbortController().signal, (p) => progress.push(p.done), 'UTC');
    expect(n).toBe(2);
    const text = readFileSync(file, 'utf8');
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(exportHeader('UTC').join(','));
    expect(lines[1]).toContain(',RICE-1KG,Arborio rice,WH1,,Inbound,inbound,2.500,');
    expect(lines[1]).toContain(",12.3456,30.8640,declared,receipt,\"'+44 \"\"quoted\"\", ref\",");
    expect(lines[1]).toContain(",'=SUM(A1:A9),Administrator,");
    expect(text).toContain(",Wastage,wastage,-0.500,");
    expect(text).toContain(",'-minus,");
    expect(text).toContain(`,"'@cmd|line\nbreak",`);
    expect(progress.at(-1)).toBe(2);
    const aborted = new AbortController();
    aborted.abort();
    await expect(exportMovementsCsv(f.ledger.db, new StatementCache(f.ledger.db), {}, join(f.dir, 'exports', 'y.csv'), aborted.signal, () => {}, 'UTC')).rejects.toThrow(/cancelled/);
    expect(() => readFileSync(join(f.dir, 'exports', 'y.csv'))).toThrow();
    expect(() => readFileSync(join(f.dir, 'exports', 'y.csv.part'))).toThrow();
  });
});
