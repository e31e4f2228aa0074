import { Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { flexRender, getCoreRowModel, useReactTable, type VisibilityState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { MovementView } from '../../shared/enquiry';
import { movementColumns, NUMERIC_COLUMNS, type MovementActions } from './movement-columns';

const ROW_HEIGHT = 34;

const useStyles = makeStyles({
  scroller: {
    flexGrow: 1,
    minHeight: 0,
    overflow: 'auto',
    position: 'relative',
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  table: { display: 'grid', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground1 },
  thead: {
    display: 'grid',
    position: 'sticky',
    top: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground2,
    boxShadow: `inset 0 -1px 0 ${tokens.colorNeutralStroke1}`,
  },
  tr: { display: 'flex', width: '100%' },
  th: {
    position: 'relative',
    display: 'flex',
    alignItems: 'center',
    height: '30px',
    padding: '0 8px',
    boxSizing: 'border-box',
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    borderRight: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  resizer: {
    position: 'absolute',
    right: 0,
    top: 0,
    height: '100%',
    width: '5px',
    cursor: 'col-resize',
    userSelect: 'none',
    touchAction: 'none',
    ':hover': { backgroundColor: tokens.colorBrandStroke1 },
  },
  resizing: { backgroundColor: tokens.colorBrandStroke1 },
  tbody: { display: 'grid', position: 'relative' },
  row: {
    display: 'flex',
    position: 'absolute',
    left: 0,
    width: '100%',
    height: `${ROW_HEIGHT}px`,
    boxSizing: 'border-box',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  td: {
    display: 'flex',
    alignItems: 'center',
    padding: '0 8px',
    boxSizing: 'border-box',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
  },
  numeric: { justifyContent: 'flex-end', fontVariantNumeric: 'tabular-nums' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  empty: { padding: '24px 12px', color: tokens.colorNeutralForeground3 },
});

interface Props {
  rows: MovementView[];
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  actions: MovementActions;
  visibility: VisibilityState;
  queryKey: string;
}

/** The dense, virtualized movement grid; resizable columns, infinite scroll through keyset pages. */
export function MovementTable({ rows, hasMore, loading, onLoadMore, actions, visibility, queryKey }: Props) {
  const styles = useStyles();
  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = useMemo(() => movementColumns(actions), [actions]);
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (m) => String(m.seq),
    columnResizeMode: 'onChange',
    state: { columnVisibility: visibility },
  });
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (hasMore && !loading && lastIndex >= rows.length - 60) onLoadMore();
  }, [hasMore, loading, lastIndex, rows.length, onLoadMore]);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [queryKey]);

  const tableRows = table.getRowModel().rows;
  const width = table.getTotalSize();
  return (
    <div ref={scrollRef} className={styles.scroller} data-testid="mv-scroller">
      <table className={styles.table} style={{ width }} aria-label="Movements" aria-rowcount={rows.length + 1} data-testid="mv-table">
        <thead className={styles.thead}>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id} className={styles.tr}>
              {g.headers.map((h) => (
                <th key={h.id} className={mergeClasses(styles.th, NUMERIC_COLUMNS.has(h.column.id) && styles.numeric)} style={{ width: h.getSize() }} scope="col">
                  {flexRender(h.column.columnDef.header, h.getContext())}
                  <div
                    onMouseDown={h.getResizeHandler()}
                    onTouchStart={h.getResizeHandler()}
                    onDoubleClick={() => h.column.resetSize()}
                    className={mergeClasses(styles.resizer, h.column.getIsResizing() && styles.resizing)}
                    role="separator"
                    aria-label={`Resize ${String(h.column.columnDef.header)}`}
                  />
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className={styles.tbody} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = tableRows[item.index];
            if (!row) return null;
            return (
              <tr key={row.id} className={styles.row} style={{ transform: `translateY(${item.start}px)` }} data-testid="mv-row" data-seq={row.original.seq}>
                {row.getVisibleCells().map((cell) => (
                  <td
                    key={cell.id}
                    className={mergeClasses(styles.td, NUMERIC_COLUMNS.has(cell.column.id) && styles.numeric, cell.column.id === 'sku' && styles.mono)}
                    style={{ width: cell.column.getSize() }}
                    data-testid={`mv-cell-${cell.column.id}`}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {!loading && rows.length === 0 ? (
        <Text as="p" size={200} className={styles.empty} data-testid="mv-no-rows">
          No movements match these filters. Remove a filter or widen the date range.
        </Text>
      ) : null}
    </div>
  );
}
