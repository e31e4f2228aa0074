import { Button, Combobox, Field, Option, Select, Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DocumentPdfRegular, PrintRegular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import type { SiteInfo } from '../../shared/domain';
import { plural } from '../common/format';
import type { StockBalanceReport, StockBalanceRow } from '../../shared/enquiry';
import { useClient } from '../client';
import { useCompany } from '../company/company-context';
import { ErrorBar } from '../common/ErrorBar';
import { VirtualGrid } from '../common/VirtualGrid';
import { BALANCE_NUMERIC, TRANSACTION_NUMERIC, balanceColumns, transactionColumns, useReportCellStyles } from './report-columns';
import { useMovements } from './use-movements';
import { useReportPages } from './use-report-pages';
import { dayEnd, dayStart, formatMs, isoDay } from './enquiry-format';
import { useCall } from './use-call';
import { ExportButton } from '../common/ExportButton';
import { useAppInfo } from '../app/app-info-context';
import { toAppError } from '../app/to-app-error';
import { AppError } from '../../shared/contract/errors';
import { emptyDateRefusal, typedDateRefusal, useInvalidDates } from '../common/date-refusal';
import { DateTimeField } from '../common/DateTimeField';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0 },
  form: { display: 'flex', alignItems: 'flex-end', gap: '8px', flexWrap: 'wrap', padding: '8px 12px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  date: { width: '150px' },
  product: { minWidth: '260px' },
  body: { display: 'flex', flexDirection: 'column', minHeight: 0, flexGrow: 1, padding: '12px 16px', backgroundColor: tokens.colorNeutralBackground2 },
  sheet: {
    display: 'flex',
    flexDirection: 'column',
    flexGrow: 1,
    minHeight: 0,
    boxSizing: 'border-box',
    width: '100%',
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
    padding: '20px 24px',
    maxWidth: '1240px',
    margin: '0 auto',
  },
  totalBar: {
    display: 'flex',
    justifyContent: 'space-between',
    padding: '6px 8px',
    fontWeight: tokens.fontWeightSemibold,
    fontVariantNumeric: 'tabular-nums',
    fontSize: tokens.fontSizeBase200,
    borderTop: `2px solid ${tokens.colorNeutralStroke1}`,
  },
  h: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  sub: { color: tokens.colorNeutralForeground3, margin: '2px 0 12px', fontSize: tokens.fontSizeBase200 },
});

/** Print only the report sheet, on white, full width. */
const PRINT_CSS = `@media print {
  body * { visibility: hidden !important; }
  [data-print-root], [data-print-root] * { visibility: visible !important; }
  [data-print-root] { position: absolute; left: 0; top: 0; width: 100%; max-width: none !important; box-shadow: none !important; padding: 0 !important; }
  [data-print-root] table { font-size: 9pt; }
  [data-print-root] tr { break-inside: avoid; }
  @page { margin: 12mm; }
}`;

type Kind = 'balance' | 'transactions';

