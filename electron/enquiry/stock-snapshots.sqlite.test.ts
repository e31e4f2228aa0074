import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instantOf, localDayNumber, startOfDay } from '../../shared/business-time';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { machineDefaults } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';
import { StockSnapshots } from './stock-snapshots';

/**
 * SQLite-only (stock-snapshots.test.ts reads stock at a date in the business zone on both stores): SQLite's own derived
 * snapshots (StockSnapshots: its cuts, refresh, read-only reads, rebuild swap and prepared reads); PostgreSQL keeps none.
 */
const LONDON = 'Europe/London';
let f: Fixture;

beforeEach(async () => {
  f = await openFixture();
  new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: LONDON }, Date.now());
  const { wh, bulk, admin } = f.ids;
  // 23:30 BST on 1 July (22:30 UTC) and 00:30 BST on 2 July (23:30 UTC on 1 July): different local days.
  for (const [at, qty] of [['2026-07-01T23:30:00+01:00', 1_000], ['2026-07-02T00:30:00+01:00', 500], ['2026-07-02T12:00:00+01:00', 250]] as const) {
    f.ledger.poster.post(f.doc('receipt', [{ productId: bulk, siteId: wh, type: 'stock_receipt', qty, unitCost: 10_000 }], { occurredAt: new Date(at).toISOString() }), admin);
  }
});
afterEach(async () => f.cleanup());

const snapshotRows = () =>
  f.ledger.db.prepare('SELECT day_end, product_id, site_id, bin_id, batch_id, qty FROM stock_snapshots ORDER BY day_end, product_id, site_id, bin_id, batch_id').all() as { qty: number }[];
const qtyAt = (snaps: StockSnapshots, at: number) => snaps.stockAt(at, { productId: f.ids.bulk, siteId: f.ids.wh, level: 'site' }).rows[0]?.qty ?? 0;

