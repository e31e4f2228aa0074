import type Database from 'better-sqlite3';
import { dayOfNumber, endOfDay, localDayNumber, startOfDay } from '../../shared/business-time';
import type { DashboardData } from '../../shared/enquiry';
import { registerBusinessDay } from '../company/business-day-sql';
import { businessTimeZone } from '../company/business-time-zone';
import { getSetting, setSetting } from '../safety/settings-store';
import { inList } from './movement-filter';
import { typeName } from './movement-query';

export const DAY_MS = 86_400_000;
/** Movements folded into the daily totals per step; the worker serves other requests between steps. */
const STEP = 250_000;
/** 10^scale for the product scales we allow (0–6), in SQL. */
const POW10 = `CASE p.scale WHEN 0 THEN 1 WHEN 1 THEN 10 WHEN 2 THEN 100 WHEN 3 THEN 1000 WHEN 4 THEN 10000 WHEN 5 THEN 100000 ELSE 1000000 END`;

/** The business time zone the derived daily totals were folded in (a settings row); another zone folds them again. */
const ZONE_KEY = 'dashboard.zone';

/**
 * The dashboard: movements by type per day, stock value at the end of each day, and top movers, read from derived
 * daily totals (dashboard_day_type, dashboard_day_product) by local day in the business time zone. The totals are folded in by seq (movements are append-only,
 * seq dense), so bringing them up to date reads only the movements since the last call, and a backdated movement
 * simply adds to its own day.
 */
