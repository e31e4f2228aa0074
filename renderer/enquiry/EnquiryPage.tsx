import {
  Button, Menu, MenuItemCheckbox, MenuList, MenuPopover, MenuTrigger, Tab, TabList, Text, Tooltip, makeStyles, tokens,
  type MenuCheckedValueChangeData,
} from '@fluentui/react-components';
import { formatCount, formatDate } from '../common/format';
import { ArrowDownloadRegular, ArrowClockwiseRegular, ColumnTripleEditRegular, TaskListLtrRegular } from '@fluentui/react-icons';
import type { VisibilityState } from '@tanstack/react-table';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import { MOVEMENT_TYPES } from '../../shared/movement-types';
import { useAppInfo } from '../app/app-info-context';
import { paramsFromHash } from '../app/routes';
import { useJobs } from '../app/jobs-context';
import { toAppError } from '../app/to-app-error';
import { AppError } from '../../shared/contract/errors';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { exportName, startExport as startListExport } from '../common/export-start';
import { useScanTarget } from '../scanning/scan-context';
import { scanSearchTerm, searchOutcome } from '../scanning/scan-terms';
import { useDebouncedValue } from '../common/use-debounced-value';
import { useStockSites } from '../stock/use-sites';
import { ReceiptCustomsBar } from './ReceiptCustomsBar';
import { BatchJourneyPanel } from './BatchJourneyPanel';
import { ExportJobsPanel } from './ExportJobsPanel';
import { FilterBar, type FilterLabels } from './FilterBar';
import { DEFAULT_HIDDEN, movementColumns, type MovementActions } from './movement-columns';
import { MovementTable } from './MovementTable';
import { ProductDetailsPanel } from './ProductDetailsPanel';
import { ReportsView } from './ReportsView';
import { LowStockView, StockAtDateView } from './StockAtDateView';
import { useCall } from './use-call';
import { useMovements } from './use-movements';
import { plural } from '../common/format';
import { Waiting } from '../common/Waiting';
import { touchesStock } from '../../shared/ledger-change';

/** The charts (recharts) load when the Dashboard tab is first opened, not with the Enquiry. */
const DashboardView = lazy(() => import('./DashboardView').then((m) => ({ default: m.DashboardView })));

type Extra = 'recorded' | 'expiry' | 'siteId' | 'binId' | 'userId';
type Panel = { kind: 'batch'; id: number } | { kind: 'product'; id: number } | { kind: 'jobs' } | null;
interface Saved {
  filter: MovementFilter;
  labels: FilterLabels;
  extras: Extra[];
  hidden: VisibilityState;
}

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0 },
  tabs: { display: 'flex', alignItems: 'center', padding: '2px 8px 0', borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, gap: '8px' },
  spacer: { flexGrow: 1 },
  body: { display: 'flex', flexGrow: 1, minHeight: 0 },
  main: { display: 'flex', flexDirection: 'column', flexGrow: 1, minWidth: 0, minHeight: 0 },
  status: {
    display: 'flex',
    justifyContent: 'space-between',
    height: '24px',
    alignItems: 'center',
    padding: '0 12px',
    flexShrink: 0,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground3,
    fontVariantNumeric: 'tabular-nums',
  },
  bars: { padding: '0 12px 6px' },
});

const storageKey = (user: string) => `stockbook.enquiry.${user}`;

function summaryOf(f: MovementFilter, labels: FilterLabels, sites: readonly { id: number; code: string }[]): string {
  const parts: string[] = [];
  if (f.search) parts.push(`search "${f.search}"`);
  if (f.types?.length) parts.push(f.types.map((t) => MOVEMENT_TYPES.find((m) => m.code === t)?.displayName ?? t).join(', '));
  if (f.occurred) parts.push(`occurred ${f.occurred.from !== undefined ? formatDate(f.occurred.from) : '…'} – ${f.occurred.to !== undefined ? formatDate(f.occurred.to) : '…'}`);
  if (f.productId) parts.push(`product ${labels.productId ?? 'the chosen product'}`);
  if (f.batchId) parts.push(`batch ${labels.batchId ?? 'the chosen batch'}`);
  if (f.documentId) parts.push(`source ${labels.documentId ?? 'the chosen document'}`);
  if (f.siteId) parts.push(`site ${sites.find((x) => x.id === f.siteId)?.code ?? 'the chosen site'}`);
  return parts.join('; ');
}

/**
 * Opened from another window on one product (`#/enquiry?product=12&label=SKU`, "Show movements" in Products, Enter on
 * a Current Stock row) or one document (`#/enquiry?document=7&label=DN-1`, the search palette): its movements only.
 */
function linkedProduct(saved: Saved): Saved {
  const params = paramsFromHash(location.hash);
  const productId = Number(params.get('product'));
  const documentId = Number(params.get('document'));
  if (Number.isSafeInteger(documentId) && documentId > 0) return { ...saved, filter: { documentId }, labels: { ...saved.labels, documentId: params.get('label') ?? 'the chosen document' } };
  if (!Number.isSafeInteger(productId) || productId <= 0) return saved;
  return { ...saved, filter: { productId }, labels: { ...saved.labels, productId: params.get('label') ?? 'the chosen product' } };
}

