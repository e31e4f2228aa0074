import { Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { lazy, Suspense } from 'react';
import { formatCount, formatDay, formatQuantity } from '../common/format';
import { useCompany } from '../company/company-context';
import { ErrorBar } from '../common/ErrorBar';
import { SidePanel } from './SidePanel';
import { useCall } from './use-call';
import { Waiting } from '../common/Waiting';
import { TRACKING_NAMES } from '../../shared/domain';

const StockLevelChart = lazy(() => import('./StockLevelChart').then((m) => ({ default: m.StockLevelChart })));

const useStyles = makeStyles({
  facts: { display: 'grid', gridTemplateColumns: 'auto 1fr auto 1fr', gap: '2px 10px' },
  k: { color: tokens.colorNeutralForeground3 },
  v: { fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
  chart: { height: '200px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '6px 4px 0 0' },
  table: { width: '100%', borderCollapse: 'collapse', fontVariantNumeric: 'tabular-nums' },
  th: { textAlign: 'left', fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground3, padding: '4px', borderBottom: `1px solid ${tokens.colorNeutralStroke1}` },
  td: { padding: '3px 4px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}` },
  num: { textAlign: 'right' },
});

/** Product details: stock by site/bin/batch, cost, and the stock level over time. */
export function ProductDetailsPanel({ productId, onClose }: { productId: number; onClose: () => void }) {
  const s = useStyles();
  /** Money in the company's base currency and locale. */
  const { unitMoney } = useCompany().format;
  const { data, error, loading } = useCall('enquiry.productDetails', { productId });
  const q = (n: number) => (data ? formatQuantity(n, data.scale) : '');
  return (
    <SidePanel title={data ? data.name : 'Product'} subtitle={data ? `${data.sku} · ${data.stockType} · ${TRACKING_NAMES[data.tracking]}` : undefined} onClose={onClose} testId="product-details">
      {error ? <ErrorBar error={error} /> : null}
      {loading && !data ? <Waiting label="Loading the product…" /> : null}
      {data ? (
        <>
          <div className={s.facts}>
            <span className={s.k}>On hand</span>
            <span className={s.v} data-testid="pd-on-hand">{q(data.onHand)} {data.unit}</span>
            <span className={s.k}>Average cost</span>
            <span className={s.v}>{data.averageCost === null ? '—' : unitMoney(data.averageCost)}</span>
            <span className={s.k}>Low-stock level</span>
            <span className={s.v}>{data.lowStockLevel === null ? '—' : q(data.lowStockLevel)}</span>
            <span className={s.k}>Movements</span>
            <span className={s.v}>{formatCount(data.movementCount)}</span>
            {data.barcodes.length ? (
              <>
                <span className={s.k}>Barcodes</span>
                <span className={s.v} style={{ gridColumn: 'span 3' }}>{data.barcodes.join(', ')}</span>
              </>
            ) : null}
          </div>
          <Text size={200} weight="semibold">Stock level over time</Text>
          <div className={s.chart} data-testid="pd-chart">
            <Suspense fallback={<Waiting label="Drawing the chart…" />}>
              <StockLevelChart history={data.history} scale={data.scale} unit={data.unit} />
            </Suspense>
          </div>
          <Text size={200} weight="semibold">Stock by site, bin and batch</Text>
          <table className={s.table}>
            <thead>
              <tr>
                <th className={s.th}>Site</th>
                <th className={s.th}>Bin</th>
                <th className={s.th}>Batch</th>
                <th className={s.th}>Expiry</th>
                <th className={mergeClasses(s.th, s.num)}>Qty</th>
              </tr>
            </thead>
            <tbody>
              {data.lines.map((l, i) => (
                <tr key={i} data-testid="pd-line">
                  <td className={s.td}>{l.siteCode}</td>
                  <td className={s.td}>{l.binCode ?? '-'}</td>
                  <td className={s.td}>{l.batchCode ?? '-'}</td>
                  <td className={s.td}>{l.expiry ? formatDay(l.expiry) : '-'}</td>
                  <td className={mergeClasses(s.td, s.num)}>{q(l.qty)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </SidePanel>
  );
}
