import { Link, makeStyles, tokens } from '@fluentui/react-components';
import { createColumnHelper } from '@tanstack/react-table';
import { documentLabel } from '../../shared/document-types';
import { ON_COST_LABELS, ON_COSTS } from '../../shared/domain';
import type { MovementView } from '../../shared/enquiry';
import { formatDay, formatMoney, formatQuantity, formatUnitCost } from '../common/format';
import { BackdatedMarker } from './BackdatedMarker';
import { formatMs } from './enquiry-format';

export interface MovementActions {
  openProduct: (productId: number) => void;
  openBatch: (batchId: number) => void;
  /** Searches the movements for a serial number (its whole history: received, moved, sold, returned). */
  findSerial: (serial: string) => void;
  /** `label`: the document in words (documentLabel), for the filter chip. */
  openDocument: (documentId: number, label: string) => void;
}

const useCellStyles = makeStyles({
  plus: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  minus: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  occurred: { display: 'inline-flex', alignItems: 'center', gap: '6px' },
  muted: { color: tokens.colorNeutralForeground3 },
  link: { fontSize: 'inherit' },
});

function QuantityCell({ m }: { m: MovementView }) {
  const s = useCellStyles();
  return (
    <span className={m.qty > 0 ? s.plus : s.minus} data-testid="mv-qty">
      {m.qty > 0 ? '+' : ''}
      {formatQuantity(m.qty, m.scale)}
    </span>
  );
}

/** A balance after the movement at its site, with the unit; `what` says which order it follows (a dash until loaded). */
function BalanceCell({ m, value, what, testId }: { m: MovementView; value: number | null; what: string; testId: string }) {
  if (value === null) return <Dash />;
  return (
    <span data-testid={testId} title={`Stock of ${m.sku} at ${m.siteCode} after this movement, ${what}`}>
      → {formatQuantity(value, m.scale)} {m.unit}
    </span>
  );
}

function OccurredCell({ m }: { m: MovementView }) {
  const s = useCellStyles();
  return (
    <span className={s.occurred}>
      {formatMs(m.occurredAt)}
      {m.backdated ? <BackdatedMarker recordedAt={m.recordedAt} /> : null}
    </span>
  );
}

function LinkCell({ text, onClick, testId, title }: { text: string; onClick: () => void; testId: string; title?: string }) {
  const s = useCellStyles();
  return (
    <Link as="button" className={s.link} onClick={onClick} data-testid={testId} title={title ?? text}>
      {text}
    </Link>
  );
}

function Dash() {
  const s = useCellStyles();
  return <span className={s.muted}>-</span>;
}

const col = createColumnHelper<MovementView>();

/**
 * The order the grid shows them in: when and what first, then where, cost and value, so that at 1366 px wide none of
 * the key columns (Occurred at, Site · bin, Unit cost, Value) is pushed off screen; the rest follow.
 */
const ORDER = ['occurredAt', 'product', 'sku', 'type', 'qty', 'site', 'unitCost', 'value', 'batch', 'serial', 'expiry', 'source', 'note', 'recordedAt'];
const rank = (id: string | undefined) => {
  const at = ORDER.indexOf(id ?? '');
  return at < 0 ? ORDER.length : at;
};

export function movementColumns(a: MovementActions) {
  return allColumns(a).sort((x, y) => rank(x.id) - rank(y.id));
}

