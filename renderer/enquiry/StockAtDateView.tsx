import { Button, Field, Select, Spinner, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { SiteInfo } from '../../shared/domain';
import { ErrorBar } from '../common/ErrorBar';
import { dayOfMs, formatCount, formatDay, formatQuantity, plural } from '../common/format';
import { StatusBadge } from '../stock/StatusBadge';
import { ExportButton } from '../common/ExportButton';
import { formatMs } from './enquiry-format';
import { useCall } from './use-call';
import { DateTimeField } from '../common/DateTimeField';

const SHOWN = 2000;

const useStyles = makeStyles({
  pane: { display: 'flex', flexDirection: 'column', minHeight: 0, flexGrow: 1 },
  bar: { display: 'flex', alignItems: 'flex-end', gap: '12px', padding: '8px 12px', flexWrap: 'wrap' },
  scroll: { overflow: 'auto', flexGrow: 1, minHeight: 0, borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
  table: { borderCollapse: 'collapse', width: '100%', fontSize: tokens.fontSizeBase200, fontVariantNumeric: 'tabular-nums' },
  th: {
    position: 'sticky',
    top: 0,
    textAlign: 'left',
    padding: '6px 8px',
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground2,
    fontWeight: tokens.fontWeightSemibold,
    borderBottom: `1px solid ${tokens.colorNeutralStroke1}`,
  },
  td: { padding: '4px 8px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, whiteSpace: 'nowrap' },
  num: { textAlign: 'right' },
  note: { color: tokens.colorNeutralForeground3, padding: '0 12px 6px' },
});

/** The end of today in the company's time zone, as a wall-clock value (main reads it in that zone). */
const endOfTodayLocal = () => `${dayOfMs(Date.now())}T23:59:59`;

/** Inventory snapshot: stock per product/site(/bin/batch) as at a past date and time. */
export function StockAtDateView({ sites }: { sites: SiteInfo[] }) {
  const s = useStyles();
  const [at, setAt] = useState(endOfTodayLocal);
  const [siteId, setSiteId] = useState('');
  const [level, setLevel] = useState<'batch' | 'site'>('site');
  const [asked, setAsked] = useState<{ at: string; siteId?: number; level: 'batch' | 'site' } | null>(null);
  const { data, error, loading } = useCall('enquiry.stockAt', asked);
  const show = () => setAsked({ at, level, ...(siteId ? { siteId: Number(siteId) } : {}) });
  return (
    <div className={s.pane} data-testid="stock-at-date">
      <div className={s.bar}>
        <Field label="Stock as at" size="small">
          <DateTimeField mode="datetime" seconds value={at} onChange={setAt} data-testid="sad-at" />
        </Field>
        <Field label="Site" size="small">
          <Select size="small" value={siteId} onChange={(_, d) => setSiteId(d.value)}>
            <option value="">All sites</option>
            {sites.filter((x) => x.kind !== 'external').map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Detail" size="small">
          <Select size="small" value={level} onChange={(_, d) => setLevel(d.value as 'batch' | 'site')}>
            <option value="site">Per product and site</option>
            <option value="batch">Per bin and batch</option>
          </Select>
        </Field>
        <Button appearance="primary" size="small" onClick={show} data-testid="sad-show">
          Show stock
        </Button>
        <ExportButton request={asked ? { what: { list: 'stockAt', query: asked } } : null} name="stock-at-date" />
        {loading ? <Spinner size="tiny" /> : null}
      </div>
      {error ? <ErrorBar error={error} /> : null}
      {data ? (
        <Text size={200} className={s.note} data-testid="sad-summary">
          {plural(data.rows.length, 'line')} as at {formatMs(data.at)} — from the snapshot of {data.snapshotAt ? formatMs(data.snapshotAt) : 'the start'} plus{' '}
          {plural(data.movementsSince, 'movement')} since{data.rows.length > SHOWN ? `; the first ${formatCount(SHOWN)} are shown — export or narrow by site` : ''}.
        </Text>
      ) : null}
      <div className={s.scroll} tabIndex={0} role="region" aria-label="Stock at the date">
        {data ? (
          <table className={s.table}>
            <thead>
              <tr>
                <th className={s.th}>SKU</th>
                <th className={s.th}>Product</th>
                <th className={s.th}>Site</th>
                {level === 'batch' ? (
                  <>
                    <th className={s.th}>Bin</th>
                    <th className={s.th}>Batch</th>
                    <th className={s.th}>Expiry</th>
                  </>
                ) : null}
                <th className={mergeClasses(s.th, s.num)}>Quantity</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.slice(0, SHOWN).map((r, i) => (
                <tr key={i} data-testid="sad-row">
                  <td className={s.td}>{r.sku}</td>
                  <td className={s.td}>{r.name}</td>
                  <td className={s.td}>{r.siteCode}</td>
                  {level === 'batch' ? (
                    <>
                      <td className={s.td}>{r.binCode ?? '-'}</td>
                      <td className={s.td}>{r.batchCode ?? '-'}</td>
                      <td className={s.td}>{r.expiry ? formatDay(r.expiry) : '-'}</td>
                    </>
                  ) : null}
                  <td className={mergeClasses(s.td, s.num)}>
                    {formatQuantity(r.qty, r.scale)} {r.unit}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </div>
  );
}

/** Low-stock tracker: product/sites at or under their low-stock level, or out of stock. */
export function LowStockView({ onOpenProduct }: { onOpenProduct: (id: number) => void }) {
  const s = useStyles();
  const { data, error, loading } = useCall('enquiry.lowStock', { includeOut: true, limit: 2000 });
  return (
    <div className={s.pane} data-testid="low-stock">
      {error ? <ErrorBar error={error} /> : null}
      <div className={s.bar}>
        <Text size={200} data-testid="low-summary">
          {loading ? 'Loading…' : data ? `${formatCount(data.lowCount)} low in stock, ${formatCount(data.outCount)} out of stock.` : ''}
        </Text>
        <ExportButton request={{ what: { list: 'lowStock', query: { includeOut: true } } }} name="low-stock" />
      </div>
      <div className={s.scroll} tabIndex={0} role="region" aria-label="Low stock">
        <table className={s.table}>
          <thead>
            <tr>
              <th className={s.th}>SKU</th>
              <th className={s.th}>Product</th>
              <th className={s.th}>Site</th>
              <th className={mergeClasses(s.th, s.num)}>On hand</th>
              <th className={mergeClasses(s.th, s.num)}>Low-stock level</th>
              <th className={s.th}>Status</th>
            </tr>
          </thead>
          <tbody>
            {(data?.rows ?? []).map((r) => (
              <tr key={`${r.productId}:${r.siteId}`} data-testid="low-row" onDoubleClick={() => onOpenProduct(r.productId)}>
                <td className={s.td}>{r.sku}</td>
                <td className={s.td}>{r.name}</td>
                <td className={s.td}>{r.siteName}</td>
                <td className={mergeClasses(s.td, s.num)}>{formatQuantity(r.onHand, r.scale)} {r.unit}</td>
                <td className={mergeClasses(s.td, s.num)}>{r.lowStockLevel === null ? '—' : formatQuantity(r.lowStockLevel, r.scale)}</td>
                <td className={s.td}>
                  <StatusBadge status={r.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
