import { Link, Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useMemo, useState, type ReactNode } from 'react';
import { hrefFor } from '../app/routes';
import { ErrorBar } from '../common/ErrorBar';
import { formatCount, formatMoney } from '../common/format';
import { MoversChart, TypesChart, ValueChart } from './DashboardCharts';
import { stackByType } from './dashboard-series';
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

const PERIODS = [7, 30, 90, 365] as const;

/** Movements by type per day (the most frequent types, the rest as "Other types"), stock value over time, top movers. */
export function DashboardView() {
  const s = useStyles();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const { data, error, loading } = useCall('enquiry.dashboard', { days });
  const series = useMemo(() => (data ? stackByType(data) : null), [data]);
  const periodName = days === 365 ? 'the last year' : `the last ${days} days`;
  const ledgerEmpty = data !== null && data !== undefined && data.movements === 0 && data.currentValue === 0 && data.value.every((v) => v.value === 0);
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
                <TypesChart series={series} />
              )}
            </div>
          </div>
          <div className={s.card}>
            <Text className={s.title}>Stock value at the end of each day</Text>
            <div className={s.chart} data-testid="dash-value-chart">
              <ValueChart value={data.value} />
            </div>
          </div>
          <div className={s.card}>
            <Text className={s.title}>Top movers by value out</Text>
            <div className={s.chart} data-testid="dash-movers">
              {data.topMovers.length === 0 ? (
                <EmptyChart title={`Nothing went out in ${periodName}.`} hint="Sales, despatches, wastage and transfers out show here by the value that left stock." />
              ) : (
                <MoversChart movers={data.topMovers} />
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
