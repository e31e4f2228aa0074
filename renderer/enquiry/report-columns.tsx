import { makeStyles, tokens } from '@fluentui/react-components';
import { createColumnHelper } from '@tanstack/react-table';
import { documentLabel } from '../../shared/document-types';
import type { MovementView, StockAtDateRow, StockBalanceRow } from '../../shared/enquiry';
import { formatDay, formatQuantity } from '../common/format';
import { formatMs } from './enquiry-format';

/** Columns of the reports' virtualized grids (renderer/common/VirtualGrid): stock balance, inventory transactions, stock at a date. */

export const useReportCellStyles = makeStyles({
  neg: { color: tokens.colorPaletteRedForeground1 },
  pos: { color: tokens.colorPaletteGreenForeground1 },
});
type CellClasses = ReturnType<typeof useReportCellStyles>;
type Money = (amount: number) => string;

const balance = createColumnHelper<StockBalanceRow>();
export const BALANCE_NUMERIC = new Set(['opening', 'in', 'out', 'closing', 'averageCost', 'closingValue']);

export function balanceColumns(money: Money, unitMoney: Money, c: CellClasses) {
  return [
    balance.accessor('sku', { header: 'SKU', size: 110 }),
    balance.accessor('name', { header: 'Product', size: 230 }),
    balance.accessor('siteCode', { id: 'site', header: 'Site', size: 70 }),
    balance.accessor((r) => formatQuantity(r.opening, r.scale), { id: 'opening', header: 'Opening', size: 100 }),
    balance.display({ id: 'in', header: 'In', size: 90, cell: ({ row: { original: r } }) => (r.qtyIn ? <span className={c.pos}>+{formatQuantity(r.qtyIn, r.scale)}</span> : '') }),
    balance.display({ id: 'out', header: 'Out', size: 90, cell: ({ row: { original: r } }) => (r.qtyOut ? <span className={c.neg}>−{formatQuantity(r.qtyOut, r.scale)}</span> : '') }),
    balance.accessor((r) => formatQuantity(r.closing, r.scale), { id: 'closing', header: 'Closing', size: 100 }),
    balance.accessor('unit', { header: 'Unit', size: 56 }),
    balance.accessor((r) => (r.averageCost === null ? '—' : unitMoney(r.averageCost)), { id: 'averageCost', header: 'Avg cost', size: 100 }),
    balance.accessor((r) => (r.closingValue === null ? '—' : money(r.closingValue)), { id: 'closingValue', header: 'Closing value', size: 120 }),
  ];
}

const tx = createColumnHelper<MovementView>();
export const TRANSACTION_NUMERIC = new Set(['qty', 'balanceAfter', 'value']);

export function transactionColumns(money: Money, c: CellClasses) {
  return [
    tx.accessor((m) => formatMs(m.occurredAt), { id: 'occurred', header: 'Occurred', size: 140 }),
    tx.accessor('sku', { header: 'SKU', size: 110 }),
    tx.accessor('productName', { id: 'product', header: 'Product', size: 190 }),
    tx.accessor((m) => `${m.siteCode}${m.binCode ? ` / ${m.binCode}` : ''}`, { id: 'site', header: 'Site', size: 90 }),
    tx.accessor('typeName', { id: 'type', header: 'Type', size: 140 }),
    tx.display({
      id: 'qty',
      header: 'Quantity',
      size: 90,
      cell: ({ row: { original: m } }) => <span className={m.qty < 0 ? c.neg : c.pos}>{m.qty > 0 ? '+' : ''}{formatQuantity(m.qty, m.scale)}</span>,
    }),
    tx.accessor((m) => formatQuantity(m.balanceAfter, m.scale), { id: 'balanceAfter', header: 'Balance after', size: 100 }),
    tx.accessor((m) => m.batchCode ?? '-', { id: 'batch', header: 'Batch', size: 90 }),
    tx.accessor((m) => documentLabel(m.documentType, m.documentReference), { id: 'source', header: 'Source', size: 160 }),
    tx.accessor((m) => money(m.value), { id: 'value', header: 'Value', size: 100 }),
  ];
}

const at = createColumnHelper<StockAtDateRow>();
export const STOCK_AT_NUMERIC = new Set(['qty']);

export function stockAtColumns(level: 'batch' | 'site') {
  return [
    at.accessor('sku', { header: 'SKU', size: 120 }),
    at.accessor('name', { header: 'Product', size: 260 }),
    at.accessor('siteCode', { id: 'site', header: 'Site', size: 80 }),
    ...(level === 'batch'
      ? [
          at.accessor((r) => r.binCode ?? '-', { id: 'bin', header: 'Bin', size: 90 }),
          at.accessor((r) => r.batchCode ?? '-', { id: 'batch', header: 'Batch', size: 110 }),
          at.accessor((r) => (r.expiry ? formatDay(r.expiry) : '-'), { id: 'expiry', header: 'Expiry', size: 100 }),
        ]
      : []),
    at.accessor((r) => `${formatQuantity(r.qty, r.scale)} ${r.unit}`, { id: 'qty', header: 'Quantity', size: 130 }),
  ];
}
