import { Button, makeStyles } from '@fluentui/react-components';
import { ArrowSortDownRegular, ArrowSortUpRegular, ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { createColumnHelper } from '@tanstack/react-table';
import type { ProductRecord } from '../../shared/masterdata';
import { TRACKING_NAMES } from '../../shared/domain';
import { formatQuantity } from '../common/format';

export type ProductSort = { by: 'sku' | 'name'; desc: boolean };

const useStyles = makeStyles({
  sort: { minWidth: 0, padding: 0, fontWeight: 'inherit', color: 'inherit', height: '24px' },
  variant: { paddingLeft: '22px' },
  toggle: { minWidth: 0, padding: 0, height: '20px', color: 'inherit', fontWeight: 'inherit' },
});

/** The SKU cell: a variant indented under its parent; a parent's toggle opens or closes its variants. */
function SkuCell({ p, open, onToggle }: { p: ProductRecord; open: boolean; onToggle: (id: number) => void }) {
  const s = useStyles();
  if (p.parentId !== null) return <span className={s.variant}>{p.sku}</span>;
  if (p.variantCount === 0) return <>{p.sku}</>;
  return (
    <Button
      appearance="transparent"
      size="small"
      className={s.toggle}
      icon={open ? <ChevronDownRegular /> : <ChevronRightRegular />}
      onClick={(e) => {
        e.stopPropagation();
        onToggle(p.id);
      }}
      aria-expanded={open}
      aria-label={`${open ? 'Hide' : 'Show'} the variants of ${p.sku}`}
      data-testid={`product-variants-toggle-${p.sku}`}
    >
      {p.sku}
    </Button>
  );
}

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

/** How the list groups variants under their parent (see useVariantGroups). */
export interface VariantGrouping {
  isOpen: (parentId: number) => boolean;
  toggle: (parentId: number) => void;
}

/** The Products list's columns; SKU and Name sort the list (click again for the other way); a parent shows its variants' count. */
export function productColumns(sort: ProductSort, onSort: (s: ProductSort) => void, groups: VariantGrouping) {
  return [
    col.accessor('sku', {
      id: 'sku',
      size: 120,
      header: () => <SortHeader label="SKU" by="sku" sort={sort} onSort={onSort} />,
      cell: ({ row: { original: p } }) => <SkuCell p={p} open={groups.isOpen(p.id)} onToggle={groups.toggle} />,
    }),
    col.accessor('name', { id: 'name', size: 200, header: () => <SortHeader label="Name" by="name" sort={sort} onSort={onSort} /> }),
    col.accessor('unit', { id: 'unit', header: 'Unit', size: 75, cell: ({ row: { original: p } }) => `${p.unit}${p.scale ? ` (${p.scale} dp)` : ''}` }),
    col.accessor('stockType', { id: 'stockType', header: 'Stock type', size: 90 }),
    col.accessor('tracking', { id: 'tracking', header: 'Tracking', size: 72, cell: ({ getValue }) => TRACKING_NAMES[getValue()] }),
    col.accessor('barcodes', { id: 'barcodes', header: 'Barcodes', size: 125, cell: ({ getValue }) => getValue().join(', ') }),
    col.accessor('onHand', {
      id: 'onHand',
      header: 'On hand',
      size: 85,
      cell: ({ row: { original: p } }) =>
        p.variantCount > 0 ? `${p.variantCount} variant${p.variantCount === 1 ? '' : 's'}` : p.stockKeeping ? formatQuantity(p.onHand, p.scale) : '—',
    }),
    col.accessor('active', { id: 'active', header: 'Status', size: 70, cell: ({ getValue }) => (getValue() ? 'Active' : 'Inactive') }),
  ];
}

export const PRODUCT_NUMERIC = new Set(['onHand']);
export const PRODUCT_MONO = new Set(['sku', 'barcodes']);