describe('SQLite daily stock snapshots in the business time zone', () => {
  it('cuts each snapshot at local midnight (Europe/London, BST), holding exactly the movements of the local days before it', () => {
    const snaps = new StockSnapshots(f.ledger.db, { spacing: 1, clock: () => Date.parse('2026-08-01T00:00:00Z') });
    snaps.rebuild();
    const cuts = f.ledger.db.prepare('SELECT day_end, SUM(qty) AS qty FROM stock_snapshots GROUP BY day_end ORDER BY day_end').all() as { day_end: number; qty: number }[];
    expect(cuts).toEqual([
      { day_end: startOfDay('2026-07-02', LONDON), qty: 1_000 },
      { day_end: startOfDay('2026-07-03', LONDON), qty: 1_750 },
    ]);
    expect(new Date(cuts[0]!.day_end).toISOString()).toBe('2026-07-01T23:00:00.000Z');
  });

  it("a refresh on the writer never walks today's movements day by day; it still cuts at a midnight that has passed", () => {
    let now = Date.parse('2026-07-02T18:00:00+01:00'); // 2 July: two of the three movements are today's
    const snaps = new StockSnapshots(f.ledger.db, { spacing: 2, clock: () => now });
    // business_day counted per row (registered after the snapshots' own registration, which it replaces).
    let dayCalls = 0;
    f.ledger.db.function('business_day', { deterministic: true }, (at: unknown, zone: unknown) => (dayCalls++, localDayNumber(Number(at), String(zone))));
    snaps.refresh();
    expect({ dayCalls, cuts: snapshotRows().length }).toEqual({ dayCalls: 0, cuts: 0 }); // one movement before today: fewer than the spacing
    const today = () => f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 1, unitCost: 10_000 }], { occurredAt: new Date(now).toISOString() }), f.ids.admin);
    for (let i = 0; i < 20; i++) today();
    snaps.refresh();
    expect({ dayCalls, cuts: snapshotRows().length }).toEqual({ dayCalls: 0, cuts: 0 });
    now = Date.parse('2026-07-03T09:00:00+01:00'); // the next morning: 2 July's midnight has passed, 23 movements before it
    today();
    snaps.refresh();
    expect(dayCalls).toBeGreaterThan(0);
    expect(f.ledger.db.prepare('SELECT day_end, SUM(qty) AS qty FROM stock_snapshots GROUP BY day_end').all()).toEqual([{ day_end: startOfDay('2026-07-03', LONDON), qty: 1_770 }]);
  });

  it('reads stock at a date from snapshots cut at local midnights as at the end of that local day', () => {
    const snaps = new StockSnapshots(f.ledger.db, { spacing: 1, clock: () => Date.parse('2026-08-01T00:00:00Z') });
    snaps.rebuild();
    expect(qtyAt(snaps, instantOf('2026-07-01', LONDON))).toBe(1_000);
    expect(qtyAt(snaps, instantOf('2026-07-02', LONDON))).toBe(1_750);
    expect(qtyAt(snaps, instantOf('2026-07-02T00:30', LONDON))).toBe(1_500);
    expect(qtyAt(snaps, instantOf('2026-07-01T23:29:59Z', LONDON))).toBe(1_000);
  });

  it('read-only (a job thread), stock at a date leaves stale snapshots as they are and still counts a backdated movement recorded after them', () => {
    const clock = () => Date.parse('2026-08-01T00:00:00Z');
    const snaps = new StockSnapshots(f.ledger.db, { spacing: 1, clock });
    snaps.rebuild();
    const state = () => f.ledger.db.prepare('SELECT through_seq FROM stock_snapshot_state').pluck().get();
    const through = state();
    // Recorded now, effective on 1 July: before both snapshots' day ends.
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 7, unitCost: 10_000 }], { occurredAt: '2026-07-01T10:00:00Z' }), f.ids.admin);
    const readOnly = (at: number) => snaps.stockAt(at, { productId: f.ids.bulk, siteId: f.ids.wh, level: 'site', readOnly: true }).rows[0]?.qty ?? 0;
    expect(readOnly(instantOf('2026-07-01', LONDON))).toBe(1_007);
    expect(readOnly(instantOf('2026-07-02', LONDON))).toBe(1_757);
    expect(readOnly(instantOf('2026-07-01T09:00', LONDON))).toBe(0);
    expect(state()).toBe(through); // nothing written
    // The writer's own read refreshes first and agrees.
    expect(qtyAt(snaps, instantOf('2026-07-02', LONDON))).toBe(1_757);
    expect(state()).not.toBe(through);
  });

  it("a rebuild's swap writes only the rows that differ from the snapshots it was worked out from, and leaves the same snapshots as writing every row", () => {
    const snaps = new StockSnapshots(f.ledger.db, { spacing: 1, clock: () => Date.parse('2026-08-01T00:00:00Z') });
    snaps.rebuild();
    // Backdated to noon on 2 July: only the last cut (the end of 2 July) changes.
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 7, unitCost: 10_000 }], { occurredAt: '2026-07-02T11:30:00Z' }), f.ids.admin);
    const build = snaps.build();
    const changes = snaps.changesTo(build);
    expect(changes.drop).toEqual([]);
    expect(changes.cuts.map((c) => [c.dayEnd, [...c.set], [...c.remove]])).toEqual([[startOfDay('2026-07-03', LONDON), [f.ids.bulk, f.ids.wh, 0, 0, 1_757], []]]);
    const written = () => f.ledger.db.prepare('SELECT total_changes()').pluck().get() as number;
    const before = written();
    snaps.replace(build, Date.now(), changes);
    expect(written() - before).toBe(2); // the one row that differs, and the state row
    const swapped = snapshotRows();
    snaps.rebuild(); // every row written again from the movements
    expect(snapshotRows()).toEqual(swapped);
    expect(qtyAt(snaps, instantOf('2026-07-02', LONDON))).toBe(1_757);
  });

  it("a rebuild's changes are not applied to snapshots that changed after they were worked out (a refresh meanwhile): every row is written, and nothing is counted twice", () => {
    const snaps = new StockSnapshots(f.ledger.db, { spacing: 1, clock: () => Date.parse('2026-08-01T00:00:00Z') });
    snaps.rebuild();
    const build = snaps.build(); // the job's read: nothing differs yet
    const changes = snaps.changesTo(build);
    expect(changes.cuts).toEqual([]);
    // Meanwhile on the writer: a backdated receipt, folded into both cuts by a refresh.
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 7, unitCost: 10_000 }], { occurredAt: '2026-07-01T10:00:00Z' }), f.ids.admin);
    snaps.refresh();
    snaps.replace(build, Date.now(), changes);
    // The snapshots are the build's (through its head); the receipt, recorded after that head, is folded in once.
    expect(f.ledger.db.prepare('SELECT through_seq FROM stock_snapshot_state').pluck().get()).toBe(build.head);
    expect(snapshotRows().map((r) => r.qty)).toEqual([1_000, 1_750]);
    const readOnly = (at: number) => snaps.stockAt(at, { productId: f.ids.bulk, siteId: f.ids.wh, level: 'site', readOnly: true }).rows[0]?.qty ?? 0;
    expect(readOnly(instantOf('2026-07-01', LONDON))).toBe(1_007);
    expect(readOnly(instantOf('2026-07-02', LONDON))).toBe(1_757);
  });

  it('a refresh bounded to a few movements at a time (the tick on the writer) ends with the very snapshots one whole refresh makes, and reads right at every step', () => {
    const snaps = new StockSnapshots(f.ledger.db, { spacing: 2, clock: () => Date.parse('2026-08-01T00:00:00Z') });
    snaps.rebuild();
    const { bulk, wh, admin } = f.ids;
    // Backdated before both cuts, between them, after them; a new day's worth that makes a new cut; an issue.
    const at = ['2026-07-01T10:00:00Z', '2026-07-02T11:00:00Z', '2026-07-05T09:00:00Z', '2026-06-30T08:00:00Z', '2026-07-10T10:00:00Z', '2026-07-10T11:00:00Z', '2026-07-11T12:00:00Z'];
    at.forEach((occurredAt, i) => {
      const line = i === 3 ? { productId: bulk, siteId: wh, type: 'wastage', qty: -40 } : { productId: bulk, siteId: wh, type: 'stock_receipt', qty: 10 + i, unitCost: 10_000 };
      f.ledger.poster.post(f.doc(i === 3 ? 'write_off' : 'receipt', [line], { occurredAt }), admin);
    });
    const days = ['2026-06-30', '2026-07-01', '2026-07-02', '2026-07-03', '2026-07-06', '2026-07-10', '2026-07-11', '2026-07-12'].map((d) => instantOf(d, LONDON));
    const truth = (t: number) => f.ledger.db.prepare('SELECT COALESCE(SUM(qty), 0) FROM movements WHERE product_id = ? AND site_id = ? AND occurred_at <= ?').pluck().get(bulk, wh, t) as number;
    const readOnly = (t: number) => snaps.stockAt(t, { productId: bulk, siteId: wh, level: 'site', readOnly: true }).rows[0]?.qty ?? 0;
    f.ledger.db.exec('SAVEPOINT whole');
    expect(snapshotRows()).toHaveLength(1); // the end of 2 July
    expect(snaps.refresh()).toMatchObject({ folded: 7, behind: 0, cut: 1 });
    const whole = snapshotRows();
    expect(whole.map((r) => r.qty)).toEqual([1_731, 1_772]); // patched, and a new cut at the end of 10 July
    f.ledger.db.exec('ROLLBACK TO whole; RELEASE whole');
    const steps = [];
    for (let r = snaps.refresh(2); ; r = snaps.refresh(2)) {
      steps.push([r.folded, r.behind, r.cut > 0]);
      for (const t of days) expect(readOnly(t), new Date(t).toISOString()).toBe(truth(t));
      if (r.behind === 0) break;
    }
    expect(steps).toEqual([[2, 5, false], [2, 3, false], [2, 1, false], [1, 0, true]]); // new cuts only once caught up
    expect(snapshotRows()).toEqual(whole);
  });

  it('prepares each shape of the stock-at-a-date read once, however often it is asked (a hot path: no prepare per call)', () => {
    const snaps = new StockSnapshots(f.ledger.db, { spacing: 1, clock: () => Date.parse('2026-08-01T00:00:00Z') });
    snaps.rebuild();
    const prepare = vi.spyOn(f.ledger.db, 'prepare');
    const stockAtPrepares = () => prepare.mock.calls.filter(([sql]) => sql.includes('FROM stock_snapshots WHERE day_end = @snap') || sql.startsWith('SELECT COUNT(*) FROM movements INDEXED BY')).length;
    for (let i = 0; i < 3; i++) expect(qtyAt(snaps, instantOf('2026-07-02', LONDON))).toBe(1_750);
    // One shape (a snapshot, one product, one site, per site): its lines and its count, once.
    expect(stockAtPrepares()).toBe(2);
    for (let i = 0; i < 3; i++) expect(snaps.stockAt(instantOf('2026-07-02', LONDON), { level: 'batch' }).rows.map((r) => r.qty)).toEqual([1_750]);
    expect(stockAtPrepares()).toBe(4);
    prepare.mockRestore();
  });
});