export class Dashboard {
  private readonly state: Database.Statement;
  private readonly head: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly options: { timeZone?: string } = {}) {
    registerBusinessDay(db);
    this.state = db.prepare('SELECT through_seq FROM dashboard_state WHERE id = 1').pluck();
    this.head = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM movements').pluck();
  }

  private zone(): string {
    return this.options.timeZone ?? businessTimeZone(this.db);
  }

  /** Forgets the derived totals; the next refresh folds every movement again. */
  reset(): void {
    this.db.exec('DELETE FROM dashboard_day_type; DELETE FROM dashboard_day_product; DELETE FROM dashboard_state;');
  }

  /** Folds the movements after through_seq into the daily totals, STEP at a time, awaiting between steps. */
  async refresh(yieldEvery: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<number> {
    const zone = this.zone();
    if (getSetting<string | null>(this.db, ZONE_KEY, null) !== zone) {
      this.db.transaction(() => {
        this.reset();
        setSetting(this.db, ZONE_KEY, zone);
      })();
    }
    const head = this.head.get() as number;
    let through = (this.state.get() as number | undefined) ?? 0;
    const external = this.db.prepare("SELECT id FROM sites WHERE kind = 'external'").pluck().all() as number[];
    const real = external.length ? `AND m.site_id NOT IN (${inList(external)})` : '';
    const byType = this.db.prepare(
      `INSERT INTO dashboard_day_type (day, type, n)
       SELECT business_day(m.occurred_at, @zone), m.type, COUNT(*) FROM movements m WHERE m.seq > @a AND m.seq <= @b ${real} GROUP BY 1, 2
       ON CONFLICT (day, type) DO UPDATE SET n = n + excluded.n`,
    );
    const byProduct = this.db.prepare(
      `INSERT INTO dashboard_day_product (day, product_id, n, qty_out, raw_out, raw_net)
       SELECT business_day(m.occurred_at, @zone), m.product_id, COUNT(*), SUM(CASE WHEN m.qty < 0 THEN -m.qty ELSE 0 END),
              SUM(CASE WHEN m.qty < 0 THEN -m.qty * m.unit_cost ELSE 0 END), SUM(m.qty * m.unit_cost)
       FROM movements m WHERE m.seq > @a AND m.seq <= @b ${real} GROUP BY 1, 2
       ON CONFLICT (day, product_id) DO UPDATE SET n = n + excluded.n, qty_out = qty_out + excluded.qty_out,
         raw_out = raw_out + excluded.raw_out, raw_net = raw_net + excluded.raw_net`,
    );
    const mark = this.db.prepare('INSERT INTO dashboard_state (id, through_seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET through_seq = excluded.through_seq');
    const step = this.db.transaction((a: number, b: number) => {
      byType.run({ a, b, zone });
      byProduct.run({ a, b, zone });
      mark.run(b);
    });
    let folded = 0;
    while (through < head) {
      const b = Math.min(head, through + STEP);
      step(through, b);
      folded += b - through;
      through = b;
      if (through < head) await yieldEvery();
    }
    return folded;
  }

  /** The charts over the last `days` local days (business time zone) up to `now` (call refresh first). */
  read(days: number, now: number, topN = 10): DashboardData {
    const zone = this.zone();
    const isoDay = dayOfNumber;
    const lastDay = localDayNumber(now, zone);
    const firstDay = lastDay - days + 1;
    const external = this.db.prepare("SELECT id FROM sites WHERE kind = 'external'").pluck().all() as number[];

    const perType = this.db
      .prepare('SELECT day, type, n FROM dashboard_day_type WHERE day BETWEEN ? AND ?')
      .all(firstDay, lastDay) as { day: number; type: string; n: number }[];
    const counts = new Map<number, Record<string, number>>();
    const typeTotals = new Map<string, number>();
    let movements = 0;
    for (const r of perType) {
      const c = counts.get(r.day) ?? {};
      c[r.type] = r.n;
      counts.set(r.day, c);
      typeTotals.set(r.type, (typeTotals.get(r.type) ?? 0) + r.n);
      movements += r.n;
    }

    // Net value moved per day from the first day on (later days too: they step today's value back).
    const net = this.db
      .prepare(`SELECT d.day, SUM(d.raw_net * 1.0 / ${POW10}) AS v FROM dashboard_day_product d JOIN products p ON p.id = d.product_id WHERE d.day >= ? GROUP BY d.day`)
      .all(firstDay) as { day: number; v: number }[];
    const netByDay = new Map(net.map((r) => [r.day, r.v]));
    const currentValue = Math.round(
      (this.db
        .prepare(
          `SELECT COALESCE(SUM(l.qty * c.average_cost * 1.0 / ${POW10}), 0)
           FROM (SELECT product_id, site_id, SUM(qty) AS qty FROM stock_levels GROUP BY product_id, site_id) l
           JOIN products p ON p.id = l.product_id JOIN cost_state c ON c.product_id = l.product_id AND c.site_id = l.site_id
           WHERE l.qty != 0 ${external.length ? `AND l.site_id NOT IN (${inList(external)})` : ''}`,
        )
        .pluck()
        .get() as number),
    );
    let after = 0;
    for (const [day, v] of netByDay) if (day > lastDay) after += v;
    const value: DashboardData['value'] = [];
    for (let day = lastDay; day >= firstDay; day--) {
      value.push({ day: isoDay(day), value: Math.round(currentValue - after) });
      after += netByDay.get(day) ?? 0;
    }
    value.reverse();

    const movers = this.db
      .prepare(
        `SELECT t.product_id AS productId, p.sku, p.name, p.unit, p.scale, t.n AS movements, t.qty_out AS qtyOut, ROUND(t.raw_out * 1.0 / ${POW10}) AS valueOut
         FROM (SELECT product_id, SUM(n) AS n, SUM(qty_out) AS qty_out, SUM(raw_out) AS raw_out FROM dashboard_day_product
               WHERE day BETWEEN ? AND ? GROUP BY product_id) t
         JOIN products p ON p.id = t.product_id ORDER BY valueOut DESC, movements DESC, p.sku LIMIT ?`,
      )
      .all(firstDay, lastDay, topN) as DashboardData['topMovers'];

    const byDay: DashboardData['byDay'] = [];
    for (let day = firstDay; day <= lastDay; day++) byDay.push({ day: isoDay(day), counts: counts.get(day) ?? {} });
    const types = [...typeTotals].map(([code, count]) => ({ code, name: typeName(code), count })).sort((a, b) => b.count - a.count);
    return { from: startOfDay(isoDay(firstDay), zone), to: endOfDay(isoDay(lastDay), zone), types, byDay, value, topMovers: movers, movements, currentValue };
  }
}
