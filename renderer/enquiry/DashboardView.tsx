import { Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DashboardData } from '../../shared/enquiry';
import { formatMoney, formatQuantity } from '../../shared/quantity';
import { ErrorBar } from '../common/ErrorBar';
import { useCall } from './use-call';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '10px', padding: '8px 12px 12px', overflow: 'auto', flexGrow: 1, minHeight: 0 },
  head: { display: 'flex', alignItems: 'center', gap: '16px' },
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
});

/** Series colours: Fluent-like, distinguishable, "Other" in grey. */
const COLORS = ['#0f6cbd', '#c50f1f', '#107c10', '#8764b8', '#ca5010', '#038387', '#986f0b', '#bf0077'];
const TOP_TYPES = 7;
const PERIODS = [7, 30, 90, 365] as const;

const money = (v: number) => formatMoney(v);
const shortMoney = (v: number) => {
  const pounds = v / 10_000;
  return Math.abs(pounds) >= 1e6 ? `£${(pounds / 1e6).toFixed(1)}m` : Math.abs(pounds) >= 1e3 ? `£${(pounds / 1e3).toFixed(0)}k` : `£${pounds.toFixed(0)}`;
};
const shortDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;

/** Movements by type per day (the most frequent types, the rest as Other), stock value over time, top movers. */
export function DashboardView() {
  const s = useStyles();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const { data, error, loading } = useCall('enquiry.dashboard', { days });
  const series = useMemo(() => (data ? stackByType(data) : null), [data]);
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
              <Text weight="semibold" data-testid="dash-movements">{data.movements.toLocaleString('en-GB')}</Text>
            </div>
            <div className={s.kpi}>
              <span className={s.k}>Stock value now (average cost)</span>
              <Text weight="semibold" data-testid="dash-value">{money(data.currentValue)}</Text>
            </div>
            <div className={s.kpi}>
              <span className={s.k}>Movement types</span>
              <Text weight="semibold">{data.types.length}</Text>
            </div>
          </div>
        ) : null}
      </div>
      {error ? <ErrorBar error={error} /> : null}
      {!data && loading ? <Spinner size="small" label="Adding up the movements…" /> : null}
      {data && series ? (
        <div className={s.grid}>
          <div className={`${s.card} ${s.wide}`}>
            <Text className={s.title}>Movements by type per day</Text>
            <div className={s.tall} data-testid="dash-by-type">
              {shown < 1 ? null : <ResponsiveContainer width="100%" height="100%">
                <BarChart data={series.rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="day" tickFormatter={shortDay} fontSize={11} minTickGap={12} />
                  <YAxis fontSize={11} width={56} tickFormatter={(v: number) => v.toLocaleString('en-GB')} />
                  <Tooltip labelFormatter={(d) => String(d)} formatter={(v) => Number(v).toLocaleString('en-GB')} />
                  <Legend wrapperStyle={{ fontSize: 11 }} />
                  {series.keys.map((k, i) => (
                    <Bar key={k.code} dataKey={k.code} name={k.name} stackId="t" fill={k.code === 'other' ? '#a19f9d' : COLORS[i % COLORS.length]} isAnimationActive={false} />
                  ))}
                </BarChart>
              </ResponsiveContainer>}
            </div>
          </div>
          <div className={s.card}>
            <Text className={s.title}>Stock value at the end of each day</Text>
            <div className={s.chart} data-testid="dash-value-chart">
              {shown < 2 ? null : <ResponsiveContainer width="100%" height="100%">
                <AreaChart data={data.value} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="day" tickFormatter={shortDay} fontSize={11} minTickGap={12} />
                  <YAxis fontSize={11} width={64} tickFormatter={shortMoney} domain={['auto', 'auto']} />
                  <Tooltip formatter={(v) => money(Number(v))} />
                  <Area type="monotone" dataKey="value" name="Stock value" stroke="#0f6cbd" fill="#cfe4fa" isAnimationActive={false} />
                </AreaChart>
              </ResponsiveContainer>}
            </div>
          </div>
          <div className={s.card}>
            <Text className={s.title}>Top movers (value out)</Text>
            <div className={s.chart} data-testid="dash-movers">
              {shown < 3 ? null : <ResponsiveContainer width="100%" height="100%">
                <BarChart
                  layout="vertical"
                  data={data.topMovers.map((m) => ({ ...m, label: m.name.length > 26 ? `${m.name.slice(0, 25)}…` : m.name }))}
                  margin={{ top: 4, right: 12, bottom: 0, left: 0 }}
                >
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis type="number" fontSize={11} tickFormatter={shortMoney} />
                  <YAxis type="category" dataKey="label" width={200} fontSize={11} interval={0} tick={{ width: 400 }} />
                  <Tooltip
                    formatter={(v, _n, item) => {
                      const m = (item as { payload: DashboardData['topMovers'][number] }).payload;
                      return [`${money(Number(v))} · ${formatQuantity(m.qtyOut, m.scale)} ${m.unit} out · ${m.movements} movements`, m.sku];
                    }}
                  />
                  <Bar dataKey="valueOut" name="Value out" fill="#0f6cbd" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>}
            </div>
          </div>
        </div>
      ) : null}
    </div>
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
  const hasOther = data.types.length > TOP_TYPES;
  const keys = [...top.map((t) => ({ code: t.code, name: t.name })), ...(hasOther ? [{ code: 'other', name: 'Other' }] : [])];
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
