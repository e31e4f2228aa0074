import { Link, Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DashboardData } from '../../shared/enquiry';
import { hrefFor } from '../app/routes';
import { ErrorBar } from '../common/ErrorBar';
import { formatCount, formatDay, formatMoney, formatMoneyTick, formatQuantity, formatShortDay, plural } from '../common/format';
import { labelInterval, niceTicks, OTHER_COLOUR, typeColour } from './chart-scale';
import { useCall } from './use-call';
import { Waiting } from '../common/Waiting';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '10px', padding: '8px 12px 12px', overflow: 'auto', flexGrow: 1, minHeight: 0 },
  head: { display: 'flex', alignItems: 'center', gap: '16px', flexWrap: 'wrap' },
  kpis: { display: 'flex', gap: '24px', marginLeft: 'auto', fontVariantNumeric: 'tabular-nums' },
  kpi: { display: 'flex', flexDirection: 'column', alignItems: 'flex-end' },
  k: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase100 },
  grid: { display: 'grid', gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)', gap: '10px' },
  card: {
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    padding: '8px 8px 4px',
    display: 'flex',
    flexDirection: 'column',
    gap: '4px',
    minWidth: 0,
  },
  wide: { gridColumn: '1 / -1' },
  chart: { height: '240px' },
  tall: { height: '300px' },
  title: { fontWeight: tokens.fontWeightSemibold },
  empty: { display: 'flex', flexDirection: 'column', justifyContent: 'center', alignItems: 'center', gap: '4px', color: tokens.colorNeutralForeground3, textAlign: 'center', padding: '0 24px' },
  welcome: { display: 'flex', flexDirection: 'column', gap: '8px', maxWidth: '640px', padding: '16px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  steps: { margin: 0, paddingLeft: '20px', display: 'flex', flexDirection: 'column', gap: '4px' },
});

const TOP_TYPES = 7;
const PERIODS = [7, 30, 90, 365] as const;
const AXIS_FONT = 11;
/** Room one date label needs on the axis, gap included ("30/12" or "12/30" at 11 px). */
const DAY_LABEL_PX = 48;

