import { makeStyles, tokens } from '@fluentui/react-components';
import { createColumnHelper } from '@tanstack/react-table';
import type { CurrentStockRow } from '../../shared/domain';
import { formatDateTime, formatQuantity } from '../common/format';
import { StatusBadge } from './StatusBadge';
import type { StockSortKey } from './stock-query';

/** One virtual row: its position in the result set and its data once the page has loaded. */
export interface StockSlot {
  index: number;
  row: CurrentStockRow | undefined;
}

export type StockColumnId = StockSortKey | 'lowStockLevel' | 'status';

export interface ColumnLayout {
  /** CSS grid track. */
  width: string;
  align: 'start' | 'end';
  mono?: boolean;
}

export const COLUMN_LAYOUT: Record<StockColumnId, ColumnLayout> = {
  sku: { width: 'minmax(110px, 1fr)', align: 'start', mono: true },
  name: { width: 'minmax(200px, 2.5fr)', align: 'start' },
  site: { width: 'minmax(130px, 1.4fr)', align: 'start' },
  onHand: { width: 'minmax(120px, 1fr)', align: 'end' },
  lowStockLevel: { width: 'minmax(110px, 0.9fr)', align: 'end' },
  status: { width: '120px', align: 'start' },
  lastMovementAt: { width: '132px', align: 'start' },
};

export const MIN_TABLE_WIDTH = 1020;

const column = createColumnHelper<StockSlot>();

const useQuantityStyles = makeStyles({
  negative: { color: tokens.colorPaletteRedForeground1 },
  unit: {
    display: 'inline-block',
    minWidth: '2.6em',
    marginLeft: '4px',
    textAlign: 'left',
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase100,
  },
});

/** Quantity in the product's unit, e.g. "1,234.500" + "kg"; units line up in their own little column. */
function Quantity({ units, row }: { units: number; row: CurrentStockRow }) {
  const styles = useQuantityStyles();
  return (
    <>
      <span className={units < 0 ? styles.negative : undefined}>{formatQuantity(units, row.scale)}</span>
      <span className={styles.unit}>{row.unit}</span>
    </>
  );
}

export const STOCK_COLUMNS = [
  column.accessor((s) => s.row?.sku, {
    id: 'sku',
    header: 'SKU',
    sortDescFirst: false,
    cell: ({ row }) => row.original.row?.sku,
  }),
  column.accessor((s) => s.row?.name, {
    id: 'name',
    header: 'Product',
    sortDescFirst: false,
    cell: ({ row }) => row.original.row?.name,
  }),
  column.accessor((s) => s.row?.siteName, {
    id: 'site',
    header: 'Site',
    sortDescFirst: false,
    cell: ({ row }) => row.original.row?.siteName,
  }),
  column.accessor((s) => s.row?.onHand, {
    id: 'onHand',
    header: 'On hand',
    sortDescFirst: true,
    cell: ({ row }) => {
      const r = row.original.row;
      return r ? <Quantity units={r.onHand} row={r} /> : null;
    },
  }),
  column.accessor((s) => s.row?.lowStockLevel, {
    id: 'lowStockLevel',
    header: 'Low-stock level',
    enableSorting: false,
    cell: ({ row }) => {
      const r = row.original.row;
      if (!r) return null;
      return r.lowStockLevel === null ? '—' : <Quantity units={r.lowStockLevel} row={r} />;
    },
  }),
  column.accessor((s) => s.row?.status, {
    id: 'status',
    header: 'Status',
    enableSorting: false,
    cell: ({ row }) => {
      const r = row.original.row;
      return r ? <StatusBadge status={r.status} /> : null;
    },
  }),
  column.accessor((s) => s.row?.lastMovementAt, {
    id: 'lastMovementAt',
    header: 'Last movement',
    sortDescFirst: true,
    cell: ({ row }) => {
      const r = row.original.row;
      return r ? formatDateTime(r.lastMovementAt) : null;
    },
  }),
];

export const GRID_TEMPLATE = STOCK_COLUMNS.map((c) => COLUMN_LAYOUT[c.id as StockColumnId].width).join(' ');

export function layoutOf(id: string): ColumnLayout {
  return COLUMN_LAYOUT[id as StockColumnId] ?? { width: '1fr', align: 'start' };
}
