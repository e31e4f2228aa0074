import { Button, Combobox, Field, Option, Select, Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DocumentPdfRegular, PrintRegular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import type { SiteInfo } from '../../shared/domain';
import { formatCount, formatQuantity } from '../common/format';
import { useCompany } from '../company/company-context';
import { ErrorBar } from '../common/ErrorBar';
import { dayEnd, dayStart, formatMs, isoDay } from './enquiry-format';
import { useCall } from './use-call';
import { ExportButton } from '../common/ExportButton';
import { useAppInfo } from '../app/app-info-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import type { AppError } from '../../shared/contract/errors';
import { DateTimeField } from '../common/DateTimeField';
import { plural } from '../common/format';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0 },
  form: { display: 'flex', alignItems: 'flex-end', gap: '8px', flexWrap: 'wrap', padding: '8px 12px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  date: { width: '150px' },
  product: { minWidth: '260px' },
  body: { overflow: 'auto', flexGrow: 1, padding: '12px 16px', backgroundColor: tokens.colorNeutralBackground2 },
  sheet: {
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
    padding: '20px 24px',
    maxWidth: '1100px',
    margin: '0 auto',
  },
  h: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  sub: { color: tokens.colorNeutralForeground3, margin: '2px 0 12px', fontSize: tokens.fontSizeBase200 },
  table: { width: '100%', borderCollapse: 'collapse', fontVariantNumeric: 'tabular-nums', fontSize: tokens.fontSizeBase200 },
  th: { textAlign: 'left', fontWeight: tokens.fontWeightSemibold, padding: '4px 6px', borderBottom: `2px solid ${tokens.colorNeutralStroke1}`, whiteSpace: 'nowrap' },
  td: { padding: '3px 6px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}` },
  num: { textAlign: 'right', whiteSpace: 'nowrap' },
  total: { fontWeight: tokens.fontWeightSemibold, borderTop: `2px solid ${tokens.colorNeutralStroke1}` },
  neg: { color: tokens.colorPaletteRedForeground1 },
  pos: { color: tokens.colorPaletteGreenForeground1 },
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
const TX_LIMIT = 2000;

/** The reports of seed 003: stock balance and inventory transactions over a period, by product and location; printable. */
export function ReportsView({ sites }: { sites: SiteInfo[] }) {
  const s = useStyles();
  /** Money in the company's base currency and locale. */
  const money = useCompany().format.money;
  const [kind, setKind] = useState<Kind>('balance');
  /** Desktop app: Save as PDF prints the sheet with Electron's printToPDF (the browser prints through its own dialog). */
  const client = useClient();
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
  const period = { from: dayStart(from), to: dayEnd(to) };
  const valid = from <= to;
  const balance = useCall('enquiry.stockBalance', kind === 'balance' && valid ? { ...period, productId: product?.id, siteId } : null);
  const tx = useCall(
    'enquiry.movements',
    kind === 'transactions' && valid ? { filter: { occurred: period, productId: product?.id, siteId }, order: 'asc', limit: TX_LIMIT } : null,
  );
  const txCount = useCall('enquiry.count', kind === 'transactions' && valid ? { filter: { occurred: period, productId: product?.id, siteId }, cap: 1_000_000 } : null);
  const siteName = siteId === undefined ? 'All sites' : (sites.find((x) => x.id === siteId)?.name ?? `Site ${siteId}`);
  const scope = `${formatMs(period.from)} – ${formatMs(period.to)} · ${siteName} · ${product ? product.label : 'All products'}`;
  const loading = kind === 'balance' ? balance.loading : tx.loading;
  const error = kind === 'balance' ? balance.error : tx.error;
  const totals = useMemo(() => {
    const rows = balance.data?.rows ?? [];
    return { value: rows.reduce((n, r) => n + (r.closingValue ?? 0), 0), lines: rows.length };
  }, [balance.data]);

  return (
    <div className={s.page} data-testid="reports">
      <style>{PRINT_CSS}</style>
      <div className={s.form}>
        <TabList size="small" selectedValue={kind} onTabSelect={(_, d) => setKind(d.value as Kind)}>
          <Tab value="balance" data-testid="report-balance">Stock balance</Tab>
          <Tab value="transactions" data-testid="report-transactions">Inventory transactions</Tab>
        </TabList>
        <Field label="From" size="small">
          <DateTimeField mode="date" className={s.date} value={from} onChange={(v) => v && setFrom(v)} data-testid="report-from" />
        </Field>
        <Field label="To" size="small" validationMessage={valid ? undefined : 'The period must end after it starts.'}>
          <DateTimeField mode="date" className={s.date} value={to} onChange={(v) => v && setTo(v)} data-testid="report-to" />
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
          }} disabled={loading} data-testid="report-print">
          Print
        </Button>
        {desktop ? (
          <Button size="small" icon={<DocumentPdfRegular />} disabled={loading} onClick={() => {
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
              <table className={s.table} data-testid="balance-table">
                <thead>
                  <tr>
                    <th className={s.th}>SKU</th>
                    <th className={s.th}>Product</th>
                    <th className={s.th}>Site</th>
                    <th className={`${s.th} ${s.num}`}>Opening</th>
                    <th className={`${s.th} ${s.num}`}>In</th>
                    <th className={`${s.th} ${s.num}`}>Out</th>
                    <th className={`${s.th} ${s.num}`}>Closing</th>
                    <th className={s.th}>Unit</th>
                    <th className={`${s.th} ${s.num}`}>Avg cost</th>
                    <th className={`${s.th} ${s.num}`}>Closing value</th>
                  </tr>
                </thead>
                <tbody>
                  {(balance.data?.rows ?? []).map((r) => (
                    <tr key={`${r.productId}:${r.siteId}`}>
                      <td className={s.td}>{r.sku}</td>
                      <td className={s.td}>{r.name}</td>
                      <td className={s.td}>{r.siteCode}</td>
                      <td className={`${s.td} ${s.num}`}>{formatQuantity(r.opening, r.scale)}</td>
                      <td className={`${s.td} ${s.num} ${s.pos}`}>{r.qtyIn ? `+${formatQuantity(r.qtyIn, r.scale)}` : ''}</td>
                      <td className={`${s.td} ${s.num} ${s.neg}`}>{r.qtyOut ? `−${formatQuantity(r.qtyOut, r.scale)}` : ''}</td>
                      <td className={`${s.td} ${s.num}`}>{formatQuantity(r.closing, r.scale)}</td>
                      <td className={s.td}>{r.unit}</td>
                      <td className={`${s.td} ${s.num}`}>{r.averageCost === null ? '—' : money(r.averageCost)}</td>
                      <td className={`${s.td} ${s.num}`}>{r.closingValue === null ? '—' : money(r.closingValue)}</td>
                    </tr>
                  ))}
                  <tr>
                    <td className={`${s.td} ${s.total}`} colSpan={9}>
                      {plural(totals.lines, 'line')} · {plural(balance.data?.movements ?? 0, 'movement')} in the period
                    </td>
                    <td className={`${s.td} ${s.total} ${s.num}`} data-testid="balance-total">{money(totals.value)}</td>
                  </tr>
                </tbody>
              </table>
            </>
          ) : (
            <>
              <h2 className={s.h}>Inventory transactions</h2>
              <p className={s.sub}>
                {scope} · {txCount.data ? `${txCount.data.exact ? '' : 'more than '}${plural(txCount.data.count, 'movement')}` : 'counting…'}
                {txCount.data && txCount.data.count > TX_LIMIT ? ` · the first ${formatCount(TX_LIMIT)} shown; export for all` : ''} · printed {formatMs(printedAt)}
              </p>
              <table className={s.table} data-testid="transactions-table">
                <thead>
                  <tr>
                    <th className={s.th}>Occurred</th>
                    <th className={s.th}>SKU</th>
                    <th className={s.th}>Product</th>
                    <th className={s.th}>Site</th>
                    <th className={s.th}>Type</th>
                    <th className={`${s.th} ${s.num}`}>Quantity</th>
                    <th className={`${s.th} ${s.num}`}>Balance after</th>
                    <th className={s.th}>Batch</th>
                    <th className={s.th}>Source</th>
                    <th className={`${s.th} ${s.num}`}>Value</th>
                  </tr>
                </thead>
                <tbody>
                  {(tx.data?.rows ?? []).map((m) => (
                    <tr key={m.seq}>
                      <td className={s.td}>{formatMs(m.occurredAt)}</td>
                      <td className={s.td}>{m.sku}</td>
                      <td className={s.td}>{m.productName}</td>
                      <td className={s.td}>{m.siteCode}{m.binCode ? ` / ${m.binCode}` : ''}</td>
                      <td className={s.td}>{m.typeName}</td>
                      <td className={`${s.td} ${s.num} ${m.qty < 0 ? s.neg : s.pos}`}>{m.qty > 0 ? '+' : ''}{formatQuantity(m.qty, m.scale)}</td>
                      <td className={`${s.td} ${s.num}`}>{formatQuantity(m.balanceAfter, m.scale)}</td>
                      <td className={s.td}>{m.batchCode ?? '-'}</td>
                      <td className={s.td}>{m.documentReference ?? `${m.documentType} #${m.documentId}`}</td>
                      <td className={`${s.td} ${s.num}`}>{money(m.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {tx.data && tx.data.rows.length === 0 ? <Text>No movements in this period.</Text> : null}
            </>
          )}
        </div>
      </div>
    </div>
  );
}