/** The reports of seed 003: stock balance and inventory transactions over a period, by product and location; printable. */
export function ReportsView({ sites }: { sites: SiteInfo[] }) {
  const s = useStyles();
  /** Money in the company's base currency and locale. */
  const { money, unitMoney } = useCompany().format;
  const client = useClient();
  const [kind, setKind] = useState<Kind>('balance');
  /** Desktop app: Save as PDF prints the sheet with Electron's printToPDF (the browser prints through its own dialog). */
  const desktop = useAppInfo().info?.mode === 'electron';
  const [pdfError, setPdfError] = useState<AppError | null>(null);
  /** When the window opened; the default period ends today, and printouts carry the time they were made. */
  const [openedAt] = useState(() => Date.now());
  const [printedAt, setPrintedAt] = useState(openedAt);
  const [from, setFrom] = useState(() => isoDay(openedAt - 29 * 86_400_000));
  const [to, setTo] = useState(() => isoDay(openedAt));
  const [siteId, setSiteId] = useState<number | undefined>(undefined);
  const [product, setProduct] = useState<{ id: number; label: string } | null>(null);
  const [productText, setProductText] = useState('');
  const products = useCall('enquiry.lookups', { search: productText }).data?.products ?? [];
  // Text in From / To that is not a date, or an emptied field (the form offers no open-ended period): no report for a
  // period other than the one shown — the reports wait, the problem said at its field, Print / PDF / Export refuse.
  const dates = useInvalidDates();
  const fromProblem = dates.bad.has('from') ? typedDateRefusal('From', { mode: 'date' }) : !from ? emptyDateRefusal('From', 'the first day of the period') : null;
  const toProblem = dates.bad.has('to')
    ? typedDateRefusal('To', { mode: 'date' })
    : !to
      ? emptyDateRefusal('To', 'the last day of the period')
      : from && to < from
        ? new AppError('VALIDATION', 'To: the period must end on or after the day it starts. Type a later To, or an earlier From.')
        : null;
  const valid = !fromProblem && !toProblem;
  const period = valid ? { from: dayStart(from), to: dayEnd(to) } : { from: 0, to: 0 };
  // Both reports load a page at a time into a virtualized grid (tens of thousands of lines never enter the page at once).
  const balanceQuery = kind === 'balance' && valid ? { ...period, ...(product ? { productId: product.id } : {}), ...(siteId !== undefined ? { siteId } : {}) } : null;
  const balanceKey = balanceQuery ? JSON.stringify(balanceQuery) : null;
  const balance = useReportPages<StockBalanceReport, StockBalanceRow>(balanceKey, (offset, limit) =>
    client.call('enquiry.stockBalance', { ...JSON.parse(balanceKey!), offset, limit }),
  );
  const txFilter = useMemo(
    () => (kind === 'transactions' && valid ? { occurred: { from: period.from, to: period.to }, ...(product ? { productId: product.id } : {}), ...(siteId !== undefined ? { siteId } : {}) } : null),
    [kind, valid, period.from, period.to, product, siteId],
  );
  const txKey = JSON.stringify(txFilter);
  const tx = useMovements(txFilter, 'asc');
  const cells = useReportCellStyles();
  const balanceCols = useMemo(() => balanceColumns(money, unitMoney, cells), [money, unitMoney, cells]);
  const txCols = useMemo(() => transactionColumns(money, cells), [money, cells]);
  const siteName = siteId === undefined ? 'All sites' : (sites.find((x) => x.id === siteId)?.name ?? 'the chosen site');
  const scope = `${valid ? `${formatMs(period.from)} – ${formatMs(period.to)}` : 'No period'} · ${siteName} · ${product ? product.label : 'All products'}`;
  const loading = kind === 'balance' ? balance.loading : tx.loading;
  const error = kind === 'balance' ? balance.error : tx.error;

  return (
    <div className={s.page} data-testid="reports">
      <style>{PRINT_CSS}</style>
      <div className={s.form}>
        <TabList size="small" selectedValue={kind} onTabSelect={(_, d) => setKind(d.value as Kind)}>
          <Tab value="balance" data-testid="report-balance">Stock balance</Tab>
          <Tab value="transactions" data-testid="report-transactions">Inventory transactions</Tab>
        </TabList>
        <Field label="From" size="small" validationMessage={fromProblem?.message} data-testid="report-from-field">
          <DateTimeField mode="date" className={s.date} value={from} onChange={setFrom} onInvalidChange={dates.listen('from')} data-testid="report-from" />
        </Field>
        <Field label="To" size="small" validationMessage={toProblem?.message} data-testid="report-to-field">
          <DateTimeField mode="date" className={s.date} value={to} onChange={setTo} onInvalidChange={dates.listen('to')} data-testid="report-to" />
        </Field>
        <Field label="Location" size="small">
          <Select size="small" value={siteId === undefined ? '' : String(siteId)} onChange={(_, d) => setSiteId(d.value ? Number(d.value) : undefined)} data-testid="report-site">
            <option value="">All sites</option>
            {sites.filter((x) => x.kind !== 'external').map((x) => (
              <option key={x.id} value={x.id}>{x.code} · {x.name}</option>
            ))}
          </Select>
        </Field>
        <Field label="Product" size="small">
          <Combobox
            className={s.product}
            size="small"
            freeform
            placeholder="All products (type to search)"
            value={product ? product.label : productText}
            onInput={(e) => {
              setProduct(null);
              setProductText((e.target as HTMLInputElement).value);
            }}
            onOptionSelect={(_, d) => {
              const p = products.find((x) => String(x.id) === d.optionValue);
              setProduct(p ? { id: p.id, label: `${p.sku} · ${p.name}` } : null);
            }}
            clearable
            data-testid="report-product"
          >
            {products.map((p) => (
              <Option key={p.id} value={String(p.id)} text={`${p.sku} · ${p.name}`}>
                {p.sku} · {p.name}
              </Option>
            ))}
          </Combobox>
        </Field>
        <Button size="small" appearance="primary" icon={<PrintRegular />} onClick={() => {
            setPrintedAt(Date.now());
            setTimeout(() => window.print(), 0);
          }} disabled={loading || !valid} data-testid="report-print">
          Print
        </Button>
        {desktop ? (
          <Button size="small" icon={<DocumentPdfRegular />} disabled={loading || !valid} onClick={() => {
              setPrintedAt(Date.now());
              setPdfError(null);
              client.call('desktop.printToPdf', { suggestedName: kind === 'balance' ? 'stock-balance' : 'inventory-transactions', landscape: true }).catch((e: unknown) => setPdfError(toAppError(e)));
            }}>
            Save as PDF
          </Button>
        ) : null}
        {kind === 'transactions' ? (
          <ExportButton request={valid ? { what: { list: 'movements', filter: { occurred: period, productId: product?.id, siteId } }, summary: scope } : null} name="inventory-transactions" />
        ) : null}
        {loading ? <Spinner size="extra-tiny" label="Adding up…" /> : null}
      </div>
      {error ? <ErrorBar error={error} /> : null}
      {pdfError ? <ErrorBar error={pdfError} title="The PDF was not saved." onDismiss={() => setPdfError(null)} /> : null}
      <div className={s.body} tabIndex={0} role="region" aria-label="Report">
        <div className={s.sheet} data-print-root>
          {kind === 'balance' ? (
            <>
              <h2 className={s.h}>Stock balance</h2>
              <p className={s.sub}>{scope} · printed {formatMs(printedAt)}</p>
              <VirtualGrid
                rows={balance.rows}
                columns={balanceCols}
                getRowId={(r) => `${r.productId}:${r.siteId}`}
                hasMore={balance.hasMore}
                loading={balance.loading}
                onLoadMore={balance.loadMore}
                queryKey={balanceKey ?? ''}
                label="Stock balance"
                testId="balance-table"
                scrollerTestId="balance-scroller"
                rowTestId="balance-row"
                cellTestIdPrefix="balance-cell"
                numericColumns={BALANCE_NUMERIC}
              />
              <div className={s.totalBar}>
                <span>
                  {balance.head
                    ? `${plural(balance.total, 'line')} · ${plural(balance.head.movements, 'movement')} in the period`
                    : ''}
                </span>
                <span data-testid="balance-total">{balance.head ? money(balance.head.closingValue) : ''}</span>
              </div>
            </>
          ) : (
            <>
              <h2 className={s.h}>Inventory transactions</h2>
              <p className={s.sub} data-testid="transactions-summary">
                {scope} · {tx.count ? `${tx.count.exact ? '' : 'more than '}${plural(tx.count.count, 'movement')}` : 'counting…'} · printed {formatMs(printedAt)}
              </p>
              <VirtualGrid
                rows={tx.rows}
                columns={txCols}
                getRowId={(m) => String(m.seq)}
                hasMore={tx.hasMore}
                loading={tx.loading}
                onLoadMore={tx.loadMore}
                queryKey={txKey}
                label="Inventory transactions"
                testId="transactions-table"
                scrollerTestId="transactions-scroller"
                rowTestId="transactions-row"
                cellTestIdPrefix="transactions-cell"
                numericColumns={TRANSACTION_NUMERIC}
                empty={<Text>No movements in this period.</Text>}
              />
            </>
          )}
        </div>
      </div>
    </div>
  );
}