/** Movement Enquiry: search, filter chips, the virtualized movement grid, batch journey, product details, exports. */
export function EnquiryPage() {
  const s = useStyles();
  const client = useClient();
  const { info } = useAppInfo();
  const user = info?.user.username ?? 'anonymous';
  const [tab, setTab] = useState<'movements' | 'at-date' | 'low' | 'dashboard' | 'reports'>('movements');
  const [saved, setSaved] = useState<Saved>(() => {
    let saved: Saved = { filter: {}, labels: {}, extras: [], hidden: DEFAULT_HIDDEN };
    try {
      const raw = localStorage.getItem(storageKey(user));
      if (raw) {
        saved = JSON.parse(raw) as Saved;
        // Columns added since the choice was saved start as their defaults (the on-cost kinds hidden).
        saved = { ...saved, hidden: { ...DEFAULT_HIDDEN, ...saved.hidden } };
      }
    } catch {
      /* ignore unreadable saved filters */
    }
    return linkedProduct(saved);
  });
  useEffect(() => {
    try {
      localStorage.setItem(storageKey(user), JSON.stringify(saved));
    } catch {
      /* storage full or disabled: filters just don't persist */
    }
  }, [saved, user]);
  const { filter, labels, extras, hidden } = saved;
  // Typing waits for a pause; a filter set by a scan searches at once (scan to visible rows, issue 6).
  const [scannedFilter, setScannedFilter] = useState<MovementFilter | null>(null);
  const debounced = useDebouncedValue(filter, filter === scannedFilter ? 0 : 200);
  /** A date in the filters whose text is not a date: no movements (nor export) filtered by the date from before it. */
  const [dateProblem, setDateProblem] = useState<AppError | null>(null);
  const onDateProblem = useCallback((message: string | null) => setDateProblem(message ? new AppError('VALIDATION', message) : null), []);
  // The balance on that date costs a scan per product/site: asked for only while its column is shown.
  const movements = useMovements(dateProblem ? null : debounced, 'desc', hidden.balanceOnDate !== false);
  const { sites } = useStockSites();
  const lookups = useCall('enquiry.lookups', { search: '' }).data;
  const [panel, setPanel] = useState<Panel>(null);
  const [exportError, setExportError] = useState<ReturnType<typeof toAppError> | null>(null);
  const [jobsVersion, setJobsVersion] = useState(0);
  const jobs = useJobs();
  const runningExports = [...jobs.values()].filter((j) => j.kind === 'export' && !j.finished).length;

  const setFilter = useCallback((f: MovementFilter, l?: FilterLabels) => setSaved((p) => ({ ...p, filter: f, labels: { ...p.labels, ...l } })), []);
  // A scan searches the movements for it (barcode scanning, issue 6).
  useScanTarget((scan) => {
    const term = scanSearchTerm(scan);
    setTab('movements');
    const f: MovementFilter = { search: term };
    setScannedFilter(f);
    setFilter(f);
    return searchOutcome(scan, term);
  });
  const actions = useMemo<MovementActions>(
    () => ({
      openProduct: (id) => setPanel({ kind: 'product', id }),
      openBatch: (id) => setPanel({ kind: 'batch', id }),
      findSerial: (serial) => setSaved((p) => ({ ...p, filter: { search: serial } })),
      openDocument: (id, label) => setSaved((p) => ({ ...p, filter: { documentId: id }, labels: { ...p.labels, documentId: label } })),
    }),
    [],
  );

  // New postings: refresh, coalescing bursts.
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { refresh } = movements;
  useClientEvent('ledger.changed', (e) => {
    if (!touchesStock(e) || timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      refresh();
    }, 100);
  });
  useEffect(() => () => clearTimeout(timer.current), []);

  const startExport = async (format: 'csv' | 'xlsx') => {
    try {
      setExportError(null);
      if (dateProblem) throw dateProblem;
      // Desktop: the Save dialog asks where first (cancel starts nothing); browser: the Background jobs panel downloads it.
      const started = await startListExport(client, info?.mode, { what: { list: 'movements', filter: debounced }, format, summary: summaryOf(debounced, labels, sites) }, exportName('movements'));
      if (!started) return;
      setJobsVersion((v) => v + 1);
      setPanel({ kind: 'jobs' });
    } catch (e) {
      setExportError(toAppError(e));
    }
  };

  const columnIds = useMemo(() => movementColumns(actions).map((c) => ({ id: c.id!, header: String(c.header) })), [actions]);
  const visible = columnIds.filter((c) => hidden[c.id] !== false).map((c) => c.id);
  const onColumns = (_: unknown, d: MenuCheckedValueChangeData) =>
    setSaved((p) => ({ ...p, hidden: Object.fromEntries(columnIds.map((c) => [c.id, d.checkedItems.includes(c.id)])) }));

  const count = movements.count;
  const countText = dateProblem ? 'waiting for a date the filter can read' : count === null ? 'counting…' : count.exact ? plural(count.count, 'movement') : `more than ${plural(count.count, 'movement')}`;

  return (
    <div className={s.page}>
      <div className={s.tabs}>
        <TabList size="small" selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as typeof tab)}>
          <Tab value="movements">Movements</Tab>
          <Tab value="at-date" data-testid="tab-at-date">Stock at a date</Tab>
          <Tab value="low" data-testid="tab-low">Low stock</Tab>
          <Tab value="dashboard" data-testid="tab-dashboard">Dashboard</Tab>
          <Tab value="reports" data-testid="tab-reports">Reports</Tab>
        </TabList>
        <span className={s.spacer} />
        {tab === 'movements' ? (
          <>
            <Menu checkedValues={{ columns: visible }} onCheckedValueChange={onColumns}>
              <MenuTrigger disableButtonEnhancement>
                <Button size="small" appearance="subtle" icon={<ColumnTripleEditRegular />}>
                  Columns
                </Button>
              </MenuTrigger>
              <MenuPopover>
                <MenuList>
                  {columnIds.map((c) => (
                    <MenuItemCheckbox key={c.id} name="columns" value={c.id}>
                      {c.header}
                    </MenuItemCheckbox>
                  ))}
                </MenuList>
              </MenuPopover>
            </Menu>
            <Tooltip content="Reload the movements" relationship="label">
              <Button size="small" appearance="subtle" icon={<ArrowClockwiseRegular />} onClick={refresh} />
            </Tooltip>
            <Button size="small" appearance="primary" icon={<ArrowDownloadRegular />} onClick={() => void startExport('csv')} data-testid="export-csv">
              Export CSV
            </Button>
            <Button size="small" icon={<ArrowDownloadRegular />} onClick={() => void startExport('xlsx')} data-testid="export-xlsx">
              Export XLSX
            </Button>
          </>
        ) : null}
        <Button size="small" appearance="subtle" icon={<TaskListLtrRegular />} onClick={() => setPanel(panel?.kind === 'jobs' ? null : { kind: 'jobs' })} data-testid="jobs-button">
          Background jobs{runningExports ? ` (${runningExports})` : ''}
        </Button>
      </div>
      <div className={s.body}>
        <div className={s.main}>
          {tab === 'movements' ? (
            <>
              <FilterBar
                filter={filter}
                labels={labels}
                onChange={setFilter}
                sites={sites}
                lookups={lookups}
                extras={extras}
                onExtrasChange={(e) => setSaved((p) => ({ ...p, extras: e }))}
                onDateProblem={onDateProblem}
              />
              {filter.documentId !== undefined ? <ReceiptCustomsBar documentId={filter.documentId} /> : null}
              {movements.error || exportError || dateProblem ? (
                <div className={s.bars}>
                  {dateProblem ? <ErrorBar error={dateProblem} title="No movements are shown until the date filter reads." /> : null}
                  {movements.error && !dateProblem ? <ErrorBar error={movements.error} onRetry={refresh} /> : null}
                  {exportError ? <ErrorBar error={exportError} title="The export did not start." onDismiss={() => setExportError(null)} /> : null}
                </div>
              ) : null}
              <MovementTable
                rows={dateProblem ? [] : movements.rows}
                hasMore={!dateProblem && movements.hasMore}
                loading={movements.loading}
                onLoadMore={movements.loadMore}
                actions={actions}
                visibility={hidden}
                queryKey={JSON.stringify(debounced)}
                {...(dateProblem ? { emptyText: 'Not shown while a date in the filters cannot be read: correct it (see above), or empty it for no limit.' } : {})}
              />
              <div className={s.status}>
                <Text size={100} data-testid="mv-count">
                  {countText}
                </Text>
                <Text size={100}>
                  {formatCount(movements.rows.length)} loaded{movements.loading ? ' · loading…' : ''} · newest first
                </Text>
              </div>
            </>
          ) : tab === 'at-date' ? (
            <StockAtDateView sites={sites} />
          ) : tab === 'dashboard' ? (
            <Suspense fallback={<Waiting label="Opening the dashboard…" />}>
              <DashboardView />
            </Suspense>
          ) : tab === 'reports' ? (
            <ReportsView sites={sites} />
          ) : (
            <LowStockView onOpenProduct={(id) => setPanel({ kind: 'product', id })} />
          )}
        </div>
        {panel?.kind === 'batch' ? <BatchJourneyPanel key={panel.id} batchId={panel.id} onClose={() => setPanel(null)} /> : null}
        {panel?.kind === 'product' ? <ProductDetailsPanel key={panel.id} productId={panel.id} onClose={() => setPanel(null)} /> : null}
        {panel?.kind === 'jobs' ? <ExportJobsPanel version={jobsVersion} onClose={() => setPanel(null)} /> : null}
      </div>
    </div>
  );
}
