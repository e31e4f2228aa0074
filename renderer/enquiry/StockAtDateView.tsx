import { Button, Field, Select, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { CurrentStockPage, CurrentStockRow, SiteInfo } from '../../shared/domain';
import type { StockAtDateResult, StockAtDateRow } from '../../shared/enquiry';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { dayOfMs, formatCount, formatDateTime, formatQuantity, plural } from '../common/format';
import { VirtualGrid } from '../common/VirtualGrid';
import { StatusBadge } from '../stock/StatusBadge';
import { ExportButton } from '../common/ExportButton';
import { formatMs } from './enquiry-format';
import { DateTimeField } from '../common/DateTimeField';
import { emptyDateRefusal, typedDateRefusal } from '../common/date-refusal';
import type { AppError } from '../../shared/contract/errors';
import { STOCK_AT_NUMERIC, stockAtColumns } from './report-columns';
import { useReportPages } from './use-report-pages';

const useStyles = makeStyles({
  pane: { display: 'flex', flexDirection: 'column', minHeight: 0, flexGrow: 1 },
  bar: { display: 'flex', alignItems: 'flex-end', gap: '12px', padding: '8px 12px', flexWrap: 'wrap' },
  note: { color: tokens.colorNeutralForeground3, padding: '0 12px 6px' },
  // As wide as a date and time with seconds and am/pm: a refusal under it must not stretch the box.
  at: { width: '240px' },
});

/** The end of today in the company's time zone, as a wall-clock value (main reads it in that zone). */
const endOfTodayLocal = () => `${dayOfMs(Date.now())}T23:59:59`;

/** Inventory snapshot: stock per product/site(/bin/batch) as at a past date and time. */
export function StockAtDateView({ sites }: { sites: SiteInfo[] }) {
  const s = useStyles();
  const [at, setAt] = useState(endOfTodayLocal);
  /** The Stock as at text is not a date and time: Show stock refuses rather than ask for the time from before the typing. */
  const [atInvalid, setAtInvalid] = useState(false);
  const [refusal, setRefusal] = useState<AppError | null>(null);
  const [siteId, setSiteId] = useState('');
  const [level, setLevel] = useState<'batch' | 'site'>('site');
  const [asked, setAsked] = useState<{ at: string; siteId?: number; level: 'batch' | 'site' } | null>(null);
  const client = useClient();
  const askedKey = asked ? JSON.stringify(asked) : null;
  const stock = useReportPages<StockAtDateResult, StockAtDateRow>(askedKey, (offset, limit) =>
    client.call('enquiry.stockAt', { ...(JSON.parse(askedKey!) as NonNullable<typeof asked>), offset, limit }),
  );
  const data = stock.head;
  const columns = useMemo(() => stockAtColumns(asked?.level ?? 'site'), [asked?.level]);
  const show = () => {
    const bad = atInvalid ? typedDateRefusal('Stock as at') : !at ? emptyDateRefusal('Stock as at', 'the date and time to show the stock at') : null;
    setRefusal(bad);
    if (!bad) setAsked({ at, level, ...(siteId ? { siteId: Number(siteId) } : {}) });
  };
  return (
    <div className={s.pane} data-testid="stock-at-date">
      <div className={s.bar}>
        <Field label="Stock as at" size="small" validationMessage={refusal?.message} data-testid="sad-at-field">
          <DateTimeField mode="datetime" seconds className={s.at} value={at} onChange={(v) => {
              setRefusal(null);
              setAt(v);
            }} onInvalidChange={setAtInvalid} data-testid="sad-at" />
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
        {stock.loading ? <Spinner size="tiny" /> : null}
      </div>
      {stock.error ? <ErrorBar error={stock.error} /> : null}
      {data ? (
        <Text size={200} className={s.note} data-testid="sad-summary">
          {plural(stock.total, 'line')} as at {formatDateTime(data.at, { secondsWhenSet: true })} — from the snapshot of {data.snapshotAt ? formatMs(data.snapshotAt) : 'the start'} plus{' '}
          {plural(data.movementsSince, 'movement')} since.
        </Text>
      ) : null}
      {asked ? (
        <VirtualGrid
          rows={stock.rows}
          columns={columns}
          getRowId={(r) => `${r.productId}:${r.siteId}:${r.binId ?? 0}:${r.batchId ?? 0}`}
          hasMore={stock.hasMore}
          loading={stock.loading}
          onLoadMore={stock.loadMore}
          queryKey={askedKey ?? ''}
          label="Stock at a date"
          testId="sad-table"
          scrollerTestId="sad-scroller"
          rowTestId="sad-row"
          cellTestIdPrefix="sad-cell"
          numericColumns={STOCK_AT_NUMERIC}
        />
      ) : null}
    </div>
  );
}

/** Low-stock tracker: product/sites at or under their low-stock level, or out of stock. */
export function LowStockView({ onOpenProduct }: { onOpenProduct: (id: number) => void }) {
  const s = useStyles();
  const client = useClient();
  const low = useReportPages<CurrentStockPage & { total: number }, CurrentStockRow>('low', (offset, limit) => client.call('enquiry.lowStock', { includeOut: true, offset, limit }));
  const data = low.head;
  return (
    <div className={s.pane} data-testid="low-stock">
      {low.error ? <ErrorBar error={low.error} /> : null}
      <div className={s.bar}>
        <Text size={200} data-testid="low-summary">
          {data ? `${formatCount(data.lowCount)} low in stock, ${formatCount(data.outCount)} out of stock. Click a line (or Enter) to open the product.` : low.loading ? 'Loading…' : ''}
        </Text>
        <ExportButton request={{ what: { list: 'lowStock', query: { includeOut: true } } }} name="low-stock" />
      </div>
      <VirtualGrid
        rows={low.rows}
        columns={LOW_COLUMNS}
        getRowId={(r) => `${r.productId}:${r.siteId}`}
        hasMore={low.hasMore}
        loading={low.loading}
        onLoadMore={low.loadMore}
        queryKey="low"
        label="Low stock"
        testId="low-table"
        scrollerTestId="low-scroller"
        rowTestId="low-row"
        cellTestIdPrefix="low-cell"
        numericColumns={LOW_NUMERIC}
        onSelect={(r) => onOpenProduct(r.productId)}
      />
    </div>
  );
}

const lowColumn = createColumnHelper<CurrentStockRow>();
const LOW_NUMERIC = new Set(['onHand', 'lowStockLevel']);
const LOW_COLUMNS = [
  lowColumn.accessor('sku', { header: 'SKU', size: 120 }),
  lowColumn.accessor('name', { header: 'Product', size: 260 }),
  lowColumn.accessor('siteName', { id: 'site', header: 'Site', size: 150 }),
  lowColumn.accessor((r) => `${formatQuantity(r.onHand, r.scale)} ${r.unit}`, { id: 'onHand', header: 'On hand', size: 120 }),
  lowColumn.accessor((r) => (r.lowStockLevel === null ? '—' : formatQuantity(r.lowStockLevel, r.scale)), { id: 'lowStockLevel', header: 'Low-stock level', size: 120 }),
  lowColumn.display({ id: 'status', header: 'Status', size: 120, cell: ({ row }) => <StatusBadge status={row.original.status} /> }),
];
