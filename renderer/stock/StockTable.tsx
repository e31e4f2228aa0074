import { Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowSortDownRegular, ArrowSortUpRegular } from '@fluentui/react-icons';
import { flexRender, getCoreRowModel, useReactTable, type SortingState, type Updater } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { CurrentStock } from './use-current-stock';
import { GRID_TEMPLATE, MIN_TABLE_WIDTH, STOCK_COLUMNS, layoutOf, type StockSlot } from './stock-columns';
import type { SortDirection, StockSortKey } from './stock-query';
import { hrefFor } from '../app/routes';
import { useRowKeys } from './use-row-keys';

const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 30;

const useStyles = makeStyles({
  scroller: {
    flexGrow: 1,
    minHeight: 0,
    overflow: 'auto',
    position: 'relative',
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  table: {
    display: 'grid',
    minWidth: `${MIN_TABLE_WIDTH}px`,
    borderCollapse: 'collapse',
    fontSize: tokens.fontSizeBase200,
    lineHeight: `${ROW_HEIGHT}px`,
    color: tokens.colorNeutralForeground1,
  },
  thead: {
    display: 'grid',
    position: 'sticky',
    top: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground2,
    boxShadow: `inset 0 -1px 0 ${tokens.colorNeutralStroke1}`,
  },
  headRow: { display: 'grid', gridTemplateColumns: GRID_TEMPLATE, height: `${HEADER_HEIGHT}px` },
  th: {
    display: 'flex',
    alignItems: 'stretch',
    padding: 0,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
    textAlign: 'left',
    whiteSpace: 'nowrap',
    borderRight: `1px solid ${tokens.colorNeutralStroke3}`,
    ':last-child': { borderRight: 'none' },
  },
  thLabel: { display: 'flex', alignItems: 'center', gap: '4px', width: '100%', padding: '0 8px', minWidth: 0 },
  sortButton: {
    border: 'none',
    background: 'none',
    font: 'inherit',
    color: 'inherit',
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground2Hover, color: tokens.colorNeutralForeground1 },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  sorted: { color: tokens.colorNeutralForeground1 },
  end: { justifyContent: 'flex-end', textAlign: 'right' },
  sortIcon: { fontSize: '12px', flexShrink: 0, color: tokens.colorBrandForeground1 },
  tbody: { display: 'grid', position: 'relative' },
  row: {
    display: 'grid',
    gridTemplateColumns: GRID_TEMPLATE,
    position: 'absolute',
    left: 0,
    width: '100%',
    height: `${ROW_HEIGHT}px`,
    boxSizing: 'border-box',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px', backgroundColor: tokens.colorNeutralBackground1Selected },
  },
  td: {
    padding: '0 8px',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
    minWidth: 0,
  },
  numeric: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  dateCell: { fontVariantNumeric: 'tabular-nums', color: tokens.colorNeutralForeground2 },
  placeholderBar: {
    display: 'inline-block',
    width: '60%',
    height: '8px',
    verticalAlign: 'middle',
    borderRadius: '4px',
    backgroundColor: tokens.colorNeutralBackground3,
  },
  empty: { padding: '24px 12px', color: tokens.colorNeutralForeground3 },
});

interface StockTableProps {
  stock: CurrentStock;
  sort: StockSortKey;
  direction: SortDirection;
  onSortChange: (sort: StockSortKey, direction: SortDirection) => void;
}

/** The virtualized current-stock grid; sorting is done by the server. */
export function StockTable({ stock, sort, direction, onSortChange }: StockTableProps) {
  const styles = useStyles();
  const scrollRef = useRef<HTMLDivElement>(null);
  const { view, rowAt, ensureRows } = stock;
  const total = view?.total ?? 0;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    paddingStart: 0,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    ensureRows(firstIndex, lastIndex);
  }, [ensureRows, firstIndex, lastIndex, view]);

  // New filters or sort: back to the top.
  const queryKey = view?.queryKey;
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [queryKey]);

  // The virtual items are a contiguous index range; rebuild the table's data only when that range or the data changes.
  const count = items.length;
  const slots = useMemo<StockSlot[]>(
    () => Array.from({ length: count }, (_, k) => ({ index: firstIndex + k, row: rowAt(firstIndex + k) })),
    [count, firstIndex, rowAt],
  );

  const sorting = useMemo<SortingState>(() => [{ id: sort, desc: direction === 'desc' }], [sort, direction]);
  const table = useReactTable({
    data: slots,
    columns: STOCK_COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (slot) => String(slot.index),
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      if (first) onSortChange(first.id as StockSortKey, first.desc ? 'desc' : 'asc');
    },
  });

  const rows = table.getRowModel().rows;
  // ↑/↓ move between rows; Enter opens the row's product in the Movement Enquiry.
  const { rowProps } = useRowKeys({
    total,
    scroller: scrollRef,
    scrollToIndex: (i) => virtualizer.scrollToIndex(i),
    onOpen: (i) => {
      const r = rowAt(i);
      if (r) location.hash = hrefFor('enquiry', { product: r.productId, label: r.sku });
    },
  });

  return (
    <div ref={scrollRef} className={styles.scroller} data-testid="stock-table-scroller">
      <table className={styles.table} aria-label="Current stock" aria-rowcount={total + 1} data-testid="stock-table">
        <thead className={styles.thead}>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className={styles.headRow} aria-rowindex={1}>
              {group.headers.map((header) => {
                const layout = layoutOf(header.column.id);
                const sorted = header.column.getIsSorted();
                const canSort = header.column.getCanSort();
                const label = flexRender(header.column.columnDef.header, header.getContext());
                const icon = sorted === 'asc' ? <ArrowSortUpRegular className={styles.sortIcon} /> : sorted === 'desc' ? <ArrowSortDownRegular className={styles.sortIcon} /> : null;
                return (
                  <th
                    key={header.id}
                    className={mergeClasses(styles.th, sorted && styles.sorted)}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : canSort ? 'none' : undefined}
                    scope="col"
                  >
                    {canSort ? (
                      <button
                        type="button"
                        className={mergeClasses(styles.thLabel, styles.sortButton, layout.align === 'end' && styles.end)}
                        onClick={header.column.getToggleSortingHandler()}
                        title={`Sort by ${String(header.column.columnDef.header)}`}
                      >
                        {layout.align === 'end' ? icon : null}
                        <span>{label}</span>
                        {layout.align === 'end' ? null : icon}
                      </button>
                    ) : (
                      <span className={mergeClasses(styles.thLabel, layout.align === 'end' && styles.end)}>{label}</span>
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className={styles.tbody} style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {rows.map((row, i) => {
            const item = items[i];
            if (!item || item.index !== row.original.index) return null;
            const loaded = row.original.row !== undefined;
            return (
              <tr
                key={row.id}
                className={styles.row}
                style={{ transform: `translateY(${item.start}px)` }}
                aria-rowindex={item.index + 2}
                aria-busy={loaded ? undefined : true}
                data-testid={loaded ? 'stock-row' : 'stock-row-loading'}
                data-index={item.index}
                aria-keyshortcuts="Enter"
                {...rowProps(item.index)}
              >
                {row.getVisibleCells().map((cell) => {
                  const id = cell.column.id;
                  const layout = layoutOf(id);
                  return (
                    <td
                      key={cell.id}
                      className={mergeClasses(
                        styles.td,
                        layout.align === 'end' && styles.numeric,
                        layout.mono && styles.mono,
                        id === 'lastMovementAt' && styles.dateCell,
                      )}
                      title={loaded && (id === 'name' || id === 'site' || id === 'sku') ? titleFor(row.original, id) : undefined}
                      data-testid={CELL_TEST_IDS[id]}
                    >
                      {loaded ? flexRender(cell.column.columnDef.cell, cell.getContext()) : <span className={styles.placeholderBar} />}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {view && total === 0 ? (
        <Text as="p" size={200} className={styles.empty} data-testid="stock-no-rows">
          No product-sites match these filters.
        </Text>
      ) : null}
    </div>
  );
}

/** Per-cell test ids, e.g. rows.first().getByTestId('stock-sku'). */
const CELL_TEST_IDS: Record<string, string> = {
  sku: 'stock-sku',
  name: 'stock-name',
  site: 'stock-site',
  onHand: 'stock-on-hand',
  lowStockLevel: 'stock-low-level',
  status: 'stock-status',
  lastMovementAt: 'stock-last-movement',
};

function titleFor(slot: StockSlot, id: string): string | undefined {
  const r = slot.row;
  if (!r) return undefined;
  if (id === 'site') return `${r.siteName} (${r.siteCode})`;
  if (id === 'sku') return r.sku;
  return `${r.name} · ${r.stockType}`;
}