/** Width of an element, followed as the window resizes (0 until measured). */
function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.round(entry?.contentRect.width ?? 0)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/** Movements by type per day (the most frequent types, the rest as "Other types"), stock value over time, top movers. */
export function DashboardView() {
  const s = useStyles();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const { data, error, loading } = useCall('enquiry.dashboard', { days });
  const series = useMemo(() => (data ? stackByType(data) : null), [data]);
  const periodName = days === 365 ? 'the last year' : `the last ${days} days`;
  const ledgerEmpty = data !== null && data !== undefined && data.movements === 0 && data.currentValue === 0 && data.value.every((v) => v.value === 0);
  const shown = useChartsOneByOne(data, 3);
  return (
    <div className={s.page} data-testid="dashboard">
      <div className={s.head}>
        <TabList size="small" selectedValue={String(days)} onTabSelect={(_, d) => setDays(Number(d.value) as (typeof PERIODS)[number])}>
          {PERIODS.map((p) => (
            <Tab key={p} value={String(p)} data-testid={`dash-${p}`}>
              {p === 365 ? 'Last year' : `Last ${p} days`}
            </Tab>
          ))}
        </TabList>
        {loading ? <Spinner size="extra-tiny" label="Updating…" /> : null}
        {data ? (
          <div className={s.kpis}>
            <div className={s.kpi}>
              <span className={s.k}>Movements in period</span>
              <Text weight="semibold" data-testid="dash-movements">{formatCount(data.movements)}</Text>
            </div>
            <div className={s.kpi}>
              <span className={s.k}>Stock value now (average cost)</span>
              <Text weight="semibold" data-testid="dash-value">{formatMoney(data.currentValue)}</Text>
            </div>
            <div className={s.kpi}>
              <span className={s.k}>Movement types</span>
              <Text weight="semibold">{data.types.length}</Text>
            </div>
          </div>
        ) : null}
      </div>
      {error ? <ErrorBar error={error} /> : null}
      {!data && loading ? <Waiting size="small" label="Adding up the movements…" /> : null}
      {ledgerEmpty ? <EmptyLedger /> : null}
      {data && series && !ledgerEmpty ? (
        <div className={s.grid}>
          <div className={`${s.card} ${s.wide}`}>
            <Text className={s.title}>Movements per day, by movement type</Text>
            <div className={s.tall} data-testid="dash-by-type">
              {data.movements === 0 ? (
                <EmptyChart title={`No movements in ${periodName}.`} hint="Choose a longer period above, or record a receipt, sale or count in Operations." />
              ) : (
                shown < 1 ? null : <TypesChart series={series} />
              )}
            </div>
          </div>
          <div className={s.card}>
            <Text className={s.title}>Stock value at the end of each day</Text>
            <div className={s.chart} data-testid="dash-value-chart">
              {shown < 2 ? null : <ValueChart value={data.value} />}
            </div>
          </div>
          <div className={s.card}>
            <Text className={s.title}>Top movers by value out</Text>
            <div className={s.chart} data-testid="dash-movers">
              {data.topMovers.length === 0 ? (
                <EmptyChart title={`Nothing went out in ${periodName}.`} hint="Sales, despatches, wastage and transfers out show here by the value that left stock." />
              ) : (
                shown < 3 ? null : <MoversChart movers={data.topMovers} />
              )}
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function EmptyChart({ title, hint }: { title: string; hint: ReactNode }) {
  const s = useStyles();
  return (
    <div className={s.empty} style={{ height: '100%' }} data-testid="dash-empty-chart">
      <Text weight="semibold">{title}</Text>
      <Text size={200}>{hint}</Text>
    </div>
  );
}

/** A ledger with nothing in it: what the dashboard will show, and the first steps to get there. */
function EmptyLedger() {
  const s = useStyles();
  return (
    <div className={s.welcome} data-testid="dash-empty">
      <Text as="h2" size={400} weight="semibold">
        Nothing to chart yet
      </Text>
      <Text>
        The dashboard shows movements per day, stock value over time and the products that move the most value, once stock has been recorded. To
        get there:
      </Text>
      <ol className={s.steps}>
        <li>
          Check the company&apos;s currency, time zone and date format in <Link href={hrefFor('company')}>Company</Link>.
        </li>
        <li>
          Add a site and its bins in <Link href={hrefFor('sites')}>Sites &amp; bins</Link>.
        </li>
        <li>
          Add products in <Link href={hrefFor('products')}>Products</Link>, or import a list in <Link href={hrefFor('catalog')}>Catalog</Link>.
        </li>
        <li>
          Receive your opening stock in <Link href={hrefFor('operations')}>Operations</Link> (Receive), or count it in{' '}
          <Link href={hrefFor('counts')}>Counts</Link>.
        </li>
      </ol>
      <Text size={200}>
        To look around first, load the demo data from the empty <Link href={hrefFor('stock')}>Current Stock</Link> window.
      </Text>
    </div>
  );
}

function TypesChart({ series }: { series: ReturnType<typeof stackByType> }) {
  const [ref, width] = useWidth();
  const max = Math.max(0, ...series.rows.map((r) => series.keys.reduce((a, k) => a + Number(r[k.code] ?? 0), 0)));
  const { ticks } = niceTicks(0, max);
  const yWidth = 12 + 7 * formatCount(ticks.at(-1) ?? 0).length;
  return (
    <div ref={ref} style={{ width: '100%', height: '100%' }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={series.rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={formatShortDay} fontSize={AXIS_FONT} interval={labelInterval(series.rows.length, width - yWidth, DAY_LABEL_PX)} />
          <YAxis fontSize={AXIS_FONT} width={yWidth} ticks={ticks} domain={[0, ticks.at(-1) ?? 1]} allowDecimals={false} tickFormatter={(v: number) => formatCount(v)} />
          <Tooltip labelFormatter={(d) => formatDay(String(d))} formatter={(v, name) => [plural(Number(v), 'movement'), name]} />
          <Legend wrapperStyle={{ fontSize: AXIS_FONT }} />
          {series.keys.map((k) => (
            <Bar key={k.code} dataKey={k.code} name={k.name} stackId="t" fill={k.code === 'other' ? OTHER_COLOUR : typeColour(k.code)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function ValueChart({ value }: { value: DashboardData['value'] }) {
  const [ref, width] = useWidth();
  const values = value.map((v) => v.value);
  const { ticks, step } = niceTicks(Math.min(...values), Math.max(...values));
  const label = (v: number) => formatMoneyTick(v, step);
  const yWidth = 12 + 7 * Math.max(...ticks.map((t) => label(t).length));
  return (
    <div ref={ref} style={{ width: '100%', height: '100%' }}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={value} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={formatShortDay} fontSize={AXIS_FONT} interval={labelInterval(value.length, width - yWidth, DAY_LABEL_PX)} />
          <YAxis fontSize={AXIS_FONT} width={yWidth} ticks={ticks} domain={[ticks[0] ?? 0, ticks.at(-1) ?? 1]} tickFormatter={label} />
          <Tooltip labelFormatter={(d) => formatDay(String(d))} formatter={(v) => [formatMoney(Number(v)), 'Stock value (average cost)']} />
          <Area type="monotone" dataKey="value" name="Stock value (average cost)" stroke="#0f6cbd" fill="#cfe4fa" isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}

function MoversChart({ movers }: { movers: DashboardData['topMovers'] }) {
  const { ticks, step } = niceTicks(0, Math.max(0, ...movers.map((m) => m.valueOut)), 4);
  // SKU first: two products may share a name, never a SKU.
  const rows = movers.map((m) => {
    const full = `${m.sku} · ${m.name}`;
    return { ...m, label: full.length > 30 ? `${full.slice(0, 29)}…` : full };
  });
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart layout="vertical" data={rows} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" fontSize={AXIS_FONT} ticks={ticks} domain={[0, ticks.at(-1) ?? 1]} tickFormatter={(v: number) => formatMoneyTick(v, step)} />
        <YAxis type="category" dataKey="label" width={200} fontSize={AXIS_FONT} interval={0} tick={{ width: 400 }} />
        <Tooltip
          formatter={(v, _n, item) => {
            const m = (item as { payload: DashboardData['topMovers'][number] }).payload;
            return [`${formatMoney(Number(v))} · ${formatQuantity(m.qtyOut, m.scale)} ${m.unit} out · ${plural(m.movements, 'movement')}`, `${m.sku} ${m.name}`];
          }}
        />
        <Bar dataKey="valueOut" name="Value out (average cost)" fill="#c50f1f" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/**
 * How many of the `count` charts to draw: one more per task after `data` arrives, so drawing them is three short
 * tasks instead of one long one that freezes the window (each chart lays out hundreds of SVG shapes).
 */
function useChartsOneByOne(data: unknown, count: number): number {
  const [shown, setShown] = useState<{ data: unknown; n: number }>({ data: null, n: 0 });
  const n = shown.data === data ? shown.n : 0;
  useEffect(() => {
    if (data === null || n >= count) return;
    const t = setTimeout(() => setShown({ data, n: n + 1 }), 0);
    return () => clearTimeout(t);
  }, [data, n, count]);
  return n;
}

/** Rows for a stacked bar chart: the TOP_TYPES most frequent types by code, everything else summed as "other". */
export function stackByType(data: DashboardData): { keys: { code: string; name: string }[]; rows: Record<string, number | string>[] } {
  const top = data.types.slice(0, TOP_TYPES);
  const topCodes = new Set(top.map((t) => t.code));
  const rest = data.types.length - TOP_TYPES;
  const keys = [...top.map((t) => ({ code: t.code, name: t.name })), ...(rest > 0 ? [{ code: 'other', name: `Other types (${rest})` }] : [])];
  const rows = data.byDay.map((d) => {
    const row: Record<string, number | string> = { day: d.day };
    for (const k of keys) row[k.code] = 0;
    for (const [code, n] of Object.entries(d.counts)) {
      const key = topCodes.has(code) ? code : 'other';
      row[key] = (row[key] as number) + n;
    }
    return row;
  });
  return { keys, rows };
}
