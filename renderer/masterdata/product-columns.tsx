import { Button, makeStyles } from '@fluentui/react-components';
import { ArrowSortDownRegular, ArrowSortUpRegular } from '@fluentui/react-icons';
import { createColumnHelper } from '@tanstack/react-table';
import type { ProductRecord } from '../../shared/masterdata';
import { formatQuantity } from '../../shared/quantity';

export type ProductSort = { by: 'sku' | 'name'; desc: boolean };

const useStyles = makeStyles({
  sort: { minWidth: 0, padding: 0, fontWeight: 'inherit', color: 'inherit', height: '24px' },
});

function SortHeader({ label, by, sort, onSort }: { label: string; by: ProductSort['by']; sort: ProductSort; onSort: (s: ProductSort) => void }) {
  const s = useStyles();
  const active = sort.by === by;
  const icon = active ? sort.desc ? <ArrowSortUpRegular /> : <ArrowSortDownRegular /> : undefined;
  return (
    <Button
      appearance="transparent"
      size="small"
      className={s.sort}
      icon={icon}
      iconPosition="after"
      onClick={() => onSort({ by, desc: active ? !sort.desc : false })}
      aria-label={`Sort by ${label}${active ? (sort.desc ? ', now Z to A' : ', now A to Z') : ''}`}
      data-testid={`products-sort-${by}`}
    >
      {label}
    </Button>
  );
}

const col = createColumnHelper<ProductRecord>();

/** The Products list's columns; SKU and Name sort the list (click again for the other way). */
export function productColumns(sort: ProductSort, onSort: (s: ProductSort) => void) {
  return [
    col.accessor('sku', { id: 'sku', size: 120, header: () => <SortHeader label="SKU" by="sku" sort={sort} onSort={onSort} /> }),
    col.accessor('name', { id: 'name', size: 210, header: () => <SortHeader label="Name" by="name" sort={sort} onSort={onSort} /> }),
    col.accessor('unit', { id: 'unit', header: 'Unit', size: 80, cell: ({ row: { original: p } }) => `${p.unit}${p.scale ? ` (${p.scale} dp)` : ''}` }),
    col.accessor('stockType', { id: 'stockType', header: 'Stock type', size: 95 }),
    col.accessor('tracking', { id: 'tracking', header: 'Tracking', size: 75 }),
    col.accessor('barcodes', { id: 'barcodes', header: 'Barcodes', size: 130, cell: ({ getValue }) => getValue().join(', ') }),
    col.accessor('onHand', {
      id: 'onHand',
      header: 'On hand',
      size: 90,
      cell: ({ row: { original: p } }) => (p.stockKeeping ? formatQuantity(p.onHand, p.scale) : '—'),
    }),
    col.accessor('active', { id: 'active', header: 'Status', size: 70, cell: ({ getValue }) => (getValue() ? 'Active' : 'Inactive') }),
  ];
}

export const PRODUCT_NUMERIC = new Set(['onHand']);
export const PRODUCT_MONO = new Set(['sku', 'barcodes']);