function allColumns(a: MovementActions) {
  return [
    col.accessor('productName', {
      id: 'product',
      header: 'Product',
      size: 220,
      cell: ({ row: { original: m } }) => <LinkCell text={m.productName} onClick={() => a.openProduct(m.productId)} testId="mv-product" />,
    }),
    col.accessor('sku', { id: 'sku', header: 'SKU', size: 110 }),
    col.accessor('typeName', { id: 'type', header: 'Movement type', size: 150 }),
    // The effective time (the order shown) with the Backdated marker, then the quantity and the balances it leads to.
    col.accessor('occurredAt', { id: 'occurredAt', header: 'Occurred at', size: 200, cell: ({ row }) => <OccurredCell m={row.original} /> }),
    col.accessor('qty', { id: 'qty', header: 'Quantity', size: 90, cell: ({ row }) => <QuantityCell m={row.original} /> }),
    // Two running balances (ARCHITECTURE §6): in the order shown (effective time), and in the order recorded (the ledger's).
    col.accessor('balanceOnDate', {
      id: 'balanceOnDate',
      header: 'Balance on that date',
      size: 150,
      cell: ({ row: { original: m } }) => <BalanceCell m={m} value={m.balanceOnDate} what="in effective-time order (the stock on that date)" testId="mv-on-date" />,
    }),
    col.accessor('balanceAfter', {
      id: 'balanceAfter',
      header: 'Balance (as recorded)',
      size: 150,
      cell: ({ row: { original: m } }) => <BalanceCell m={m} value={m.balanceAfter} what="in the order movements were recorded" testId="mv-after" />,
    }),
    col.accessor('siteCode', { id: 'site', header: 'Site · bin', size: 130, cell: ({ row: { original: m } }) => (m.binCode ? `${m.siteCode} · ${m.binCode}` : m.siteCode) }),
    col.accessor('batchCode', {
      id: 'batch',
      header: 'Batch',
      size: 130,
      cell: ({ row: { original: m } }) =>
        m.batchId !== null && m.batchCode ? (
          <LinkCell text={m.batchCode} onClick={() => a.openBatch(m.batchId!)} testId="mv-batch" title={`Show the journey of batch ${m.batchCode}`} />
        ) : (
          <Dash />
        ),
    }),
    col.accessor('serial', {
      id: 'serial',
      header: 'Serial',
      size: 130,
      cell: ({ row: { original: m } }) =>
        m.serial ? <LinkCell text={m.serial} onClick={() => a.findSerial(m.serial!)} testId="mv-serial" title={`Show the history of serial ${m.serial}`} /> : <Dash />,
    }),
    col.accessor('expiry', { id: 'expiry', header: 'Expiry', size: 90, cell: ({ getValue }) => { const d = getValue(); return d ? formatDay(d) : <Dash />; } }),
    col.accessor('documentReference', {
      id: 'source',
      header: 'Source',
      size: 170,
      cell: ({ row: { original: m } }) => (
        <LinkCell
          text={documentLabel(m.documentType, m.documentReference)}
          onClick={() => a.openDocument(m.documentId, documentLabel(m.documentType, m.documentReference))}
          testId="mv-source"
          title={`Show every movement of ${documentLabel(m.documentType, m.documentReference)}`}
        />
      ),
    }),
    col.accessor('note', { id: 'note', header: 'Note', size: 150, cell: ({ getValue }) => getValue() || <Dash /> }),
    col.accessor('recordedAt', { id: 'recordedAt', header: 'Recorded at', size: 128, cell: ({ getValue }) => formatMs(getValue()) }),
    col.accessor('unitCost', { id: 'unitCost', header: 'Unit cost', size: 90, cell: ({ getValue }) => formatUnitCost(getValue()) }),
    col.accessor('value', { id: 'value', header: 'Value', size: 100, cell: ({ getValue }) => formatMoney(getValue()) }),
    // On-costs (seed 004): each per unit like Unit cost, hidden until chosen; their total per unit and their value shown.
    ...ON_COSTS.map((k, i) =>
      col.accessor((m) => m.onCosts[i] ?? 0, { id: `oc_${k}`, header: `${ON_COST_LABELS[k]} / unit`, size: 100, cell: ({ getValue }) => formatUnitCost(getValue()) }),
    ),
    col.accessor((m) => m.onCosts.reduce((a, b) => a + b, 0), { id: 'onCosts', header: 'On-costs / unit', size: 100, cell: ({ getValue }) => formatUnitCost(getValue()) }),
    col.accessor('onCostValue', { id: 'onCostValue', header: 'On-cost value', size: 100, cell: ({ getValue }) => formatMoney(getValue()) }),
    col.accessor('userName', { id: 'user', header: 'User', size: 110 }),
  ];
}

export const NUMERIC_COLUMNS = new Set(['qty', 'balanceOnDate', 'balanceAfter', 'unitCost', 'value', 'onCosts', 'onCostValue', ...ON_COSTS.map((k) => `oc_${k}`)]);
export const DEFAULT_HIDDEN: Record<string, boolean> = { recordedAt: false, user: false, ...Object.fromEntries(ON_COSTS.map((k) => [`oc_${k}`, false])) };
