import { Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import { useAppInfo } from '../app/app-info-context';
import { useJob } from '../app/jobs-context';
import { useClientEvent, useConnectionStatus } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { formatClockTime, formatCount, plural } from '../common/format';
import { useDebouncedValue } from '../common/use-debounced-value';
import { DemoDataEmptyState } from './DemoDataEmptyState';
import { DEFAULT_FILTERS, type SortDirection, type StockSortKey, type StockStatusFilter } from './stock-query';
import { StockTable } from './StockTable';
import { StockToolbar } from './StockToolbar';
import { ExportButton } from '../common/ExportButton';
import { useCurrentStock } from './use-current-stock';
import { useStockSites } from './use-sites';
import { touchesStock } from '../../shared/ledger-change';

const SEARCH_DEBOUNCE_MS = 200;
/** ledger.changed comes coalesced by main (a few a second at most); a short settle merges the rest before re-querying. */
const CHANGE_SETTLE_MS = 100;

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0 },
  waiting: { display: 'flex', flexGrow: 1, alignItems: 'center', justifyContent: 'center' },
  bars: { display: 'flex', flexDirection: 'column', gap: '4px', padding: '0 12px 8px' },
  statusBar: {
    display: 'flex',
    justifyContent: 'space-between',
    gap: '12px',
    height: '24px',
    alignItems: 'center',
    padding: '0 12px',
    flexShrink: 0,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground3,
    fontVariantNumeric: 'tabular-nums',
  },
});

/** The Current Stock window: on-hand quantity per product and site. */
export function CurrentStockPage() {
  const styles = useStyles();
  const { info, error: infoError, reload: reloadInfo } = useAppInfo();

  const [search, setSearch] = useState(DEFAULT_FILTERS.search);
  const [siteId, setSiteId] = useState<number | null>(DEFAULT_FILTERS.siteId);
  const [status, setStatus] = useState<StockStatusFilter>(DEFAULT_FILTERS.status);
  const [sort, setSort] = useState<StockSortKey>(DEFAULT_FILTERS.sort);
  const [direction, setDirection] = useState<SortDirection>(DEFAULT_FILTERS.direction);
  const debouncedSearch = useDebouncedValue(search, SEARCH_DEBOUNCE_MS);

  const stock = useCurrentStock({ search: debouncedSearch, siteId, status, sort, direction });
  const { sites, error: sitesError, reload: reloadSites } = useStockSites();
  const { refresh } = stock;

  // Re-query when stock changes, coalescing bursts.
  const settleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useClientEvent('ledger.changed', (e) => {
    if (!touchesStock(e) || settleTimer.current !== undefined) return;
    settleTimer.current = setTimeout(() => {
      settleTimer.current = undefined;
      refresh();
    }, CHANGE_SETTLE_MS);
  });
  useEffect(() => () => clearTimeout(settleTimer.current), []);

  // After a lost connection comes back, the data may be stale.
  const connection = useConnectionStatus();
  const wasDisconnected = useRef(false);
  useEffect(() => {
    if (connection !== 'open') {
      wasDisconnected.current = true;
    } else if (wasDisconnected.current) {
      wasDisconnected.current = false;
      refresh();
      reloadSites();
    }
  }, [connection, refresh, reloadSites]);

  // A background job (such as demo data) that finished may have changed everything, including app.info's counts.
  useClientEvent('job.finished', (finished) => {
    if (!finished.ok) return;
    void reloadInfo();
    reloadSites();
    refresh();
  });

  const [demoJobId, setDemoJobId] = useState<string | null>(null);
  const demoJob = useJob(demoJobId);
  const demoRunning = demoJobId !== null && !demoJob?.finished;

  const onSortChange = useCallback((nextSort: StockSortKey, nextDirection: SortDirection) => {
    setSort(nextSort);
    setDirection(nextDirection);
  }, []);

  // Empty database: offer demo data. The empty state (with its progress) stays while that job runs; afterwards
  // the table appears as soon as app.info or the stock query shows data.
  const infoSaysEmpty = info !== null && info.productCount === 0 && info.movementCount === 0;
  // Once rows were shown the ledger is not empty, whatever a stale app.info says: a filter that matches nothing
  // ("?" typed in the filter) keeps the table and its filter, never the empty-database screen.
  const [rowsSeen, setRowsSeen] = useState(false);
  const hasRows = (stock.view?.total ?? 0) > 0;
  if (hasRows && !rowsSeen) setRowsSeen(true); // remembered from an earlier render (React's derived-state pattern)
  const stockShowsRows = hasRows || rowsSeen;
  if (info && infoSaysEmpty && (demoRunning || !stockShowsRows)) {
    return (
      <div className={styles.page}>
        <DemoDataEmptyState
          canSetUp={info.user.permissions.some((p) => p === 'manage:sites' || p === 'manage:products')}
          jobId={demoJobId} onJobStarted={setDemoJobId} />
      </div>
    );
  }

  // One bar per distinct message: without a connection every call fails the same way.
  const candidates: { error: AppError | null; retry: () => void; dismiss?: () => void }[] = [
    { error: info ? null : infoError, retry: () => void reloadInfo() },
    { error: stock.error, retry: refresh, dismiss: stock.dismissError },
    { error: sitesError, retry: reloadSites },
  ];
  const errors = candidates.filter(
    (c, i): c is { error: AppError; retry: () => void; dismiss?: () => void } =>
      c.error !== null && candidates.findIndex((d) => d.error?.message === c.error?.message) === i,
  );

  const view = stock.view;
  return (
    <div className={styles.page}>
      <StockToolbar
        search={search}
        onSearchChange={setSearch}
        sites={sites}
        siteId={siteId}
        onSiteChange={setSiteId}
        status={status}
        onStatusChange={setStatus}
        view={view}
        loading={stock.loading}
        onRefresh={refresh}
        actions={<ExportButton request={view ? { what: { list: 'currentStock', query: view.query } } : null} name="current-stock" />}
      />
      {errors.length ? (
        <div className={styles.bars}>
          {errors.map(({ error, retry, dismiss }) => (
            <ErrorBar key={error.message} error={error} onRetry={retry} onDismiss={dismiss} />
          ))}
        </div>
      ) : null}
      {info || infoError ? (
        <StockTable stock={stock} sort={sort} direction={direction} onSortChange={onSortChange} />
      ) : (
        <div className={styles.waiting}>
          <Spinner size="small" label="Connecting to Stockbook…" />
        </div>
      )}
      <div className={styles.statusBar}>
        <Text size={100}>
          {view ? `${formatCount(stock.loadedRows)} of ${plural(view.total, 'row')} loaded` : stock.loading ? 'Loading…' : ''}
        </Text>
        <Text size={100}>{view ? `Updated ${formatClockTime(view.loadedAt)}` : ''}</Text>
      </div>
    </div>
  );
}
