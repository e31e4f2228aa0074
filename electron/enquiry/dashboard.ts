import type Database from 'better-sqlite3';
import { dayOfNumber, endOfDay, localDayNumber, startOfDay } from '../../shared/business-time';
import type { DashboardData } from '../../shared/enquiry';
import { businessTimeZone } from '../company/business-time-zone';
import { getSetting, setSetting } from '../safety/settings-store';
import { runNow, value, type Awaitable, type Steps } from '../ledger/steps';
import { DashboardStore, type DayNetValue, type DayTypeCount } from './dashboard-store';
import { typeName } from './movement-query';

export const DAY_MS = 86_400_000;
/** Movements folded into the daily totals per step; the worker serves other requests between steps. */
const STEP = 250_000;

/** The business time zone the derived daily totals were folded in (a settings row); another zone folds them again. */
const ZONE_KEY = 'dashboard.zone';
/**
 * What the daily totals were folded by (a settings row): another rule folds them again. 2: value out counts the outbound
 * family only (dashboard-store.ts VALUE_OUT_TYPES_SQL); 1 (no row) counted every movement out, a receipt's reversal too.
 */
const FOLD_KEY = 'dashboard.fold';
const FOLD_RULE = 'value-out-outbound-2';

/**
 * The dashboard: movements by type per day, stock value at the end of each day, and top movers, read from derived
 * daily totals (dashboard_day_type, dashboard_day_product) by local day in the business time zone. The totals are folded in by seq (movements are append-only,
 * seq dense), so bringing them up to date reads only the movements since the last call, and a backdated movement
 * simply adds to its own day.
 */
export class Dashboard {
  private readonly store: DashboardStore;

  constructor(private readonly db: Database.Database, private readonly options: { timeZone?: string } = {}) {
    this.store = new DashboardStore(db);
  }

  private zone(): string {
    return this.options.timeZone ?? businessTimeZone(this.db);
  }

  /** Forgets the derived totals; the next refresh folds every movement again. */
  reset(): void {
    this.store.clear();
  }

  /** Folds the movements after through_seq into the daily totals, STEP at a time, awaiting between steps. */
  async refresh(yieldEvery: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<number> {
    const zone = this.zone();
    if (getSetting<string | null>(this.db, ZONE_KEY, null) !== zone || getSetting<string | null>(this.db, FOLD_KEY, null) !== FOLD_RULE) {
      this.db.transaction(() => {
        this.reset();
        setSetting(this.db, ZONE_KEY, zone);
        setSetting(this.db, FOLD_KEY, FOLD_RULE);
      })();
    }
    const head = this.store.headSeq();
    let through = this.store.throughSeq();
    const external = this.store.externalSiteIds();
    const step = this.db.transaction((a: number, b: number) => this.store.fold(a, b, zone, external));
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
    return runNow(readDashboard(this.store, days, now, this.zone(), topN));
  }
}

/** The days a dashboard spans: local day numbers [firstDay, lastDay] in `zone`, from the first's start to the last's end (epoch ms). */
export interface DashboardSpan {
  zone: string;
  firstDay: number;
  lastDay: number;
  from: number;
  to: number;
}

/**
 * What the charts are read from over a span (real sites only): SQLite's DashboardStore reads its derived daily totals
 * (brought up to date by Dashboard.refresh first), PostgreSQL's PgDashboardStore sums the movements of the span's days.
 */
export interface DashboardRecords {
  /** Movements per local day and type over the span's days. */
  dayTypeCounts(d: DashboardSpan): Awaitable<DayTypeCount[]>;
  /** Net value moved per local day from the span's first day on (later days too: they step today's value back). */
  netValueByDay(d: DashboardSpan): Awaitable<DayNetValue[]>;
  /** Today's stock value at average cost (not rounded). */
  currentValue(): Awaitable<number>;
  /** The `topN` products with the most value out over the span's days. */
  topMovers(d: DashboardSpan, topN: number): Awaitable<DashboardData['topMovers']>;
}

/**
 * The charts over the last `days` local days up to `now` in `zone` (the business time zone): counts by day and type,
 * the value at the end of each day stepped back from today's, top movers. The rule written once for both stores.
 */
export function* readDashboard(r: DashboardRecords, days: number, now: number, zone: string, topN = 10): Steps<DashboardData> {
  const lastDay = localDayNumber(now, zone);
  const firstDay = lastDay - days + 1;
  const span: DashboardSpan = { zone, firstDay, lastDay, from: startOfDay(dayOfNumber(firstDay), zone), to: endOfDay(dayOfNumber(lastDay), zone) };
  return chartsOf(span, {
    perType: yield* value(r.dayTypeCounts(span)),
    net: yield* value(r.netValueByDay(span)),
    currentValue: yield* value(r.currentValue()),
    topMovers: yield* value(r.topMovers(span, topN)),
  });
}

/** What the charts are drawn from, as the store read it over a span. */
interface DashboardTotals {
  perType: readonly DayTypeCount[];
  net: readonly DayNetValue[];
  /** Not rounded. */
  currentValue: number;
  topMovers: DashboardData['topMovers'];
}

/** The dashboard from the totals the store read over `span`. */
function chartsOf({ firstDay, lastDay, from, to }: DashboardSpan, t: DashboardTotals): DashboardData {
  const isoDay = dayOfNumber;
  const counts = new Map<number, Record<string, number>>();
  const typeTotals = new Map<string, number>();
  let movements = 0;
  for (const r of t.perType) {
    const c = counts.get(r.day) ?? {};
    c[r.type] = r.n;
    counts.set(r.day, c);
    typeTotals.set(r.type, (typeTotals.get(r.type) ?? 0) + r.n);
    movements += r.n;
  }

  const netByDay = new Map(t.net.map((r) => [r.day, r.v]));
  const currentValue = Math.round(t.currentValue);
  let after = 0;
  for (const [day, v] of netByDay) if (day > lastDay) after += v;
  const value: DashboardData['value'] = [];
  for (let day = lastDay; day >= firstDay; day--) {
    value.push({ day: isoDay(day), value: Math.round(currentValue - after) });
    after += netByDay.get(day) ?? 0;
  }
  value.reverse();

  const byDay: DashboardData['byDay'] = [];
  for (let day = firstDay; day <= lastDay; day++) byDay.push({ day: isoDay(day), counts: counts.get(day) ?? {} });
  const types = [...typeTotals].map(([code, count]) => ({ code, name: typeName(code), count })).sort((a, b) => b.count - a.count);
  return { from, to, types, byDay, value, topMovers: t.topMovers, movements, currentValue };
}
